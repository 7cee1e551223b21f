// Bad files produce diagnostics that name the file, the line and the key, and the rest still loads.
import K2Config
import Testing

struct DiagnosticTests {
    /// Loads `yaml` as the user file; it must produce exactly one diagnostic.
    private func onlyDiagnostic(userFile yaml: String) throws -> (ConfigDiagnostic, LoadedConfiguration) {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(yaml)
        let loaded = fixture.load()
        #expect(loaded.diagnostics.count == 1, "\(loaded.diagnosticLines)")
        return (try #require(loaded.diagnostics.first), loaded)
    }

    struct BadValueCase: Sendable, CustomStringConvertible {
        var yaml: String
        /// The diagnostic's full text after the file path.
        var expected: String
        var keyPath: String
        var description: String { keyPath }
    }

    static let badValues: [BadValueCase] = [
        BadValueCase(
            yaml: "profile: pro\nproviders:\n  instruct:\n    base_url: [a, b]\n",
            expected: ":4: 'providers.instruct.base_url' must be a string (got a list)",
            keyPath: "providers.instruct.base_url"
        ),
        BadValueCase(
            yaml: "providers:\n  thinking:\n    base_url: api.moonshot.ai\n",
            expected:
                ":3: 'providers.thinking.base_url' must be an http:// or https:// URL such as https://api.moonshot.ai/v1",
            keyPath: "providers.thinking.base_url"
        ),
        BadValueCase(
            yaml: "completion:\n  max_tokens: many\n",
            expected: ":2: 'completion.max_tokens' must be a whole number of at least 1 (got a string)",
            keyPath: "completion.max_tokens"
        ),
        BadValueCase(
            yaml: "agent:\n  max_turns: 2.5\n",
            expected: ":2: 'agent.max_turns' must be a whole number of at least 1 (got a decimal number)",
            keyPath: "agent.max_turns"
        ),
        BadValueCase(
            yaml: "completion:\n  enabled: \"true\"\n",
            expected: ":2: 'completion.enabled' must be true or false (got a string)",
            keyPath: "completion.enabled"
        ),
        BadValueCase(
            yaml: "profile: gold\n",
            expected: ":1: 'profile' must be one of user, pro, enterprise (got 'gold')",
            keyPath: "profile"
        ),
        BadValueCase(
            yaml: "preset: azure\n",
            expected: ":1: 'preset' must be one of moonshot, moonshot-cn, openrouter, local (got 'azure')",
            keyPath: "preset"
        ),
        BadValueCase(
            yaml: "context: 5\n",
            expected: ":1: 'context' must be a mapping of settings (got a whole number)",
            keyPath: "context"
        ),
        BadValueCase(
            yaml: "context:\n  context_window: 0\n",
            expected: ":2: 'context.context_window' must be null or a whole number of at least 1 (got a whole number)",
            keyPath: "context.context_window"
        ),
        BadValueCase(
            yaml: "context:\n  ignore_files: .gitignore\n",
            expected: ":2: 'context.ignore_files' must be a list of strings (got a string)",
            keyPath: "context.ignore_files"
        ),
        BadValueCase(
            yaml: "rules:\n  - use: thinking\n  - tasks: [agent, deploy]\n    use: thinking\n",
            expected:
                ":3: 'rules[1].tasks[1]' must be one of completion, edit, fix, refactor, document, tests, explain, agent (got 'deploy')",
            keyPath: "rules[1].tasks[1]"
        ),
        BadValueCase(
            yaml: "rules:\n  - tasks: [agent]\n",
            expected: ":2: 'rules[0]' needs 'use: instruct' or 'use: thinking'",
            keyPath: "rules[0].use"
        ),
        BadValueCase(
            yaml: "profiles:\n  enterprise:\n    rules: { use: thinking }\n",
            expected:
                ":3: 'profiles.enterprise.rules' must be a list of rules like { tasks: [agent], use: thinking } (got a mapping)",
            keyPath: "profiles.enterprise.rules"
        ),
        BadValueCase(
            yaml: "providers:\n  instruct:\n    api_key_env: sk-live-1234\n",
            expected:
                ":3: 'providers.instruct.api_key_env' must be the NAME of an environment variable (like K2_API_KEY), not the key itself; put the key in that variable",
            keyPath: "providers.instruct.api_key_env"
        ),
    ]

    /// A wrong value is an error naming file, line and key; the key keeps the lower layer's value.
    @Test(arguments: badValues)
    func wrongValue(testCase: BadValueCase) throws {
        let (diagnostic, loaded) = try onlyDiagnostic(userFile: testCase.yaml)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.description == "~/.config/k2lsp/config.yaml" + testCase.expected)
        #expect(diagnostic.keyPath == testCase.keyPath)
        var expected = K2Configuration.defaults
        if testCase.yaml.hasPrefix("profile: pro") { expected.profile = .pro }
        #expect(loaded.configuration == expected)
    }

