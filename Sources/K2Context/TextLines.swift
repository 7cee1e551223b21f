// A text seen as lines: byte sizes of line ranges and cuts that fit a byte budget, always at line boundaries.
import K2Workspace

/// Line starts as `LineIndex` defines them (`\n`, `\r\n`, lone `\r`), found sixteen bytes at a time: the builder
/// cuts many files per request and a byte loop would cost more than reading them.
public struct TextLines: Sendable {
    public let text: String
    /// UTF-8 offset where each line starts; never empty.
    public let starts: [Int]
    /// Where each line's content ends (before its break); only kept when the text has carriage returns.
    private let contentEnds: [Int]?
    public let utf8Count: Int
    /// Lines with content; a final line break does not start another line here.
    public let lineCount: Int

    public init(_ text: String, index: LineIndex? = nil) {
        self.text = text
        var text = text
        utf8Count = text.utf8.count
        if let index {
            starts = index.lineStarts
            contentEnds = index.lineContentEnds
        } else if let found = text.withUTF8({ Self.newlineStarts($0) }) {
            starts = found
            contentEnds = nil
        } else {
            let index = LineIndex(text)
            starts = index.lineStarts
            contentEnds = index.lineContentEnds
        }
        let last = text.utf8.last
        let endsWithBreak = last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r")
        lineCount = utf8Count == 0 ? 0 : starts.count - (endsWithBreak ? 1 : 0)
    }

    /// Line starts after each `\n`; nil when the text holds a `\r` (then `LineIndex` decides). A first pass counts
    /// the lines so that the second writes them straight into an array of the right size.
    private static func newlineStarts(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int]? {
        guard let base = bytes.baseAddress else { return [0] }
        let newline = SIMD16<UInt8>(repeating: 0x0A)
        let carriageReturn = SIMD16<UInt8>(repeating: 0x0D)
        let fullChunks = bytes.count / 16 * 16
        var newlines = 0
        var chunk = 0
        let ones = SIMD16<UInt8>(repeating: 1)
        let zeros = SIMD16<UInt8>()
        while chunk < fullChunks {
            // Lanes count to at most 255 before they are added up.
            var lanes = SIMD16<UInt8>()
            var rounds = 0
            while rounds < 255 && chunk < fullChunks {
                let vector = ByteVectors.load(base, chunk)
                if ByteVectors.hasAny(vector .== carriageReturn) { return nil }
                lanes &+= zeros.replacing(with: ones, where: vector .== newline)
                chunk += 16
                rounds += 1
            }
            newlines += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        for index in fullChunks..<bytes.count {
            if base[index] == 0x0D { return nil }
            if base[index] == 0x0A { newlines += 1 }
        }
        return [Int](unsafeUninitializedCapacity: newlines + 1) { starts, initialized in
            guard let output = starts.baseAddress else { return }
            output[0] = 0
            var written = 1
            var chunk = 0
            while chunk < fullChunks {
                let hits = ByteVectors.load(base, chunk) .== newline
                guard ByteVectors.hasAny(hits) else {
                    chunk += 16
                    continue
                }
                var bits = ByteVectors.bitmask(hits)
                while bits != 0 {
                    output[written] = chunk + bits.trailingZeroBitCount + 1
                    written += 1
                    bits &= bits - 1
                }
                chunk += 16
            }
            for index in fullChunks..<bytes.count where base[index] == 0x0A {
                output[written] = index + 1
                written += 1
            }
            initialized = written
        }
    }

    /// The number of lines as `LineIndex` counts them (a final break starts an empty last line).
    public var indexLineCount: Int { starts.count }

    /// Where a line starts; past the last line, the end of the text.
    public func startOffset(_ line: Int) -> Int {
        line <= 0 ? 0 : (line >= lineCount ? utf8Count : starts[line])
    }

    /// Where a line's content ends, before its line break.
    public func contentEndOffset(_ line: Int) -> Int {
        if let contentEnds { return line < contentEnds.count ? contentEnds[line] : utf8Count }
        return line + 1 < starts.count ? starts[line + 1] - 1 : utf8Count
    }

    public func byteRange(_ range: Range<Int>) -> Range<Int> {
        startOffset(range.lowerBound)..<startOffset(range.upperBound)
    }

    public func byteCount(_ range: Range<Int>) -> Int {
        startOffset(range.upperBound) - startOffset(range.lowerBound)
    }

    /// The lines of a range, with their line breaks (not redacted).
    public func slice(_ range: Range<Int>) -> String {
        text.slice(TextRange(startOffset(range.lowerBound), startOffset(range.upperBound)))
    }

    public var allLines: Range<Int> { 0..<lineCount }

    /// The longest run of whole lines from `start` that fits in `maxBytes`.
    public func prefix(from start: Int, maxBytes: Int) -> Range<Int> {
        // Binary search: the byte count grows with the end line.
        var low = start
        var high = lineCount
        while low < high {
            let middle = (low + high + 1) / 2
            if byteCount(start..<middle) <= maxBytes { low = middle } else { high = middle - 1 }
        }
        return start..<low
    }

    /// `core` widened line by line on both sides, alternately, while it fits in `maxBytes`; nil when `core` alone
    /// does not fit.
    public func window(around core: Range<Int>, within bounds: Range<Int>? = nil, maxBytes: Int) -> Range<Int>? {
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
