// Completion steps that remove what a chat model wraps around code: fences, prose, and the echoed start of the line.

extension CompletionPostProcessor {
    /// The code of a fenced block when the reply starts with one (or with a line of prose and then one); a block cut
    /// off by the token limit counts. Without a leading fence the reply is returned unchanged, so a completion that
    /// merely contains a fence (in a Markdown string, say) is kept.
    public static func stripFences(_ completion: String) -> String {
        let lines = ReplyText.lines(of: completion)
        guard let firstIndex = lines.firstIndex(where: { !ReplyText.isBlank($0) }) else { return completion }
        let startsWithFence = FencedBlock.isFenceLine(lines[firstIndex])
        guard startsWithFence || ProseLines.isPreamble(lines[firstIndex]) else { return completion }
        let blocks = FencedBlock.all(in: lines)
        guard let block = blocks.first(where: { !$0.isBlank }) ?? blocks.first else { return completion }
        if !startsWithFence && block.openingLineIndex > firstIndex + 2 { return completion }
        return block.contentLines.joined(separator: "\n")
    }

    /// Removes up to two leading lines of preamble ("Here is the completion:", "Sure!") with the blank lines after
    /// them, and trailing remarks ("This completes the loop.") that follow a blank line.
    public static func stripProse(_ completion: String) -> String {
        var lines = ReplyText.lines(of: completion)
        var removedLeading = 0
        while removedLeading < 2, let first = lines.first, ProseLines.isPreamble(first) {
            lines.removeFirst()
            removedLeading += 1
            while let next = lines.first, ReplyText.isBlank(next), lines.count > 1 { lines.removeFirst() }
        }
        if let lastCode = lines.lastIndex(where: { !ReplyText.isBlank($0) }) {
            var remarkStart = lastCode
            while remarkStart > 0, ProseLines.isRemark(lines[remarkStart]) { remarkStart -= 1 }
            if remarkStart < lastCode, ReplyText.isBlank(lines[remarkStart]) {
                var cut = remarkStart
                while cut > 0, ReplyText.isBlank(lines[cut - 1]) { cut -= 1 }
                lines.removeSubrange(cut...)
            }
        }
        if removedLeading == 0 && lines.count == ReplyText.lines(of: completion).count { return completion }
        return lines.joined(separator: "\n")
    }

    /// Removes the text before the cursor when the model repeated it: the whole line prefix, the prefix without its
    /// indentation, or the identifier fragment the cursor is in when the completion goes on with that identifier
    /// ("calc" then "calculateTotal()" becomes "ulateTotal()").
    public static func stripEchoedPrefix(_ completion: String, linePrefix: String) -> String {
        if !linePrefix.isEmpty, completion.hasPrefix(linePrefix) {
            return String(completion.dropFirst(linePrefix.count))
        }
        let unindented = linePrefix.drop(while: { $0 == " " || $0 == "\t" })
        if !unindented.isEmpty, completion.hasPrefix(unindented) {
            return String(completion.dropFirst(unindented.count))
        }
        let fragment = linePrefix.reversed().prefix(while: isIdentifierCharacter).reversed()
        if !fragment.isEmpty, completion.hasPrefix(String(fragment)) {
            let rest = completion.dropFirst(fragment.count)
            if let next = rest.first, isIdentifierCharacter(next) { return String(rest) }
        }
        return completion
    }

    static func isIdentifierCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "$"
    }
}
