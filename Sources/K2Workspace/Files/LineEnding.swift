// Line endings, and splitting a text's bytes into lines that remember the break that ended each one.

/// The byte sequence that ends a line.
public enum LineEnding: String, Sendable, Hashable, CaseIterable {
    case lf = "\n"
    case crlf = "\r\n"
    case cr = "\r"

    public var bytes: [UInt8] { Array(rawValue.utf8) }
    public var byteCount: Int { self == .crlf ? 2 : 1 }

    /// The most frequent ending of `text`. Ties go to LF, then CRLF; a text without line breaks counts as LF,
    /// because that is what models write and what most tools expect.
    public static func dominant(in text: String) -> LineEnding {
        dominant(inBytes: Array(text.utf8))
    }

    public static func dominant(inBytes bytes: [UInt8]) -> LineEnding {
        var counts: [LineEnding: Int] = [:]
        for line in LineSplitter.lines(of: bytes) {
            if let ending = line.ending { counts[ending, default: 0] += 1 }
        }
        let lf = counts[.lf, default: 0]
        let crlf = counts[.crlf, default: 0]
        let cr = counts[.cr, default: 0]
        if lf >= crlf && lf >= cr { return .lf }
        return crlf >= cr ? .crlf : .cr
    }
}

/// One line of a byte buffer: its content and the break that ended it (nil for a last line without one).
///
/// `content` is a slice of the buffer that was split, so its indices are byte offsets into that buffer.
/// Equality compares bytes only (content and ending), never Unicode equivalence: "é" and "e\u{301}" differ.
public struct ByteLine: Sendable, Hashable {
    public var content: ArraySlice<UInt8>
    public var ending: LineEnding?

    public init(content: ArraySlice<UInt8>, ending: LineEnding?) {
        self.content = content
        self.ending = ending
    }

    public static func == (lhs: ByteLine, rhs: ByteLine) -> Bool {
        lhs.ending == rhs.ending && lhs.content.elementsEqual(rhs.content)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ending)
        hasher.combine(content.count)
        for byte in content { hasher.combine(byte) }
    }

    /// Offset of the line's first byte in the buffer it was split from.
    public var startOffset: Int { content.startIndex }
    /// Offset just past the line's content, before its break.
    public var contentEndOffset: Int { content.endIndex }
    /// Offset just past the line's break.
    public var endOffset: Int { content.endIndex + (ending?.byteCount ?? 0) }
    public var isBlank: Bool { content.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
    public var contentString: String { String(decoding: content, as: UTF8.self) }
}

/// Splits bytes into `ByteLine`s. "" has no lines; "a\n" has one line with an LF; "a" has one line without one.
public enum LineSplitter {
    /// Breaks at `\n`, `\r\n` and a lone `\r`, as `LineIndex` does.
    public static func lines(of bytes: [UInt8]) -> [ByteLine] {
        split(bytes, breakOnCarriageReturn: true)
    }

    public static func lines(of text: String) -> [ByteLine] {
        lines(of: Array(text.utf8))
    }

    /// Breaks at `\n` only, as git does: a `\r` before it stays part of the content.
    public static func newlineTerminatedLines(of bytes: [UInt8]) -> [ByteLine] {
        split(bytes, breakOnCarriageReturn: false)
    }

    private static func split(_ bytes: [UInt8], breakOnCarriageReturn: Bool) -> [ByteLine] {
        var lines: [ByteLine] = []
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                lines.append(ByteLine(content: bytes[lineStart..<index], ending: .lf))
                index += 1
                lineStart = index
            } else if byte == 0x0D && breakOnCarriageReturn {
                let isCRLF = index + 1 < bytes.count && bytes[index + 1] == 0x0A
                lines.append(ByteLine(content: bytes[lineStart..<index], ending: isCRLF ? .crlf : .cr))
                index += isCRLF ? 2 : 1
                lineStart = index
            } else {
                index += 1
            }
        }
        if lineStart < bytes.count {
            lines.append(ByteLine(content: bytes[lineStart..<bytes.count], ending: nil))
        }
        return lines
    }
}
