// Completion step that re-indents lines a model wrote relative to the cursor line instead of the file.

extension CompletionPostProcessor {
    private static let dedentWords: Set<String> = [
        "end", "else", "elif", "except", "finally", "catch", "case", "default", "fi", "done", "esac",
    ]

    /// Lines after the completion's first line break are meant to sit at absolute columns. A model that wrote them
    /// relative to the cursor line (as if that line started at column 0) leaves the first of them left of the
    /// cursor line's indentation, or not deeper than it right after a line that opens a block (`{`, `(`, `[`, `:`).
    /// Then every new line gets the cursor line's indentation added. A first new line that closes a block (`}`,
    /// `else`, …) may legitimately stand further left, so it leaves the completion as it is. In an indentation
    /// language (Python) a line further left is a legitimate dedent too, so there only the block-opening case counts:
    /// a body that is not deeper than its header cannot be meant literally.
    public static func fixIndentation(_ completion: String, linePrefix: String, languageID: String = "") -> String {
        var lines = ReplyText.lines(of: completion)
        let cursorIndentation = String(linePrefix.prefix(while: { $0 == " " || $0 == "\t" }))
        guard lines.count > 1, !cursorIndentation.isEmpty,
            let firstNewLine = lines.indices.dropFirst().first(where: { !ReplyText.isBlank(lines[$0]) })
        else { return completion }

        let firstNewLineText = lines[firstNewLine]
        let newIndentationWidth = indentationWidth(of: firstNewLineText)
        let cursorWidth = indentationWidth(of: cursorIndentation)
        let cursorLine = ReplyText.trimmed(linePrefix + lines[0])
        let opensBlock = ["{", "(", "[", ":"].contains(where: cursorLine.hasSuffix)
        if closesBlock(ReplyText.trimmed(firstNewLineText)) { return completion }
        let dedentEndsBlocks = CompletionLanguage(languageID: languageID) == .indentation
        let isRelative =
            opensBlock ? newIndentationWidth <= cursorWidth : !dedentEndsBlocks && newIndentationWidth < cursorWidth
        guard isRelative else { return completion }
        for index in lines.indices.dropFirst() where !ReplyText.isBlank(lines[index]) {
            lines[index] = cursorIndentation + lines[index]
        }
        return lines.joined(separator: "\n")
    }

    /// Columns of leading whitespace, a tab counting as four (only comparisons within one file matter).
    static func indentationWidth(of line: String) -> Int {
        line.prefix(while: { $0 == " " || $0 == "\t" }).reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
    }

    private static func closesBlock(_ trimmedLine: String) -> Bool {
        if let first = trimmedLine.first, CompletionLanguage.closers.contains(first) { return true }
        let firstWord = trimmedLine.prefix(while: isIdentifierCharacter)
        return dedentWords.contains(String(firstWord))
    }
}
