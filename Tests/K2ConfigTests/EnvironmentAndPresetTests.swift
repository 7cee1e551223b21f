// K2_* variables and presets fill the providers; the user file is found through --config, K2_CONFIG, XDG or ~/.config.
import K2Config
import Testing

struct EnvironmentAndPresetTests {
    struct ProviderCase: Sendable, CustomStringConvertible {
        var environment: [String: String]
        var baseURL: String
        var instructModel: String
        var thinkingModel: String
        var apiKeyEnv: String?
        var description: String {
            environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" }.joined(separator: " ")
        }
    }

    /// Defaults for when `GET /models` cannot be read; with a listing, each role is discovered.
    static let moonshotModels = ("kimi-k2.6", "kimi-k2.7-code")
    static let localModels = ("moonshotai/Kimi-K2-Instruct-0905", "moonshotai/Kimi-K2.7-Code")
    static let openRouterModels = ("moonshotai/kimi-k2.6", "moonshotai/kimi-k2.7-code")

    static let providerCases: [ProviderCase] = [
        ProviderCase(
            environment: [:], baseURL: "https://api.moonshot.ai/v1", instructModel: moonshotModels.0,
            thinkingModel: moonshotModels.1, apiKeyEnv: "K2_API_KEY"
        ),
        ProviderCase(
            environment: ["K2_API_BASE_URL": "https://proxy.example.com/v1/"], baseURL: "https://proxy.example.com/v1",
            instructModel: moonshotModels.0, thinkingModel: moonshotModels.1, apiKeyEnv: "K2_API_KEY"
        ),
        ProviderCase(
            environment: ["K2_INSTRUCT_MODEL_ID": "kimi-k3", "K2_THINKING_MODEL_ID": "kimi-k2.6"],
            baseURL: "https://api.moonshot.ai/v1", instructModel: "kimi-k3", thinkingModel: "kimi-k2.6",
            apiKeyEnv: "K2_API_KEY"
        ),
        ProviderCase(
            environment: ["K2_LOCAL_BASE_URL": "http://gpu-box:8000/v1"], baseURL: "http://gpu-box:8000/v1",
            instructModel: localModels.0, thinkingModel: localModels.1, apiKeyEnv: nil
        ),
        ProviderCase(
            environment: ["K2_LOCAL_BASE_URL": "http://gpu-box:8000/v1", "K2_INSTRUCT_MODEL_ID": "kimi"],
            baseURL: "http://gpu-box:8000/v1", instructModel: "kimi", thinkingModel: localModels.1, apiKeyEnv: nil
        ),
        ProviderCase(
            environment: ["K2_PRESET": "local"], baseURL: "http://127.0.0.1:8000/v1", instructModel: localModels.0,
            thinkingModel: localModels.1, apiKeyEnv: nil
        ),
        ProviderCase(
            environment: ["K2_PRESET": "moonshot", "K2_LOCAL_BASE_URL": "http://gpu-box:8000/v1"],
            baseURL: "https://api.moonshot.ai/v1", instructModel: moonshotModels.0, thinkingModel: moonshotModels.1,
            apiKeyEnv: "K2_API_KEY"
        ),
        ProviderCase(
            environment: ["K2_PRESET": "moonshot-cn"], baseURL: "https://api.moonshot.cn/v1",
            instructModel: moonshotModels.0, thinkingModel: moonshotModels.1, apiKeyEnv: "K2_API_KEY"
        ),
        // Moonshot's and Kimi Code's names for the key, read when K2_API_KEY is unset; K2_API_KEY wins.
        ProviderCase(
            environment: ["MOONSHOT_API_KEY": "sk-moonshot"], baseURL: "https://api.moonshot.ai/v1",
            instructModel: moonshotModels.0, thinkingModel: moonshotModels.1, apiKeyEnv: "MOONSHOT_API_KEY"
        ),
        ProviderCase(
            environment: ["KIMI_API_KEY": "sk-kimi", "K2_PRESET": "moonshot-cn"], baseURL: "https://api.moonshot.cn/v1",
            instructModel: moonshotModels.0, thinkingModel: moonshotModels.1, apiKeyEnv: "KIMI_API_KEY"
        ),
        ProviderCase(
            environment: ["KIMI_API_KEY": "sk-kimi", "MOONSHOT_API_KEY": "sk-moonshot"],
            baseURL: "https://api.moonshot.ai/v1", instructModel: moonshotModels.0, thinkingModel: moonshotModels.1,
            apiKeyEnv: "MOONSHOT_API_KEY"
        ),
        ProviderCase(
            environment: ["K2_API_KEY": "sk-k2", "MOONSHOT_API_KEY": "sk-moonshot"],
            baseURL: "https://api.moonshot.ai/v1", instructModel: moonshotModels.0, thinkingModel: moonshotModels.1,
            apiKeyEnv: "K2_API_KEY"
        ),
        ProviderCase(
            environment: ["K2_PRESET": "openrouter", "MOONSHOT_API_KEY": "sk-moonshot"],
            baseURL: "https://openrouter.ai/api/v1", instructModel: openRouterModels.0,
            thinkingModel: openRouterModels.1, apiKeyEnv: "K2_API_KEY"
        ),
        ProviderCase(
            environment: ["K2_PRESET": "openrouter"], baseURL: "https://openrouter.ai/api/v1",
            instructModel: openRouterModels.0, thinkingModel: openRouterModels.1, apiKeyEnv: "K2_API_KEY"
        ),
        ProviderCase(
            environment: ["K2_PRESET": "openrouter", "OPENROUTER_API_KEY": "or-key"],
            baseURL: "https://openrouter.ai/api/v1", instructModel: openRouterModels.0,
            thinkingModel: openRouterModels.1, apiKeyEnv: "OPENROUTER_API_KEY"
        ),
        ProviderCase(
            environment: ["K2_PRESET": "openrouter", "K2_API_BASE_URL": "https://gateway.example.com/api/v1"],
            baseURL: "https://gateway.example.com/api/v1", instructModel: openRouterModels.0,
            thinkingModel: openRouterModels.1, apiKeyEnv: "K2_API_KEY"
        ),
    ]

