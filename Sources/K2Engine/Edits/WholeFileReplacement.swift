// When a code block is evidently a file's complete new text rather than a piece of it, and how it is written.
import K2Workspace

enum WholeFileReplacement {
    /// Whether `new` is a complete new version of `old`: the old file's first and last non-blank lines survive in
    /// it, and so do at least half of its non-blank lines (a file of up to three lines is replaced by any block at
    /// least as long). A snippet (one function of the file) keeps neither end;
    /// a rewrite that keeps less than half is too far from the file to tell it from a snippet, and is refused.
    static func isEvidentlyWholeFile(old: String, new: String) -> Bool {
        let oldLines = ReplyText.lines(of: old).map(ReplyText.trimmed)
        let newLines = ReplyText.lines(of: new).map(ReplyText.trimmed)
        let nonBlank = oldLines.indices.filter { !oldLines[$0].isEmpty }
        guard let first = nonBlank.first, let last = nonBlank.last else { return true }
        // A file of a few lines has no "part" a snippet could be; a block at least as long is the whole of it.
        if nonBlank.count <= 3 { return newLines.count { !$0.isEmpty } >= nonBlank.count }
        var changed = Set<Int>()
        for hunk in LineDiff.hunks(from: oldLines, to: newLines) { changed.formUnion(hunk.oldRange) }
        guard !changed.contains(first), !changed.contains(last) else { return false }
        let kept = nonBlank.count { !changed.contains($0) }
        return kept * 2 >= nonBlank.count
    }

    /// `content` written the way `old` is: its line breaks, and no final line break when `old` has none.
    static func adapted(_ content: String, like old: String) -> String {
        guard !old.isEmpty else { return content }
        var text = content
        let ending = LineEnding.dominant(in: old)
        if ending != .lf { text = LineBreaks.converting(text, to: ending) }
        let oldEndsWithBreak = old.utf8.last == 0x0A || old.utf8.last == 0x0D
        if !oldEndsWithBreak, let last = LineSplitter.lines(of: text).last, let lineEnding = last.ending {
            text = String(decoding: Array(text.utf8).dropLast(lineEnding.byteCount), as: UTF8.self)
        }
        return text
    }
}
