// Incremental parser for newline-delimited JSON-RPC (one message per line, as ACP and JSON Lines use).
import Foundation

/// Turns a byte stream into one frame per line. Feeding the same bytes in any split gives the same events.
///
/// A line ends at `\n` (a `\r` before it is dropped); blank lines are skipped. A line longer than `maximumBodyBytes`
/// is counted as it streams past, never kept, and reported as `.oversized` when its newline arrives. JSON encoders
/// never put a raw newline inside a message, so a line is always one whole message or garbage.
public struct LineFrameParser: Sendable {
    public let maximumBodyBytes: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Set while an over-long line streams past: its length so far and its first bytes (for the request id).
    private var skipping: (length: Int, prefix: [UInt8])?

    private static let prefixLimit = 4096

    public init(maximumBodyBytes: Int = 64 << 20) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [FrameEvent] where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var events: [FrameEvent] = []
        while readIndex < buffer.count {
            guard let newline = buffer[readIndex...].firstIndex(of: UInt8(ascii: "\n")) else {
                if skipping != nil || buffer.count - readIndex > maximumBodyBytes { startOrContinueSkipping(upTo: buffer.count) }
                break
            }
            if skipping != nil || newline - readIndex > maximumBodyBytes {
                startOrContinueSkipping(upTo: newline)
                readIndex = newline + 1
                if let skipped = skipping {
                    events.append(
                        .oversized(
                            length: skipped.length, limit: maximumBodyBytes,
                            idHint: FrameParser.requestIDHint(in: skipped.prefix)))
                }
                skipping = nil
                continue
            }
            if let body = Self.body(buffer[readIndex..<newline]) { events.append(.body(body)) }
            readIndex = newline + 1
        }
        compact()
        return events
    }

    /// The input ended: a last line without a newline is still a message.
    public mutating func finish() -> [FrameEvent] {
        defer {
            buffer.removeAll()
            readIndex = 0
            skipping = nil
        }
        if let skipped = skipping {
            let length = skipped.length + buffer.count - readIndex
            return [.oversized(length: length, limit: maximumBodyBytes, idHint: FrameParser.requestIDHint(in: skipped.prefix))]
        }
        guard readIndex < buffer.count else { return [] }
        if buffer.count - readIndex > maximumBodyBytes {
            let prefix = Array(buffer[readIndex..<min(buffer.count, readIndex + Self.prefixLimit)])
            return [.oversized(length: buffer.count - readIndex, limit: maximumBodyBytes, idHint: FrameParser.requestIDHint(in: prefix))]
        }
        return Self.body(buffer[readIndex...]).map { [.body($0)] } ?? []
    }

    /// Whether bytes of an unfinished line (other than blanks) are buffered.
    public var hasPartialFrame: Bool {
        skipping != nil || buffer[readIndex...].contains { !Self.isBlank($0) }
    }

    private static func body(_ line: ArraySlice<UInt8>) -> Data? {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard line.contains(where: { !isBlank($0) }) else { return nil }
        return Data(line)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// Moves the bytes before `end` out of the buffer into the skipped count.
    private mutating func startOrContinueSkipping(upTo end: Int) {
        var state = skipping ?? (length: 0, prefix: [])
        let taken = end - readIndex
        if state.prefix.count < Self.prefixLimit {
            state.prefix.append(contentsOf: buffer[readIndex..<(readIndex + min(taken, Self.prefixLimit - state.prefix.count))])
        }
        state.length += taken
        skipping = state
        readIndex = end
    }

    private mutating func compact() {
        FrameParser.compact(&buffer, readIndex: &readIndex)
    }
}
