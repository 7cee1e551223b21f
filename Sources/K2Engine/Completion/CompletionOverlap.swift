// Completion step that drops the end of a completion when it repeats the text after the cursor.

extension CompletionPostProcessor {
    /// Drops the completion's ending where it repeats the start of the text after the cursor: whole lines compared
    /// without their indentation (the model rewrote the next lines), then characters (a closing `)` or `;` that
    /// is already there). Brackets decide the doubtful case: a dropped closer must close something opened before the
    /// cursor, so in `print(|)` the completion `foo()` keeps its `)` while `foo())` loses one.
    public static func dropSuffixOverlap(_ completion: String, suffix: String, languageID: String = "") -> String {
        let scanner = BracketScanner(language: CompletionLanguage(languageID: languageID))
        // Only the start of the suffix can be repeated; the rest of a large file is not worth splitting.
        let suffix = String(suffix.prefix(4 * completion.count + 1_024))
        let withoutLines = droppingRepeatedLines(completion, suffix: suffix, scanner: scanner)
        return droppingRepeatedCharacters(withoutLines, suffix: suffix, scanner: scanner)
    }

    private static func droppingRepeatedLines(_ completion: String, suffix: String, scanner: BracketScanner)
        -> String
    {
        var lines = ReplyText.lines(of: completion)
        while let last = lines.last, ReplyText.isBlank(last), lines.count > 1 { lines.removeLast() }
        guard lines.count > 1 else { return completion }
        let suffixLines = ReplyText.lines(of: suffix).map(ReplyText.trimmed).filter { !$0.isEmpty }
        let available = scanner.unmatchedClosers(in: lines.joined(separator: "\n"))
        // The first line continues the cursor line, so only whole later lines can be repetitions.
        for count in stride(from: min(lines.count - 1, suffixLines.count), through: 1, by: -1) {
            let tail = lines.suffix(count)
            guard tail.map(ReplyText.trimmed).elementsEqual(suffixLines.prefix(count)) else { continue }
            let dropped = tail.joined(separator: "\n")
            guard scanner.unmatchedClosers(in: dropped) <= available else { continue }
            return lines.dropLast(count).joined(separator: "\n")
        }
        return completion
    }

    private static func droppingRepeatedCharacters(_ completion: String, suffix: String, scanner: BracketScanner)
        -> String
    {
        let completionCharacters = Array(completion)
        let suffixCharacters = Array(suffix)
        let available = scanner.unmatchedClosers(in: completion)
        var length = min(completionCharacters.count, suffixCharacters.count)
        while length > 0 {
            let tail = completionCharacters[(completionCharacters.count - length)...]
            if tail.elementsEqual(suffixCharacters[..<length]),
                scanner.unmatchedClosers(in: String(tail)) <= available
            {
                return String(completionCharacters.dropLast(length))
            }
            length -= 1
        }
        return completion
    }
}
