// The slash commands an ACP session offers, listed once: available_commands_update and the prompts that use them
// both come from this table.
import ACP
import Foundation

enum SlashCommand: String, CaseIterable, Sendable {
    case explain, tests, fix, doc, context

    var summary: String {
        switch self {
        case .explain: "Explain code (K2 reads, changes nothing)"
        case .tests: "Write tests for code"
        case .fix: "Fix a bug or an error"
        case .doc: "Document code"
        case .context: "Show what K2 would see for a file (no model call)"
        }
    }

    var hint: String {
        switch self {
        case .explain: "what to explain: a file, a symbol or a question"
        case .tests: "what to test"
        case .fix: "what is wrong, or the error message"
        case .doc: "what to document"
        case .context: "a file (mention it, or give its path)"
        }
    }

    /// Only reads: the session's permission policy refuses every change during the turn.
    var readOnly: Bool { self == .explain }

    /// The agent's instruction for `/command rest`; nil for commands that do not ask the model.
    func instruction(_ rest: String) -> String? {
        let subject = rest.isEmpty ? "the code the user attached or mentioned" : rest
        switch self {
        case .explain:
            return "Explain \(subject): what it does, how, and anything surprising. Read the code first; do not change any file."
        case .tests:
            return "Write tests for \(subject). Put them where the project keeps its tests, in its test framework and style, and cover the edge cases."
        case .fix:
            return "Fix this: \(subject). Find the cause in the code first, then make the smallest change that fixes it."
        case .doc:
            return "Add documentation comments to \(subject), in the language's usual style. Change only comments."
        case .context:
            return nil
        }
    }

    static var available: [AvailableCommand] {
        allCases.map { AvailableCommand(name: $0.rawValue, description: $0.summary, input: .init(hint: $0.hint)) }
    }

    /// `/name rest` at the start of a prompt's text.
    static func parse(_ text: String) -> (command: SlashCommand, rest: String)? {
        let trimmed = text.drop(while: \.isWhitespace)
        guard trimmed.hasPrefix("/") else { return nil }
        let word = trimmed.dropFirst().prefix { !$0.isWhitespace }
        guard let command = SlashCommand(rawValue: String(word)) else { return nil }
        let rest = trimmed.dropFirst(word.count + 1).trimmingCharacters(in: .whitespacesAndNewlines)
        return (command, rest)
    }
}
