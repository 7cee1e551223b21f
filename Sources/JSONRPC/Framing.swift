// How messages are delimited on a byte stream: LSP's Content-Length headers, or one message per line (ACP).
import Foundation

public enum Framing: Sendable, Hashable {
    /// LSP's base protocol: `Content-Length` headers, a blank line, then the body.
    case contentLength
    /// One message per line, no headers (ACP, JSON Lines).
    case newlineDelimited

    /// A parser for incoming bytes with this framing.
    public func makeReader(maximumBodyBytes: Int) -> FrameReader {
        switch self {
        case .contentLength: FrameReader(contentLength: FrameParser(maximumBodyBytes: maximumBodyBytes))
        case .newlineDelimited: FrameReader(lines: LineFrameParser(maximumBodyBytes: maximumBodyBytes))
        }
    }

    /// The bytes of one outgoing frame.
    public func frame(_ body: Data) -> Data {
        switch self {
        case .contentLength:
            return FrameWriter.frame(body)
        case .newlineDelimited:
            var data = body
            data.append(UInt8(ascii: "\n"))
            return data
        }
    }
}

/// The incoming side of a `Framing`. (Two optionals rather than an enum with payloads, so that feeding mutates the
/// parser's buffer in place instead of copying it.)
public struct FrameReader: Sendable {
    private var contentLength: FrameParser?
    private var lines: LineFrameParser?

    init(contentLength: FrameParser) {
        self.contentLength = contentLength
    }

    init(lines: LineFrameParser) {
        self.lines = lines
    }

    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [FrameEvent] where Bytes.Element == UInt8 {
        contentLength?.feed(bytes) ?? lines?.feed(bytes) ?? []
    }

    /// The input ended: what the buffered bytes still make (a last line without its newline).
    public mutating func finish() -> [FrameEvent] {
        lines?.finish() ?? []
    }

    public var hasPartialFrame: Bool {
        contentLength?.hasPartialFrame ?? lines?.hasPartialFrame ?? false
    }
}
