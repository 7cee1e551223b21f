// Context windows come from the model catalog, unless the configuration overrides them.
import K2Config
import Testing

struct ContextWindowTests {
    @Test(arguments: [
        ("kimi-k2.6", 262_144),
        ("kimi-k2.7-code", 262_144),
        ("kimi-k3", 1_048_576),
        ("moonshotai/kimi-k2-0905", 262_144),
        ("moonshotai/Kimi-K2-Instruct-0905", 262_144),
        ("moonshotai/Kimi-K2-Thinking", 262_144),
        ("moonshotai/kimi-k2", 131_072),
        ("moonshotai/Kimi-K2-Instruct", 131_072),
        ("my-local-model", 131_072),
    ])
    func defaultWindow(model: String, tokens: Int) {
        let provider = ProviderSettings(baseURL: "http://localhost/v1", model: model, apiKeyEnv: nil)
        #expect(K2Configuration.defaults.contextWindow(forModel: model, provider: provider) == tokens)
    }

    @Test func overrideWins() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(
            "providers:\n  instruct:\n    model: kimi-k2.6\n    context_window: 100000\n")
        let configuration = fixture.load().configuration
        let instruct = configuration.providers.instruct
        let thinking = configuration.providers.thinking
        #expect(configuration.contextWindow(forModel: instruct.model, provider: instruct) == 100_000)
        #expect(configuration.contextWindow(forModel: thinking.model, provider: thinking) == 262_144)
    }

    @Test func theModelsSectionChangesAFamilysWindow() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("models:\n  kimi-k2.6:\n    context_window: 65536\n")
        let configuration = fixture.load().configuration
        let instruct = configuration.providers.instruct
        #expect(configuration.contextWindow(forModel: "kimi-k2.6", provider: instruct) == 65_536)
        #expect(configuration.contextWindow(forModel: "kimi-k3", provider: instruct) == 1_048_576)
    }
}
