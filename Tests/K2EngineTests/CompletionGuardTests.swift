// Guards on inline completions that come before they reach the editor.
import Testing

@testable import K2Engine

@Test(arguments: [
    ("Enter a file: &lt;|file|&gt;", true),
    ("x <|cursor|> y", true),
    ("return a + b", false),
    ("if a < b { return b }", false),
])
func completionsThatEchoThePromptMarkupAreDropped(text: String, leaks: Bool) {
    let markers = FIMPrompt.render(prefix: "", suffix: "", languageID: "swift", path: "a.swift").stop
    #expect(Engine.leaksPromptMarkup(text, markers: markers) == leaks)
}

@Test func partialModeIsOnlyForMoonshot() {
    #expect(Engine.supportsPartialMode(baseURL: "https://api.moonshot.ai/v1"))
    #expect(Engine.supportsPartialMode(baseURL: "https://api.moonshot.cn/v1"))
    #expect(!Engine.supportsPartialMode(baseURL: "https://openrouter.ai/api/v1"))
    #expect(!Engine.supportsPartialMode(baseURL: "http://127.0.0.1:8000/v1"))
}