    @Test(arguments: providerCases)
    func environmentFillsProviders(testCase: ProviderCase) throws {
        let fixture = try ConfigFixture()
        let loaded = fixture.load(environment: testCase.environment)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
        let providers = loaded.configuration.providers
        for role in ModelRole.allCases {
            #expect(providers[role].baseURL == testCase.baseURL)
            #expect(providers[role].apiKeyEnv == testCase.apiKeyEnv)
        }
        #expect(providers.instruct.model == testCase.instructModel)
        #expect(providers.thinking.model == testCase.thinkingModel)
    }

    /// The local server needs no key: no variable is named, so no key is ever read.
    @Test func localServerSendsNoKey() throws {
        let fixture = try ConfigFixture()
        let environment = ["K2_LOCAL_BASE_URL": "http://127.0.0.1:30000/v1", "K2_API_KEY": "sk-unused"]
        let loaded = fixture.load(environment: environment)
        #expect(loaded.configuration.providers.instruct.apiKey(in: environment) == nil)
        #expect(loaded.source(of: "providers.instruct.base_url") == .environment("K2_LOCAL_BASE_URL"))
        #expect(loaded.source(of: "providers.instruct.model") == .preset("local"))
        #expect(loaded.source(of: "preset") == .environment("K2_LOCAL_BASE_URL"))
    }

