// A text under a batch of edits: a gap buffer of UTF-8 bytes whose line starts stay current as it changes.
import Foundation

/// Applies the changes of one `didChange` in one pass. Each change is positioned against the text the previous
/// one produced (as LSP requires), so positions need current line starts; instead of a copy of the text and a new
/// line index per change, the bytes live in a gap buffer and the line starts are kept on both sides of the gap.
/// A change costs its own size plus the distance from the previous one, and the text is rebuilt once at the end.
struct EditableText {
    private var storage: [UInt8]
    private var gapStart: Int
    private var gapEnd: Int
    /// Line starts at or before the gap, as offsets, ascending. Always holds 0.
    private var startsBefore: [Int] = [0]
    /// Line starts after the gap, as distances from the end of the text (unchanged by edits at the gap), the one
    /// nearest the gap last.
    private var startsAfter: [Int] = []

    /// `lineStarts` are the text's (`LineIndex.lineStarts`); `extra` bytes are reserved for what the batch inserts.
    init(_ text: String, lineStarts: [Int], reserving extra: Int) {
        storage = Array(text.utf8)
        gapStart = storage.count
        storage.append(contentsOf: repeatElement(0, count: max(extra, 64)))
        gapEnd = storage.count
        startsBefore = lineStarts
    }

    var count: Int { storage.count - (gapEnd - gapStart) }

    var text: String {
        var bytes = Array(storage[0..<gapStart])
        bytes.append(contentsOf: storage[gapEnd...])
        return String(decoding: bytes, as: UTF8.self)
    }

    private func byte(at offset: Int) -> UInt8 {
        offset < gapStart ? storage[offset] : storage[offset + gapEnd - gapStart]
    }

    private var lineCount: Int { startsBefore.count + startsAfter.count }

    private func lineStart(_ line: Int) -> Int {
        line < startsBefore.count ? startsBefore[line] : count - startsAfter[startsAfter.count - 1 - (line - startsBefore.count)]
    }

    /// The UTF-8 offset of a position, clamped exactly as `LineIndex.offset(of:in:text:)` clamps.
    func offset(of position: LineColumn, in encoding: PositionEncoding) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < lineCount else { return count }
        let start = lineStart(position.line)
        var end = position.line + 1 < lineCount ? lineStart(position.line + 1) : count
        if end > start, position.line + 1 < lineCount {
            end -= 1  // the line break: `\n`, a lone `\r`, or `\r\n`
            if byte(at: end) == 0x0A, end > start, byte(at: end - 1) == 0x0D { end -= 1 }
        }
        return LineIndex.offset(ofColumn: position.column, from: start, to: end, in: encoding) { byte(at: $0) }
    }

    /// Replaces the bytes of `lower..<upper` (offsets in the current text) with `replacement`.
    mutating func replace(_ lower: Int, _ upper: Int, with replacement: Substring.UTF8View) {
        let upper = max(lower, upper)
        moveGap(to: lower)
        // The line starts the change can affect: those inside the replaced bytes and the one just after them,
        // which are recomputed below, and one at `lower` itself (a `\r` before it may now meet a `\n`).
        while let last = startsAfter.last, count - last <= upper { startsAfter.removeLast() }
        if lower > 0, startsBefore.last == lower { startsBefore.removeLast() }
        gapEnd += upper - lower
        let inserted = replacement.count
        if gapEnd - gapStart < inserted { growGap(toAtLeast: inserted) }
        var offset = gapStart
        for byte in replacement {
            storage[offset] = byte
            offset += 1
        }
        gapStart += inserted
        var candidate = max(lower, 1)
        while candidate <= lower + inserted, candidate <= count {
            if isLineStart(candidate) { startsBefore.append(candidate) }
            candidate += 1
        }
    }

    /// Whether a line starts at `offset` (> 0): after `\n`, or after a `\r` that no `\n` follows.
    private func isLineStart(_ offset: Int) -> Bool {
        switch byte(at: offset - 1) {
        case 0x0A: return true
        case 0x0D: return offset == count || byte(at: offset) != 0x0A
        default: return false
        }
    }

    private mutating func moveGap(to offset: Int) {
        let gapLength = gapEnd - gapStart
        if offset < gapStart {
            let moved = gapStart - offset
            storage.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                _ = memmove(base + offset + gapLength, base + offset, moved)
            }
            gapStart = offset
            gapEnd = offset + gapLength
            // The starts past the new gap move across, nearest the gap last (in bulk: a move can cross many lines).
            let firstMoved = Self.partition(startsBefore) { $0 > offset }
            let total = count
            startsAfter.append(contentsOf: startsBefore[firstMoved...].reversed().lazy.map { total - $0 })
            startsBefore.removeSubrange(firstMoved...)
        } else if offset > gapStart {
            let moved = offset - gapStart
            storage.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                _ = memmove(base + gapStart, base + gapEnd, moved)
            }
            gapStart = offset
            gapEnd = offset + gapLength
            // startsAfter holds distances from the end, ascending: the last ones are the starts now before the gap.
            let total = count
            let firstMoved = Self.partition(startsAfter) { total - $0 <= offset }
            startsBefore.append(contentsOf: startsAfter[firstMoved...].reversed().lazy.map { total - $0 })
            startsAfter.removeSubrange(firstMoved...)
        }
    }

    /// The first index of an array whose elements fail `belongs` up to some index and pass it from there on.
    private static func partition(_ values: [Int], from belongs: (Int) -> Bool) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if belongs(values[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private mutating func growGap(toAtLeast needed: Int) {
        let extra = max(needed, count / 4, 4096) - (gapEnd - gapStart)
        storage.insert(contentsOf: repeatElement(0, count: extra), at: gapEnd)
        gapEnd += extra
    }
}
