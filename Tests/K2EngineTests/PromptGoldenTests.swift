// The exact prompt text of each template for a fixture: a change to a prompt shows up in review as a golden diff.
// Regenerate with K2LSP_UPDATE_GOLDEN=1 swift test --filter PromptGoldenTests.
import Foundation
import K2Provider
import Testing

@testable import K2Engine

enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ name: String, _ actual: String) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["K2LSP_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) changed; if intended, regenerate with K2LSP_UPDATE_GOLDEN=1")
    }

    static func render(_ messages: [ChatMessage]) -> String {
        messages.map { "=== \($0.role.rawValue)\n\($0.content)\n" }.joined()
    }
}

@Suite struct PromptGoldenTests {
    static let inputs = PromptInputs(
        context: "# Context from the workspace\n\n### Imported file: Sources/App/Math.swift\n```swift\nfunc square(_ x: Int) -> Int { x * x }\n```\n",
        relativePath: "Sources/App/main.swift", languageID: "swift", firstLine: 3, lastLine: 4,
        selectedText: "let total = values.reduce(0, +)\nprint(total)\n", instruction: "Print the sum of squares instead.",
        diagnostics: [
            DiagnosticInfo(line: 3, endLine: 3, message: "unused variable 'x'", severity: "warning", source: "swiftc", code: nil)
        ])

    @Test func editWithASelection() throws {
        let messages: [ChatMessage] = [
            .system(PromptTemplates.editSystemPrompt(format: .selection)),
            .user(PromptTemplates.editUserMessage(Self.inputs, kind: .edit, format: .selection)),
        ]
        try Golden.check("edit-selection.txt", Golden.render(messages))
    }

    @Test func editWithSearchReplaceBlocks() throws {
        var inputs = Self.inputs
        inputs.selectedText = ""
        inputs.lastLine = inputs.firstLine
        inputs.diagnostics = []
        let messages: [ChatMessage] = [
            .system(PromptTemplates.editSystemPrompt(format: .searchReplace)),
            .user(PromptTemplates.editUserMessage(inputs, kind: .tests, format: .searchReplace)),
        ]
        try Golden.check("edit-search-replace.txt", Golden.render(messages))
    }

    @Test func explain() throws {
        let messages: [ChatMessage] = [
            .system(PromptTemplates.explainSystemPrompt), .user(PromptTemplates.explainUserMessage(Self.inputs)),
        ]
        try Golden.check("explain.txt", Golden.render(messages))
    }

    @Test func inlineCompletion() throws {
        let prompt = FIMPrompt.render(
            prefix: "func add(_ a: Int, _ b: Int) -> Int {\n    return ", suffix: "\n}\n", languageID: "swift",
            path: "add.swift")
        try Golden.check(
            "inline-completion.txt",
            Golden.render([.system(prompt.system), .user(prompt.user)]) + "=== stop\n\(prompt.stop.joined(separator: "\n"))\n")
    }
}
