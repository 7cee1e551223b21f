// Text of k2lsp's own prompt, or of the chat template around it, that a reply repeats instead of answering.
import Foundation
import K2Context

/// A small model often runs on past its answer into a prompt of its own: `## Task: edit`, `File: a.py (python),
/// selection on line 3`, `Instruction: …`, a `<<SELECTION>>` marker, a chat turn token (`<|im_start|>`), sometimes
/// HTML-escaped (`&lt;&lt;SELECTION&gt;&gt;`) the way a server's chat template showed them to it. A code block in
/// such a reply may be a quote of the made-up prompt rather than the edit, so the reply is refused.
enum PromptEcho {
    /// Whether a line of a reply's prose (outside code blocks and SEARCH/REPLACE blocks) repeats the prompt: one of
    /// its labels at the start of the line (a Markdown heading or not, in any case), or a chat turn token anywhere.
    static func isEcho(prose line: String) -> Bool {
        if holdsTurnToken(line) { return true }
        guard let first = line.first, first != " ", first != "\t" else { return false }
        var text = Substring(line)
        while let next = text.first, next == "#" || next == " " { text = text.dropFirst() }
        let lowered = text.lowercased()
        let taskLabel = PromptTemplates.taskLabel.lowercased()
        if lowered.hasPrefix(taskLabel + ":") || text.count < line.count && lowered == taskLabel { return true }
        if lowered.hasPrefix(PromptTemplates.instructionLabel.lowercased()) { return true }
        if lowered == ContextPromptFormat.title.lowercased() { return true }
        // `File: stats.py (python), selection on lines 1-3`: the prompt's own location line.
        if text.hasPrefix(PromptTemplates.fileLabel + " "),
            [PromptTemplates.selectionLocation, PromptTemplates.cursorLocation].contains(where: { lowered.contains("), " + $0) })
        {
            return true
        }
        return false
    }

    /// Whether a line holds prompt markup that is never code: a selection or cursor marker, or a chat turn token
    /// (checked also with HTML escapes undone).
    static func holdsMarkup(_ line: String) -> Bool {
        guard line.contains("<") || line.contains("&") else { return false }
        let text = unescapingHTML(line)
        let markers = [
            ContextPromptFormat.selectionStartMarker, ContextPromptFormat.selectionEndMarker,
            ContextPromptFormat.cursorMarker,
        ]
        return markers.contains(where: text.contains) || holdsTurnToken(text)
    }

    /// `<|im_start|>`, `</|im_end|>`, `<|endoftext|>`, Gemma's `<start_of_turn>` and `<end_of_turn>`: the tokens
    /// chat templates wrap turns in, which a model writes out when the template and the model disagree.
    static func holdsTurnToken(_ line: String) -> Bool {
        guard line.contains("<") || line.contains("&") else { return false }
        let text = unescapingHTML(line)
        if text.contains("<start_of_turn>") || text.contains("<end_of_turn>") { return true }
        let characters = Array(text)
        var index = 0
        while index + 1 < characters.count {
            defer { index += 1 }
            guard characters[index] == "<" else { continue }
            var position = index + 1
            if position < characters.count, characters[position] == "/" { position += 1 }
            guard position < characters.count, characters[position] == "|" else { continue }
            position += 1
            let nameStart = position
            while position < characters.count, characters[position].isLetter || characters[position].isNumber
                || characters[position] == "_"
            {
                position += 1
            }
            if position > nameStart, position + 1 < characters.count, characters[position] == "|",
                characters[position + 1] == ">"
            {
                return true
            }
        }
        return false
    }

    /// The line with `&lt;`, `&gt;` and `&amp;` undone (twice, for `&amp;lt;`).
    static func unescapingHTML(_ line: String) -> String {
        guard line.contains("&") else { return line }
        var text = line
        for _ in 0..<2 {
            text = text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
        return text
    }
}
