// Each layer overrides the ones below it: defaults < environment < user file < workspace file < editor settings.
import K2Config
import Testing

struct LayerPrecedenceTests {
    enum Layer: String, CaseIterable, Sendable {
        case environment, userFile, workspaceFile, editor
    }

    /// Sets the instruct model and the profile in each named layer; the highest one must win, with its source.
    @Test(
        arguments: [
            ([], nil),
            ([.environment], Layer.environment),
            ([.environment, .userFile], .userFile),
            ([.userFile, .workspaceFile], .workspaceFile),
            ([.environment, .workspaceFile], .workspaceFile),
            ([.workspaceFile, .editor], .editor),
            ([.userFile, .editor], .editor),
            ([.environment, .userFile, .workspaceFile, .editor], .editor),
        ] as [([Layer], Layer?)])
    func highestLayerWins(layers: [Layer], winner: Layer?) throws {
        let fixture = try ConfigFixture()
        var environment: [String: String] = [:]
        if layers.contains(.environment) {
            environment["K2_INSTRUCT_MODEL_ID"] = "model-environment"
            environment["K2_PROFILE"] = "pro"
        }
        if layers.contains(.userFile) {
            try fixture.writeUserFile("profile: enterprise\nproviders:\n  instruct:\n    model: model-userFile\n")
        }
        let folder = try fixture.workspace(
            "app",
            layers.contains(.workspaceFile)
                ? "profile: user\nproviders: { instruct: { model: model-workspaceFile } }\n" : nil
        )
        let editor =
            layers.contains(.editor)
            ? #"{"k2lsp": {"profile": "pro", "providers": {"instruct": {"model": "model-editor"}}}}"# : nil

        let loaded = fixture.load(environment: environment, workspaces: [folder], editor: editor)

        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
        let expectedModel = winner.map { "model-\($0.rawValue)" } ?? "kimi-k2.6"
        #expect(loaded.configuration.providers.instruct.model == expectedModel)
        let expectedProfile: Profile =
            switch winner {
            case nil: .user
            case .environment: .pro
            case .userFile: .enterprise
            case .workspaceFile: .user
            case .editor: .pro
            }
        #expect(loaded.configuration.profile == expectedProfile)
        let expectedSource: ConfigSource =
            switch winner {
            case nil: .builtIn
            case .environment: .environment("K2_INSTRUCT_MODEL_ID")
            case .userFile: .userFile(path: fixture.defaultUserFile)
            case .workspaceFile: .workspaceFile(path: folder + "/.k2lsp.yaml")
            case .editor: .editor
            }
        #expect(loaded.source(of: "providers.instruct.model") == expectedSource)
    }

    /// A layer that does not mention a key leaves the lower layer's value (and source) in place.
    @Test func unmentionedKeysKeepTheLowerLayer() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("completion:\n  max_tokens: 64\n")
        let folder = try fixture.workspace("app", "edit:\n  max_tokens: 4000\n")
        let loaded = fixture.load(
            environment: ["K2_THINKING_MODEL_ID": "kimi-k2.7-code-highspeed"], workspaces: [folder],
            editor: #"{"agent": {"max_turns": 10}}"#
        )
        let configuration = loaded.configuration
        #expect(configuration.completion.maxTokens == 64)
        #expect(configuration.completion.invokedMaxTokens == 256)
        #expect(configuration.edit.maxTokens == 4000)
        #expect(configuration.agent.maxTurns == 10)
        #expect(configuration.providers.thinking.model == "kimi-k2.7-code-highspeed")
        #expect(loaded.source(of: "completion.invoked_max_tokens") == .builtIn)
        #expect(loaded.source(of: "providers.thinking.model") == .environment("K2_THINKING_MODEL_ID"))
    }

    /// Editors nest their settings under a section; all three shapes mean the same.
    @Test(arguments: [
        #"{"profile": "enterprise"}"#,
        #"{"k2lsp": {"profile": "enterprise"}}"#,
        #"{"k2": {"profile": "enterprise"}}"#,
    ])
    func editorSettingsShapes(json: String) throws {
        let fixture = try ConfigFixture()
        let loaded = fixture.load(editor: json)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
        #expect(loaded.configuration.profile == .enterprise)
        #expect(loaded.source(of: "profile") == .editor)
    }

    /// With several workspace folders, the first folder's file wins a conflict; keys only one sets still apply.
    @Test func firstWorkspaceFolderWins() throws {
        let fixture = try ConfigFixture()
        let first = try fixture.workspace("first", "profile: pro\n")
        let second = try fixture.workspace("second", "profile: enterprise\nedit: { max_tokens: 1000 }\n")
        let withoutFile = try fixture.workspace("plain", nil)
        let loaded = fixture.load(workspaces: [first, withoutFile, second])
        #expect(loaded.configuration.profile == .pro)
        #expect(loaded.configuration.edit.maxTokens == 1000)
        #expect(loaded.workspaceConfigPaths == [first + "/.k2lsp.yaml", second + "/.k2lsp.yaml"])
    }

    /// Secret patterns only ever grow: each layer adds to the ones below.
    @Test func secretPatternsAccumulate() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("context:\n  secret_patterns: ['*.key', '*.pem']\n")
        let folder = try fixture.workspace("app", "context:\n  secret_patterns: ['*.pem', 'vault/**']\n")
        let loaded = fixture.load(workspaces: [folder], editor: #"{"context": {"secret_patterns": []}}"#)
        #expect(loaded.configuration.context.secretPatterns == ["*.key", "*.pem", "vault/**"])
    }

    /// A preset fills base URLs, model ids and the key variable; explicit keys in the same file win over it.
    @Test func presetThenExplicitKeysInTheSameFile() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(
            "providers:\n  thinking:\n    model: my-thinking\npreset: openrouter\n"
        )
        let loaded = fixture.load()
        let providers = loaded.configuration.providers
        #expect(providers.instruct.baseURL == "https://openrouter.ai/api/v1")
        #expect(providers.instruct.model == "moonshotai/kimi-k2.6")
        #expect(providers.thinking.model == "my-thinking")
        #expect(loaded.source(of: "providers.instruct.model") == .preset("openrouter"))
        #expect(loaded.source(of: "providers.thinking.model") == .userFile(path: fixture.defaultUserFile))
        #expect(loaded.configuration.preset == .openrouter)
    }
}
