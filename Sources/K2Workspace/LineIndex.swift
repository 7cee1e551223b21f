// Line starts of a text and conversions between UTF-8 offsets and (line, column) in any position encoding.

/// How a column counts characters: LSP's negotiated `positionEncoding`.
public enum PositionEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case utf32 = "utf-32"
}

/// A zero-based line and a column counted in some `PositionEncoding`.
public struct LineColumn: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (lhs: LineColumn, rhs: LineColumn) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
    public var description: String { "\(line):\(column)" }
}

/// Where each line of a text starts, as UTF-8 offsets. Line breaks are `\n`, `\r\n` and a lone `\r`.
///
/// Every conversion clamps: a line past the end means the end of the text, a column past the end of its line means
/// the end of the line (before the break), and a column inside a multi-unit character means that character's start.
public struct LineIndex: Sendable, Hashable {
    /// UTF-8 offset of the first byte of each line; never empty.
    public let lineStarts: [Int]
    /// UTF-8 offset of the end of each line's content (before its line break).
    public let lineContentEnds: [Int]
    public let utf8Count: Int

    public init(_ text: String) {
        var starts = [0]
        var ends: [Int] = []
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == 0x0A {
                    ends.append(index)
                    starts.append(index + 1)
                } else if byte == 0x0D {
                    ends.append(index)
                    if index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
                    starts.append(index + 1)
                }
                index += 1
            }
            ends.append(count)
        }
        lineStarts = starts
        lineContentEnds = ends
        utf8Count = text.utf8.count
    }

    public var lineCount: Int { lineStarts.count }

    /// The line that contains a UTF-8 offset (clamped to the text).
    public func line(containing offset: Int) -> Int {
        let offset = max(0, min(offset, utf8Count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The UTF-8 offset of a (line, column) position, clamped as described above.
    public func offset(of position: LineColumn, in encoding: PositionEncoding, text: String) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < lineStarts.count else { return utf8Count }
        var text = text
        return text.withUTF8 { bytes in
            Self.offset(
                ofColumn: position.column, from: lineStarts[position.line], to: lineContentEnds[position.line],
                in: encoding) { bytes[$0] }
        }
    }

    /// The UTF-8 offset of a column of the line whose content is `start..<end`: the end of the line past its end,
    /// the character's start inside a multi-unit character. `byteAt` reads the text's bytes.
    static func offset(
        ofColumn column: Int, from start: Int, to end: Int, in encoding: PositionEncoding, byteAt: (Int) -> UInt8
    ) -> Int {
        let wanted = max(0, column)
        if wanted == 0 { return start }
        var offset = start
        var units = 0
        while offset < end {
            let scalarLength = Self.scalarLength(leadByte: byteAt(offset))
            let scalarUnits: Int
            switch encoding {
            case .utf8: scalarUnits = scalarLength
            case .utf16: scalarUnits = scalarLength == 4 ? 2 : 1
            case .utf32: scalarUnits = 1
            }
            if units + scalarUnits > wanted { return offset }
            units += scalarUnits
            offset += scalarLength
            if units == wanted { return min(offset, end) }
        }
        return end
    }

    /// The (line, column) of a UTF-8 offset. An offset inside a line break or a character is moved back to its start.
    public func position(of offset: Int, in encoding: PositionEncoding, text: String) -> LineColumn {
        let offset = max(0, min(offset, utf8Count))
        let line = line(containing: offset)
        let start = lineStarts[line]
        let target = min(offset, lineContentEnds[line])
        let utf8 = text.utf8
        var current = start
        var units = 0
        var index = utf8.index(utf8.startIndex, offsetBy: start)
        while current < target {
            let scalarLength = Self.scalarLength(leadByte: utf8[index])
            if current + scalarLength > target { break }
            switch encoding {
            case .utf8: units += scalarLength
            case .utf16: units += scalarLength == 4 ? 2 : 1
            case .utf32: units += 1
            }
            current += scalarLength
            index = utf8.index(index, offsetBy: scalarLength)
        }
        return LineColumn(line: line, column: units)
    }

    /// The UTF-8 offset where a line starts (the end of the text for a line past the end).
    public func startOffset(ofLine line: Int) -> Int {
        guard line >= 0 else { return 0 }
        return line < lineStarts.count ? lineStarts[line] : utf8Count
    }

    /// The UTF-8 offset where a line's content ends, before its line break.
    public func contentEndOffset(ofLine line: Int) -> Int {
        guard line >= 0 else { return 0 }
        return line < lineContentEnds.count ? lineContentEnds[line] : utf8Count
    }

    private static func scalarLength(leadByte: UInt8) -> Int {
        switch leadByte {
        case 0..<0x80: return 1
        case 0xC0..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        case 0xF0...: return 4
        default: return 1  // A continuation byte cannot lead in valid UTF-8; step one byte.
        }
    }
}