    /// K2_* variables are defaults: a file that sets the field wins, and fields it does not set keep the variable.
    @Test func fileBeatsEnvironmentFieldByField() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("providers:\n  instruct:\n    base_url: https://mine.example.com/v1\n")
        let loaded = fixture.load(
            environment: ["K2_API_BASE_URL": "https://proxy.example.com/v1", "K2_PROFILE": "enterprise"]
        )
        #expect(loaded.configuration.providers.instruct.baseURL == "https://mine.example.com/v1")
        #expect(loaded.configuration.providers.thinking.baseURL == "https://proxy.example.com/v1")
        #expect(loaded.configuration.profile == .enterprise)
        #expect(loaded.source(of: "profile") == .environment("K2_PROFILE"))
    }

    /// A preset named in the user file beats K2_LOCAL_BASE_URL, which only sets defaults.
    @Test func userFilePresetBeatsLocalVariable() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("preset: moonshot-cn\n")
        let loaded = fixture.load(environment: ["K2_LOCAL_BASE_URL": "http://gpu-box:8000/v1"])
        #expect(loaded.configuration.providers.instruct.baseURL == "https://api.moonshot.cn/v1")
        #expect(loaded.configuration.providers.thinking.apiKeyEnv == "K2_API_KEY")
        #expect(loaded.configuration.preset == .moonshotCN)
    }

    struct UserFileCase: Sendable, CustomStringConvertible {
        var description: String
        /// Paths are relative to the fixture root; `HOME` stands for the fixture's home.
        var environment: [String: String]
        var override: String?
        var writtenAt: String
        var expectedAt: String?
    }

    static let userFileCases: [UserFileCase] = [
        UserFileCase(
            description: "~/.config by default", environment: [:], override: nil,
            writtenAt: "home/.config/k2lsp/config.yaml", expectedAt: "home/.config/k2lsp/config.yaml"
        ),
        UserFileCase(
            description: "XDG_CONFIG_HOME", environment: ["XDG_CONFIG_HOME": "ROOT/xdg"], override: nil,
            writtenAt: "xdg/k2lsp/config.yaml", expectedAt: "xdg/k2lsp/config.yaml"
        ),
        UserFileCase(
            description: "XDG_CONFIG_HOME does not fall back to ~/.config",
            environment: ["XDG_CONFIG_HOME": "ROOT/xdg"], override: nil,
            writtenAt: "home/.config/k2lsp/config.yaml", expectedAt: nil
        ),
        UserFileCase(
            description: "relative XDG_CONFIG_HOME is ignored", environment: ["XDG_CONFIG_HOME": "xdg"], override: nil,
            writtenAt: "home/.config/k2lsp/config.yaml", expectedAt: "home/.config/k2lsp/config.yaml"
        ),
        UserFileCase(
            description: "K2_CONFIG",
            environment: ["K2_CONFIG": "ROOT/elsewhere/k2.yaml", "XDG_CONFIG_HOME": "ROOT/xdg"],
            override: nil, writtenAt: "elsewhere/k2.yaml", expectedAt: "elsewhere/k2.yaml"
        ),
        UserFileCase(
            description: "K2_CONFIG with ~", environment: ["K2_CONFIG": "~/k2.yaml"], override: nil,
            writtenAt: "home/k2.yaml", expectedAt: "home/k2.yaml"
        ),
        UserFileCase(
            description: "--config beats K2_CONFIG", environment: ["K2_CONFIG": "ROOT/elsewhere/k2.yaml"],
            override: "ROOT/cli.yaml", writtenAt: "cli.yaml", expectedAt: "cli.yaml"
        ),
    ]

    @Test(arguments: userFileCases)
    func userFileLocation(testCase: UserFileCase) throws {
        let fixture = try ConfigFixture()
        try fixture.write(testCase.writtenAt, "profile: pro\n")
        func resolved(_ text: String) -> String { text.replacingOccurrences(of: "ROOT", with: fixture.root) }
        let loaded = fixture.load(
            environment: testCase.environment.mapValues(resolved), configOverride: testCase.override.map(resolved)
        )
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
        #expect(loaded.userConfigPath == testCase.expectedAt.map(fixture.path))
        #expect(loaded.configuration.profile == (testCase.expectedAt == nil ? .user : .pro))
    }

    /// A file named explicitly must exist; a missing default file is normal.
    @Test(arguments: [("K2_CONFIG", nil), (nil, "--config")] as [(String?, String?)])
    func namedFileMissing(variable: String?, flag: String?) throws {
        let fixture = try ConfigFixture()
        let missing = fixture.path("nowhere.yaml")
        let loaded = fixture.load(
            environment: variable.map { [$0: missing] } ?? [:], configOverride: flag.map { _ in missing }
        )
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(loaded.diagnostics.count == 1)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.description.contains("nowhere.yaml"))
        #expect(diagnostic.description.contains(variable.map { "$\($0)" } ?? "--config"))
        #expect(fixture.load().diagnostics.isEmpty)
    }

    @Test(arguments: [
        (["K2_PROFILE": "gold"], "$K2_PROFILE must be one of user, pro, enterprise (got 'gold')"),
        (["K2_PRESET": "azure"], "$K2_PRESET must be one of moonshot, moonshot-cn, openrouter, local (got 'azure')"),
        (["K2_API_BASE_URL": "api.moonshot.ai"], "$K2_API_BASE_URL must be an http:// or https:// URL"),
        (["K2_LOCAL_BASE_URL": "localhost:8000"], "$K2_LOCAL_BASE_URL must be an http:// or https:// URL"),
    ])
    func invalidEnvironmentValues(environment: [String: String], message: String) throws {
        let fixture = try ConfigFixture()
        let loaded = fixture.load(environment: environment)
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.origin == "environment")
        #expect(diagnostic.message.contains(message), "\(diagnostic)")
        #expect(loaded.configuration.profile == .user)
        #expect(loaded.configuration.providers.instruct.baseURL.hasPrefix("http"))
    }
}
