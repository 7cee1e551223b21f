// The smallest replacements that turn one text into another, as UTF-8 ranges that never split a character or a CRLF.
import K2Workspace

/// Replace `range` (UTF-8 offsets into the original text) with `newText`.
public struct TextReplacement: Sendable, Hashable, CustomStringConvertible {
    public var range: TextRange
    public var newText: String

    public init(range: TextRange, newText: String) {
        self.range = range
        self.newText = newText
    }

    public var description: String { "\(range) -> \(newText.debugDescription)" }
}

public enum MinimalTextEdits {
    /// Non-overlapping replacements in ascending order; applied to `original` (each against the original offsets,
    /// so from last to first), they give `updated`. One replacement per hunk of a line diff, narrowed to the hunk's
    /// differing bytes. The narrowing stops at character boundaries (an editor counts UTF-16 units, and a surrogate
    /// pair must never be cut) and never between a `\r` and its `\n` (a position cannot point there).
    ///
    /// The diff is bounded (`LineDiffLimits`): past its limits, or once the task is cancelled, the lines between the
    /// common start and end become one replacement. That is still exact, only not the smallest; a reply of 87k lines
    /// for a one-line selection took 30 s before, and a cancelled request no longer waits for it.
    public static func compute(
        original: String, updated: String, limits: LineDiffLimits = .standard
    ) -> [TextReplacement] {
        let oldBytes = Array(original.utf8)
        let newBytes = Array(updated.utf8)
        if oldBytes == newBytes { return [] }
        let oldLines = LineSplitter.lines(of: oldBytes)
        let newLines = LineSplitter.lines(of: newBytes)
        return LineDiff.hunks(from: oldLines, to: newLines, limits: limits).compactMap { hunk in
            let oldRange = byteRange(of: hunk.oldRange, in: oldLines, totalCount: oldBytes.count)
            let newRange = byteRange(of: hunk.newRange, in: newLines, totalCount: newBytes.count)
            return narrowed(old: oldBytes[oldRange], new: newBytes[newRange])
        }
    }

    /// Applies replacements computed against `text` (for tests and for callers that want the result).
    public static func apply(_ replacements: [TextReplacement], to text: String) -> String {
        replacements.sorted { $0.range.lowerBound > $1.range.lowerBound }.reduce(text) { result, replacement in
            result.replacing(replacement.range, with: replacement.newText)
        }
    }

    private static func byteRange(of lineRange: Range<Int>, in lines: [ByteLine], totalCount: Int) -> Range<Int> {
        guard let first = lineRange.first, let last = lineRange.last else {
            let insertionPoint = lineRange.lowerBound < lines.count ? lines[lineRange.lowerBound].startOffset : totalCount
            return insertionPoint..<insertionPoint
        }
        return lines[first].startOffset..<lines[last].endOffset
    }

    private static func narrowed(old: ArraySlice<UInt8>, new: ArraySlice<UInt8>) -> TextReplacement? {
        let limit = min(old.count, new.count)
        var prefix = 0
        while prefix < limit && old[old.startIndex + prefix] == new[new.startIndex + prefix] { prefix += 1 }
        while prefix > 0 && (!isCut(allowedAt: prefix, in: old) || !isCut(allowedAt: prefix, in: new)) {
            prefix -= 1
        }
        var suffix = 0
        while suffix < limit - prefix && old[old.endIndex - 1 - suffix] == new[new.endIndex - 1 - suffix] {
            suffix += 1
        }
        while suffix > 0 && (!isCut(allowedAt: old.count - suffix, in: old) || !isCut(allowedAt: new.count - suffix, in: new)) {
            suffix -= 1
        }
        let oldChanged = (old.startIndex + prefix)..<(old.endIndex - suffix)
        let newChanged = (new.startIndex + prefix)..<(new.endIndex - suffix)
        if oldChanged.isEmpty && newChanged.isEmpty { return nil }
        return TextReplacement(
            range: TextRange(oldChanged.lowerBound, oldChanged.upperBound),
            newText: String(decoding: new[newChanged], as: UTF8.self))
    }

    /// Whether a range may start or end `position` bytes into `bytes`: not inside a UTF-8 sequence, not between
    /// `\r` and `\n`. The hunk's own ends are always allowed.
    private static func isCut(allowedAt position: Int, in bytes: ArraySlice<UInt8>) -> Bool {
        guard position > 0 && position < bytes.count else { return true }
        let byte = bytes[bytes.startIndex + position]
        if byte & 0xC0 == 0x80 { return false }
        return !(byte == 0x0A && bytes[bytes.startIndex + position - 1] == 0x0D)
    }
}