    /// A wrong value in a higher layer leaves the lower layer's value in place.
    @Test func wrongValueKeepsLowerLayer() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("edit:\n  max_tokens: 2048\n")
        let folder = try fixture.workspace("app", "edit:\n  max_tokens: lots\n")
        let loaded = fixture.load(workspaces: [folder])
        #expect(loaded.configuration.edit.maxTokens == 2048)
        #expect(loaded.diagnostics.map(\.origin) == [folder + "/.k2lsp.yaml"])
    }

    struct UnknownKeyCase: Sendable, CustomStringConvertible {
        var yaml: String
        var message: String
        var description: String { message }
    }

    static let unknownKeys: [UnknownKeyCase] = [
        UnknownKeyCase(
            yaml: "provders:\n  x: 1\n", message: "unknown key 'provders' is ignored; did you mean 'providers'?"),
        UnknownKeyCase(
            yaml: "providers:\n  instruct:\n    baseURL: https://x.example.com\n",
            message: "unknown key 'providers.instruct.baseURL' is ignored; did you mean 'base_url'?"
        ),
        UnknownKeyCase(
            yaml: "completion:\n  max_token: 5\n",
            message: "unknown key 'completion.max_token' is ignored; did you mean 'max_tokens'?"
        ),
        UnknownKeyCase(yaml: "colour: red\n", message: "unknown key 'colour' is ignored"),
        UnknownKeyCase(
            yaml: "rules:\n  - tasks: [agent]\n    uses: thinking\n    use: thinking\n",
            message: "unknown key 'rules[0].uses' is ignored; did you mean 'use'?"
        ),
        UnknownKeyCase(
            yaml: "providers:\n  instruct:\n    api_key: sk-live-1234\n",
            message:
                "'providers.instruct.api_key' is ignored: k2lsp never reads keys from files. Put the key in an environment variable and name that variable with 'api_key_env' (default K2_API_KEY)"
        ),
    ]

    @Test(arguments: unknownKeys)
    func unknownKeyWarning(testCase: UnknownKeyCase) throws {
        let (diagnostic, _) = try onlyDiagnostic(userFile: testCase.yaml)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.line != nil)
    }

    /// A file that is not YAML is skipped with one error naming its line; the other layers still load.
    @Test(arguments: [
        ("profile: pro\nproviders: [\n  oops: {\n", "workspace"),
        ("profile: pro\n  edit: x\n bad", "user"),
        (#"{"profile": "pro",, }"#, "editor"),
    ])
    func syntaxErrorSkipsOnlyThatFile(text: String, layer: String) throws {
        let fixture = try ConfigFixture()
        var editor = #"{"agent": {"max_turns": 7}}"#
        try fixture.writeUserFile(layer == "user" ? text : "edit:\n  max_tokens: 1234\n")
        let folder = try fixture.workspace("app", layer == "workspace" ? text : "completion: { max_tokens: 42 }\n")
        if layer == "editor" { editor = text }
        let loaded = fixture.load(environment: ["K2_PROFILE": "enterprise"], workspaces: [folder], editor: editor)

        #expect(loaded.diagnostics.count == 1, "\(loaded.diagnosticLines)")
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.line != nil)
        #expect(diagnostic.message.contains("YAML syntax error"))
        let expectedOrigin =
            switch layer {
            case "user": "~/.config/k2lsp/config.yaml"
            case "workspace": folder + "/.k2lsp.yaml"
            default: "editor settings"
            }
        #expect(diagnostic.origin == expectedOrigin)
        #expect(loaded.configuration.profile == .enterprise)
        #expect(loaded.configuration.edit.maxTokens == (layer == "user" ? 8192 : 1234))
        #expect(loaded.configuration.completion.maxTokens == (layer == "workspace" ? 128 : 42))
        #expect(loaded.configuration.agent.maxTurns == (layer == "editor" ? 25 : 7))
    }

    /// Empty files, empty sections and `null` for nullable keys are fine.
    @Test(arguments: [
        "", "# nothing yet\n", "context:\n", "providers:\n  thinking:\n    context_window: null\n", "---\n",
    ])
    func emptyDocumentsAreQuiet(text: String) throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(text)
        let loaded = fixture.load()
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
        #expect(loaded.configuration == .defaults)
    }

    @Test func rootMustBeAMapping() throws {
        let (diagnostic, _) = try onlyDiagnostic(userFile: "- profile\n- pro\n")
        #expect(diagnostic.message.contains("must be a mapping"))
    }

    /// The full schema from the issue loads without a single diagnostic.
    @Test func fullExampleLoadsCleanly() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(
            """
            profile: user
            preset: moonshot
            providers:
              instruct:  { base_url: https://api.moonshot.ai/v1, model: kimi-k2.6, api_key_env: K2_API_KEY }
              thinking:  { base_url: https://api.moonshot.ai/v1, model: kimi-k2.7-code,     api_key_env: K2_API_KEY, enabled: false, context_window: 200000 }
            profiles:
              user:       { thinking: { enabled: false } }
              pro:        { thinking: { enabled: false } }
              enterprise: { thinking: { enabled: true }, rules: [ { tasks: [agent, edit, fix, refactor, tests, explain], use: thinking } ] }
            rules: [ { min_context_tokens: 100000, use: thinking } ]
            trusted_workspaces: []
            context:
              context_window: null
              max_file_bytes: 1048576
              secret_patterns: []
              ignore_files: [.gitignore, .k2ignore, .aiderignore, .cursorignore, .continueignore]
            completion:
              enabled: true
              max_tokens: 128
              invoked_max_tokens: 256
            agent:
              max_turns: 25
              max_tokens_per_run: 400000
              tool_output_limit: 100000
              allow_protected_writes: false
            edit:
              max_tokens: 8192
            """
        )
        let loaded = fixture.load()
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
        #expect(loaded.configuration.providers.thinking.enabled == false)
        #expect(loaded.configuration.providers.thinking.contextWindow == 200_000)
        #expect(loaded.configuration.rules == [RoutingRule(minContextTokens: 100_000, use: .thinking)])
    }

    @Test func disablingInstructIsReported() throws {
        let (diagnostic, _) = try onlyDiagnostic(userFile: "providers: { instruct: { enabled: false } }\n")
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.keyPath == "providers.instruct.enabled")
    }
}

/// `edit.repair_rounds` may be 0 (no repair round); a negative count is an error naming the key.
@Test func repairRoundsAcceptZeroButNotLess() throws {
    let fixture = try ConfigFixture()
    try fixture.writeUserFile("edit:\n  repair_rounds: 0\n")
    #expect(fixture.load().configuration.edit.repairRounds == 0)
    try fixture.writeUserFile("edit:\n  repair_rounds: -1\n")
    let loaded = fixture.load()
    #expect(loaded.errors.contains { $0.description.contains("'edit.repair_rounds' must be a whole number of at least 0") })
    #expect(loaded.configuration.edit.repairRounds == 2)
}
