// Completion step that stops a completion where it leaves the block the cursor is in.

extension CompletionPostProcessor {
    /// Cuts the completion where it would leave the cursor's enclosing block, so it never runs on into the next
    /// function. Brace languages: at the first `}` (outside strings and comments) that closes a brace opened before
    /// the cursor; when the text after the cursor already starts with `}` the completion ends before that brace
    /// (and before its line, when nothing else is on it), otherwise it keeps the brace and ends after it.
    /// Python: at the first later line indented less than the cursor's block (deeper than the cursor line when that
    /// line opens a block with `:`), skipping lines inside triple-quoted strings. Other languages: unchanged.
    public static func truncateAtEnclosingBlockEnd(
        _ completion: String, linePrefix: String, suffix: String, languageID: String
    ) -> String {
        let language = CompletionLanguage(languageID: languageID)
        switch language {
        case .braces:
            return truncateAtClosingBrace(completion, suffix: suffix, scanner: BracketScanner(language: language))
        case .indentation:
            return truncateAtDedent(completion, linePrefix: linePrefix)
        case .unknown:
            return completion
        }
    }

    private static func truncateAtClosingBrace(_ completion: String, suffix: String, scanner: BracketScanner)
        -> String
    {
        var braceDepth = 0
        var closingIndex: String.Index?
        scanner.scan(completion) { bracket, index in
            if bracket == "{" {
                braceDepth += 1
            } else if bracket == "}" {
                braceDepth -= 1
                if braceDepth < 0 {
                    closingIndex = index
                    return false
                }
            }
            return true
        }
        guard let closingIndex else { return completion }
        let suffixStartsWithBrace = suffix.first(where: { !$0.isWhitespace }) == "}"
        if !suffixStartsWithBrace { return String(completion[...closingIndex]) }
        let before = completion[..<closingIndex]
        let lineStart = before.lastIndex(where: { $0 == "\n" || $0 == "\r\n" })
        let textOnLine = lineStart.map { before[before.index(after: $0)...] } ?? before
        guard ReplyText.isBlank(textOnLine) else { return String(before) }
        return String(before[..<(lineStart ?? before.startIndex)])
    }

    private static func truncateAtDedent(_ completion: String, linePrefix: String) -> String {
        let lines = ReplyText.lines(of: completion)
        guard lines.count > 1 else { return completion }
        let cursorWidth = indentationWidth(of: linePrefix)
        let cursorLine = ReplyText.trimmed(linePrefix + lines[0])
        let minimumWidth = cursorLine.hasSuffix(":") ? cursorWidth + 1 : cursorWidth
        var insideTripleQuotes = lines[0].components(separatedBy: "\"\"\"").count % 2 == 0
            || lines[0].components(separatedBy: "'''").count % 2 == 0
        for index in lines.indices.dropFirst() {
            let line = lines[index]
            if !insideTripleQuotes && !ReplyText.isBlank(line) && indentationWidth(of: line) < minimumWidth {
                var kept = Array(lines[..<index])
                while let last = kept.last, ReplyText.isBlank(last), kept.count > 1 { kept.removeLast() }
                return kept.joined(separator: "\n")
            }
            let quoteRuns = line.components(separatedBy: "\"\"\"").count - 1 + line.components(separatedBy: "'''").count - 1
            if quoteRuns % 2 == 1 { insideTripleQuotes.toggle() }
        }
        return completion
    }
}
