// A text seen as lines: byte sizes of line ranges and cuts that fit a byte budget, always at line boundaries.
import K2Workspace

struct TextLines {
    let text: String
    let index: LineIndex
    /// Lines with content; a final line break does not start another line here.
    let lineCount: Int

    init(_ text: String, index: LineIndex? = nil) {
        self.text = text
        self.index = index ?? LineIndex(text)
        let endsWithBreak = text.utf8.last == UInt8(ascii: "\n") || text.utf8.last == UInt8(ascii: "\r")
        self.lineCount = text.isEmpty ? 0 : self.index.lineCount - (endsWithBreak ? 1 : 0)
    }

    /// Where a line starts; `lineCount` gives the end of the text.
    func startOffset(_ line: Int) -> Int {
        line >= lineCount ? index.utf8Count : index.lineStarts[line]
    }

    func byteCount(_ range: Range<Int>) -> Int {
        startOffset(range.upperBound) - startOffset(range.lowerBound)
    }

    /// The lines of a range, with their line breaks.
    func slice(_ range: Range<Int>) -> String {
        text.slice(TextRange(startOffset(range.lowerBound), startOffset(range.upperBound)))
    }

    var allLines: Range<Int> { 0..<lineCount }

    /// The longest run of whole lines from `start` that fits in `maxBytes`.
    func prefix(from start: Int, maxBytes: Int) -> Range<Int> {
        var end = start
        while end < lineCount && byteCount(start..<(end + 1)) <= maxBytes { end += 1 }
        return start..<end
    }

    /// `core` widened line by line on both sides, alternately, while it fits in `maxBytes`; nil when `core` alone
    /// does not fit.
    func window(around core: Range<Int>, within bounds: Range<Int>? = nil, maxBytes: Int) -> Range<Int>? {
        let bounds = bounds ?? allLines
        guard byteCount(core) <= maxBytes else { return nil }
        var lower = core.lowerBound
        var upper = core.upperBound
        var growBelow = true
        while lower > bounds.lowerBound || upper < bounds.upperBound {
            let canGrowAbove = lower > bounds.lowerBound && byteCount((lower - 1)..<upper) <= maxBytes
            let canGrowBelow = upper < bounds.upperBound && byteCount(lower..<(upper + 1)) <= maxBytes
            if growBelow && canGrowBelow {
                upper += 1
            } else if canGrowAbove {
                lower -= 1
            } else if canGrowBelow {
                upper += 1
            } else {
                break
            }
            growBelow.toggle()
        }
        return lower..<upper
    }
}
