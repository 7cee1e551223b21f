// Turns a model's raw reply into the text to insert at the cursor: the chain of clean-up steps, and the last checks.

/// Each step is a pure function with its own table of tests; `process` chains them in order.
public enum CompletionPostProcessor {
    /// The text to insert at the cursor, or nil when nothing useful is left.
    /// - Parameters:
    ///   - prefix: the document's text before the cursor; `suffix`: after it.
    public static func process(raw: String, prefix: String, suffix: String, languageID: String) -> String? {
        let linePrefix = currentLinePrefix(of: prefix)
        var text = raw
        if languageID != "markdown" { text = stripFences(text) }
        if !isInComment(linePrefix: linePrefix) { text = stripProse(text) }
        text = stripEchoedPrefix(text, linePrefix: linePrefix)
        text = fixIndentation(text, linePrefix: linePrefix, languageID: languageID)
        text = truncateAtEnclosingBlockEnd(text, linePrefix: linePrefix, suffix: suffix, languageID: languageID)
        text = dropSuffixOverlap(text, suffix: suffix, languageID: languageID)
        text = trimTrailingWhitespace(text, suffix: suffix)
        return nonEmpty(text)
    }

    /// nil for an empty or whitespace-only completion: an editor must never show an invisible item.
    public static func nonEmpty(_ completion: String) -> String? {
        completion.unicodeScalars.allSatisfy { $0.properties.isWhitespace } ? nil : completion
    }

    /// When the cursor ends its line, trailing whitespace and line breaks would only add blank lines or stray
    /// spaces before the line break that follows; they are removed. Inside a line they may separate the completion
    /// from the text after the cursor, so they stay.
    public static func trimTrailingWhitespace(_ completion: String, suffix: String) -> String {
        let restOfLine = suffix.prefix(while: { $0 != "\n" && $0 != "\r\n" && $0 != "\r" })
        guard ReplyText.isBlank(restOfLine) else { return completion }
        var scalars = Substring(completion).unicodeScalars
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// The text of the cursor's line before the cursor.
    public static func currentLinePrefix(of prefix: String) -> String {
        guard let lastBreak = prefix.utf8.lastIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return prefix }
        return String(prefix[prefix.utf8.index(after: lastBreak)...])
    }

    /// Prose is expected in a comment, so it is not stripped there.
    static func isInComment(linePrefix: String) -> Bool {
        let trimmed = ReplyText.trimmed(linePrefix)
        return ["//", "#", "/*", "*", "--", ";"].contains(where: trimmed.hasPrefix) || linePrefix.contains("//")
    }
}
