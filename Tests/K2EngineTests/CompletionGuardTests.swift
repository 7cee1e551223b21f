// Guards on inline completions that come before they reach the editor.
import K2Models
import Testing

@testable import K2Engine

@Test(arguments: [
    ("Enter a file: &lt;|file|&gt;", true),
    ("x <|cursor|> y", true),
    ("return a + b", false),
    ("if a < b { return b }", false),
    ("<|im_start|>", true),
    ("a + b<|endoftext|>", true),
    ("x = a || b > c", false),
])
func completionsThatEchoThePromptMarkupAreDropped(text: String, leaks: Bool) {
    let markers = FIMPrompt.render(prefix: "", suffix: "", languageID: "swift", path: "a.swift").stop
    #expect(Engine.leaksPromptMarkup(text, markers: markers) == leaks)
}

/// Partial mode is a fact about Moonshot's hosted K2.6, recorded in the catalog, not a host name in code.
@Test func partialModeComesFromTheModelsProfile() {
    let catalog = ModelCatalog.builtIn
    #expect(catalog.profile(for: "kimi-k2.6").partialMode)
    #expect(!catalog.profile(for: "moonshotai/kimi-k2.6").partialMode)
    #expect(!catalog.profile(for: "moonshotai/Kimi-K2-Instruct-0905").partialMode)
    #expect(!catalog.profile(for: "some-local-model").partialMode)
}
