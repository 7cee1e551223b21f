// The API key's value never appears in any output: rows, rendered text, diagnostics, descriptions.
import K2Config
import Testing

struct SecretTests {
    static let secret = "sk-test-SECRET123"

    /// Files that put the key where it does not belong, in every way we can think of.
    @Test func keyValueAppearsNowhere() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(
            """
            providers:
              instruct:
                api_key: \(Self.secret)
                api_key_env: \(Self.secret)
              thinking:
                base_url: https://user:\(Self.secret)@proxy.example.com/v1
            \(Self.secret): true
            """
        )
        let folder = try fixture.workspace("app", "profile: [\n  \(Self.secret)\n")
        let environment = ["K2_API_KEY": Self.secret, "K2_PROFILE": "enterprise"]
        let loaded = fixture.load(
            environment: environment, workspaces: [folder],
            editor: #"{"k2": {"apiKey": "\#(Self.secret)", "context": {"max_file_bytes": "\#(Self.secret)"}}}"#
        )
        #expect(loaded.diagnostics.count >= 5)

        let choice = ModelRouter.choose(
            task: .agent, configuration: loaded.configuration,
            health: ProviderHealth(unavailable: [.thinking], reasons: [.thinking: "404"]), estimatedContextTokens: nil
        )
        var outputs = [
            loaded.renderText(environment: environment),
            String(describing: loaded), String(reflecting: loaded),
            String(describing: loaded.configuration), String(reflecting: loaded.configuration),
            String(describing: choice), String(reflecting: choice), choice.notice ?? "", choice.reason,
        ]
        outputs += loaded.describe(environment: environment).flatMap { [$0.keyPath, $0.value, $0.source] }
        outputs += loaded.diagnostics.flatMap { [$0.description, $0.message, $0.keyPath, String(reflecting: $0)] }
        for output in outputs {
            #expect(!output.contains("SECRET123"), "\(output)")
        }
        // The key is still there for the one caller that must send it.
        #expect(loaded.configuration.providers.instruct.apiKey(in: environment) == Self.secret)
    }

    struct KeyStateCase: Sendable, CustomStringConvertible {
        var environment: [String: String]
        var instructKey: String
        var source: String
        var description: String { instructKey }
    }

    @Test(arguments: [
        KeyStateCase(environment: ["K2_API_KEY": secret], instructKey: "set", source: "environment $K2_API_KEY"),
        KeyStateCase(environment: [:], instructKey: "missing", source: "environment $K2_API_KEY"),
        KeyStateCase(environment: ["K2_API_KEY": ""], instructKey: "missing", source: "environment $K2_API_KEY"),
        KeyStateCase(
            environment: ["K2_PRESET": "openrouter", "OPENROUTER_API_KEY": secret], instructKey: "set",
            source: "environment $OPENROUTER_API_KEY"
        ),
        KeyStateCase(environment: ["K2_PRESET": "local"], instructKey: "not required", source: "no api_key_env"),
    ])
    func keyRowsSayOnlySetOrMissing(testCase: KeyStateCase) throws {
        let fixture = try ConfigFixture()
        let loaded = fixture.load(environment: testCase.environment)
        let rows = loaded.describe(environment: testCase.environment)
        let keyRow = try #require(rows.first { $0.keyPath == "providers.instruct.api_key" })
        #expect(keyRow.value == testCase.instructKey)
        #expect(keyRow.source == testCase.source)
    }

    /// Every schema key has a row with a value and a source, and the text shows where files were looked for.
    @Test func rowsCoverEveryKeyWithSources() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("edit:\n  max_tokens: 4096\n")
        let folder = try fixture.workspace("app", "profile: pro\n")
        let loaded = fixture.load(environment: ["K2_INSTRUCT_MODEL_ID": "kimi-k2-turbo-preview"], workspaces: [folder])
        let rows = loaded.describe(environment: [:])
        let byKey = Dictionary(uniqueKeysWithValues: rows.map { ($0.keyPath, $0) })
        #expect(rows.count == 43)
        #expect(byKey["edit.repair_rounds"]?.value == "2")
        #expect(
            byKey["edit.max_tokens"]
                == ConfigRow(
                    keyPath: "edit.max_tokens", value: "4096", source: "user file ~/.config/k2lsp/config.yaml"
                ))
        #expect(byKey["profile"]?.source == "workspace file \(folder)/.k2lsp.yaml")
        #expect(byKey["providers.instruct.model"]?.source == "environment $K2_INSTRUCT_MODEL_ID")
        #expect(byKey["providers.thinking.context_window"]?.value == "null (262144 for kimi-k2.7-code)")
        #expect(
            byKey["profiles.enterprise.rules"]?.value
                == "[{ tasks: [agent, edit, fix, refactor, tests, explain], use: thinking }]")
        #expect(byKey["agent.max_turns"]?.source == "built-in default")

        let text = loaded.renderText(environment: [:])
        #expect(text.hasPrefix("user file: ~/.config/k2lsp/config.yaml\nworkspace files: \(folder)/.k2lsp.yaml\n"))
        #expect(text.contains("providers.instruct.api_key"))
        #expect(!text.contains("problems:"))
        #expect(
            fixture.load(environment: ["K2_CONFIG": fixture.path("none.yaml")]).renderText(environment: [:])
                .contains("problems:\n  error: "))
    }

    @Test(arguments: [
        ("https://user:pw@proxy.example.com/v1", "https://***@proxy.example.com/v1"),
        ("https://proxy.example.com/v1?user=a@b", "https://proxy.example.com/v1?user=a@b"),
        ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1"),
    ])
    func baseURLCredentialsAreHidden(url: String, shown: String) {
        var configuration = K2Configuration.defaults
        configuration.providers.instruct.baseURL = url
        #expect(configuration.providers.instruct.description.contains(shown))
    }
}
