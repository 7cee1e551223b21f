// Incremental parser for LSP base-protocol frames (`Content-Length` headers, then the body).
import Foundation

/// What the parser found in the byte stream.
public enum FrameEvent: Sendable, Hashable {
    /// A complete frame body.
    case body(Data)
    /// A frame announced a body larger than the limit; its bytes were skipped without being kept.
    /// `idHint` is the request id read from the start of the body, when it had one, so the refusal can reach its sender.
    case oversized(length: Int, limit: Int, idHint: RequestID?)
    /// Bytes that are not a valid header were skipped up to the next `Content-Length` header.
    case malformedHeader(reason: String)
}

/// Turns a byte stream into frames. Feeding the same bytes in any split gives the same events.
///
/// The parser never allocates more than `maximumHeaderBytes` for headers or `maximumBodyBytes` for a body:
/// an oversized body is counted down as it streams past, and garbage is dropped while looking for the next header.
public struct FrameParser: Sendable {
    public let maximumBodyBytes: Int
    public let maximumHeaderBytes: Int

    private enum State: Sendable {
        case headers
        case body(length: Int)
        case skippingBody(remaining: Int, length: Int, prefix: [UInt8])
        case resynchronising
    }

    private var state: State = .headers
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var contentLength: Int?
    private var headerBytes = 0

    public init(maximumBodyBytes: Int = 64 << 20, maximumHeaderBytes: Int = 8192) {
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumHeaderBytes = maximumHeaderBytes
    }

    /// Appends bytes and returns every event they complete.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [FrameEvent] where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var events: [FrameEvent] = []
        loop: while true {
            switch step() {
            case .needMoreBytes: break loop
            case .progressed: continue
            case .event(let event): events.append(event)
            }
        }
        compact()
        return events
    }

    /// Whether bytes of an unfinished frame are buffered (useful to report a truncated stream at EOF).
    public var hasPartialFrame: Bool {
        switch state {
        case .headers: return readIndex < buffer.count || contentLength != nil
        case .body, .skippingBody: return true
        case .resynchronising: return false
        }
    }

    private enum Step {
        case needMoreBytes
        case progressed
        case event(FrameEvent)
    }

    private var available: Int { buffer.count - readIndex }

    private mutating func step() -> Step {
        switch state {
        case .headers:
            return stepHeaders()
        case .body(let length):
            guard available >= length else { return .needMoreBytes }
            let body = Data(buffer[readIndex..<(readIndex + length)])
            readIndex += length
            state = .headers
            return .event(.body(body))
        case .skippingBody(let remaining, let length, var prefix):
            guard available > 0 else { return .needMoreBytes }
            let taken = min(remaining, available)
            if prefix.count < 4096 {
                prefix.append(contentsOf: buffer[readIndex..<(readIndex + min(taken, 4096 - prefix.count))])
            }
            readIndex += taken
            if taken == remaining {
                state = .headers
                return .event(.oversized(length: length, limit: maximumBodyBytes, idHint: Self.requestIDHint(in: prefix)))
            }
            state = .skippingBody(remaining: remaining - taken, length: length, prefix: prefix)
            return .needMoreBytes
        case .resynchronising:
            return stepResynchronising()
        }
    }

    private mutating func stepHeaders() -> Step {
        // An over-long header section is detected at the same byte whether or not its line has fully arrived, and
        // skipping starts one byte into that line: the same events for any split of the input (the fuzzer checks).
        guard let newline = buffer[readIndex...].firstIndex(of: UInt8(ascii: "\n")) else {
            if available + headerBytes > maximumHeaderBytes { return overlongHeaderSection() }
            return .needMoreBytes
        }
        if headerBytes + (newline + 1 - readIndex) > maximumHeaderBytes { return overlongHeaderSection() }
        var lineEnd = newline
        if lineEnd > readIndex, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        let line = buffer[readIndex..<lineEnd]
        headerBytes += newline + 1 - readIndex
        readIndex = newline + 1
        if line.isEmpty {
            guard let length = contentLength else {
                if headerBytes <= 2 {
                    // Blank lines between frames are tolerated.
                    headerBytes = 0
                    return .progressed
                }
                return .event(startResynchronising("A frame has no Content-Length header."))
            }
            contentLength = nil
            headerBytes = 0
            if length > maximumBodyBytes {
                state = .skippingBody(remaining: length, length: length, prefix: [])
            } else {
                state = .body(length: length)
            }
            return .progressed
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            return .event(startResynchronising("A header line has no ':'."))
        }
        let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            .trimmingCharacters(in: .whitespaces).lowercased()
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if name == "content-length" {
            guard let length = Int(value), length >= 0 else {
                return .event(startResynchronising("The Content-Length '\(value.prefix(40))' is not a non-negative integer."))
            }
            contentLength = length
        }
        // Content-Type and any other header are accepted and ignored.
        return .progressed
    }

    private mutating func overlongHeaderSection() -> Step {
        readIndex += 1
        return .event(startResynchronising("The header section is longer than \(maximumHeaderBytes) bytes."))
    }

    private static let contentLengthPattern = Array("content-length:".utf8)

    private mutating func startResynchronising(_ reason: String) -> FrameEvent {
        contentLength = nil
        headerBytes = 0
        state = .resynchronising
        return .malformedHeader(reason: reason)
    }

    /// Drops bytes until the next `Content-Length:` (any case). Garbage often runs straight into the next frame
    /// without a line break, so the header is looked for anywhere, not only at a line start.
    /// `readIndex` never moves past the start of a possible match, so a header split across reads is still found.
    private mutating func stepResynchronising() -> Step {
        let pattern = Self.contentLengthPattern
        while readIndex < buffer.count {
            let compared = min(available, pattern.count)
            var matches = true
            for offset in 0..<compared where Self.lowercased(buffer[readIndex + offset]) != pattern[offset] {
                matches = false
                break
            }
            if matches {
                if compared < pattern.count { return .needMoreBytes }
                state = .headers
                return .progressed
            }
            readIndex += 1
        }
        return .needMoreBytes
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte + 32 : byte
    }

    private mutating func compact() {
        Self.compact(&buffer, readIndex: &readIndex)
    }

    /// Drops consumed bytes: all of them when everything was read, else once they are most of a large buffer.
    static func compact(_ buffer: inout [UInt8], readIndex: inout Int) {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            readIndex = 0
        } else if readIndex > 65536, readIndex > buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }

    /// Reads a top-level `"id"` from the first bytes of a body that was too large to keep.
    static func requestIDHint(in prefix: [UInt8]) -> RequestID? {
        let text = String(decoding: prefix, as: UTF8.self)
        guard let keyRange = text.range(of: "\"id\"") else { return nil }
        // A params object that precedes the id could hold an unrelated "id"; trust only an id before params.
        if let paramsRange = text.range(of: "\"params\""), paramsRange.lowerBound < keyRange.lowerBound { return nil }
        var rest = text[keyRange.upperBound...].drop(while: { $0 == " " || $0 == "\t" })
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        if rest.first == "\"" {
            let body = rest.dropFirst()
            guard let end = body.firstIndex(of: "\"") else { return nil }
            return .string(String(body[..<end]))
        }
        let digits = rest.prefix(while: { $0.isNumber || $0 == "-" })
        return Int(digits).map(RequestID.number)
    }
}

/// Builds the bytes of one frame.
public enum FrameWriter {
    public static func frame(_ body: Data) -> Data {
        var data = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        data.append(body)
        return data
    }
}
