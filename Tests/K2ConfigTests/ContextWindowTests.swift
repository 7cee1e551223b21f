// Default context windows per model id, and the configured override.
import K2Config
import Testing

struct ContextWindowTests {
    @Test(arguments: [
        ("kimi-k2-0905-preview", 262_144),
        ("kimi-k2-turbo-preview", 262_144),
        ("kimi-k2-thinking", 262_144),
        ("kimi-k2-thinking-turbo", 262_144),
        ("kimi-k2.6", 262_144),
        ("moonshotai/kimi-k2-0905", 262_144),
        ("moonshotai/Kimi-K2-Instruct-0905", 262_144),
        ("moonshotai/Kimi-K2-Thinking", 262_144),
        ("kimi-k2-0711-preview", 131_072),
        ("moonshotai/kimi-k2", 131_072),
        ("moonshotai/Kimi-K2-Instruct", 131_072),
        ("my-local-model", 131_072),
    ])
    func defaultWindow(model: String, tokens: Int) {
        #expect(ModelContextWindow.defaultTokens(forModel: model) == tokens)
        let provider = ProviderSettings(baseURL: "http://localhost/v1", model: model, apiKeyEnv: nil)
        #expect(provider.effectiveContextWindow == tokens)
    }

    @Test func overrideWins() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(
            "providers:\n  instruct:\n    model: kimi-k2-0711-preview\n    context_window: 100000\n")
        let loaded = fixture.load()
        #expect(loaded.configuration.providers.instruct.effectiveContextWindow == 100_000)
        #expect(loaded.configuration.providers.thinking.effectiveContextWindow == 262_144)
    }
}
