// Incremental Server-Sent Events parser: bytes in any split become the same events, in linear time and bounded memory.

/// One dispatched event. Comments (`: OPENROUTER PROCESSING`, keep-alives) never become events.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field, when one was given.
    public var event: String?
    /// All `data:` lines of the event, joined with "\n".
    public var data: String
    public var id: String?

    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// Parses `text/event-stream` per the WHATWG rules: lines end in LF, CRLF or CR; a blank line dispatches; a
/// field's value loses one leading space; `data` lines accumulate. Works on bytes, so a UTF-8 sequence or a CRLF
/// split between network reads is handled.
///
/// Each byte is scanned once, however the input is split. A line longer than `maximumLineBytes` is not kept: its
/// bytes are dropped up to the next line end and `overlongLines` counts it, so a server that never ends a line
/// cannot make the client hold gigabytes (the reader turns it into an error). The event being collected is bounded
/// the same way (`maximumEventBytes`).
public struct SSEParser: Sendable {
    /// A chunk of a chat stream is a few hundred bytes; a whole non-streamed-style answer in one line stays far below.
    public static let defaultMaximumLineBytes = 8 << 20

    public let maximumLineBytes: Int
    public let maximumEventBytes: Int
    /// Lines (or events) dropped for being too long.
    public private(set) var overlongLines = 0

    /// Bytes of the current, unterminated line.
    private var line: [UInt8] = []
    /// The current line passed the limit: skip to its end.
    private var discardingLine = false
    private var dataLines: [String] = []
    private var dataBytes = 0
    private var sawData = false
    private var eventType: String?
    private var lastEventID: String?
    private var skipLeadingLineFeed = false
    private var atStreamStart = true
    /// Bytes examined, for tests that check each byte is looked at once.
    private(set) var scannedByteCount = 0

    public init(maximumLineBytes: Int = SSEParser.defaultMaximumLineBytes, maximumEventBytes: Int? = nil) {
        self.maximumLineBytes = max(1, maximumLineBytes)
        self.maximumEventBytes = maximumEventBytes ?? 2 * max(1, maximumLineBytes)
    }

    /// The bytes held for an unterminated line (at most `maximumLineBytes`).
    public var pendingByteCount: Int { line.count }

    /// Appends bytes and returns the events they complete.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [ServerSentEvent] where Bytes.Element == UInt8 {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            scannedByteCount += 1
            if skipLeadingLineFeed {
                skipLeadingLineFeed = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if discardingLine {
                    discardingLine = false
                } else if let event = processLine(line[...]) {
                    events.append(event)
                }
                line.removeAll(keepingCapacity: line.count <= 64 << 10)
                skipLeadingLineFeed = byte == UInt8(ascii: "\r")
                continue
            }
            guard !discardingLine else { continue }
            if line.count >= maximumLineBytes {
                overlongLines += 1
                discardingLine = true
                line.removeAll()
                continue
            }
            line.append(byte)
        }
        return events
    }

    /// Ends the stream: an unterminated last line and an event without its blank line are still delivered,
    /// because real servers sometimes close right after the last `data:` line.
    public mutating func finish() -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        if !line.isEmpty, !discardingLine, let event = processLine(line[...]) { events.append(event) }
        line.removeAll()
        discardingLine = false
        if let event = dispatch() { events.append(event) }
        return events
    }

    private mutating func processLine(_ rawLine: ArraySlice<UInt8>) -> ServerSentEvent? {
        var line = rawLine
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let field: String
        let value: String
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            var valueBytes = line[(colon + 1)...]
            if valueBytes.first == UInt8(ascii: " ") { valueBytes = valueBytes.dropFirst() }
            value = String(decoding: valueBytes, as: UTF8.self)
        } else {
            field = String(decoding: line, as: UTF8.self)
            value = ""
        }
        switch field {
        case "data":
            if dataBytes + value.utf8.count > maximumEventBytes {
                // Too much for one event: drop what was collected, like an over-long line.
                overlongLines += 1
                dataLines.removeAll()
                dataBytes = 0
                sawData = false
                return nil
            }
            dataLines.append(value)
            dataBytes += value.utf8.count
            sawData = true
        case "event":
            eventType = value
        case "id":
            if !value.contains("\0") { lastEventID = value }
        default:
            break  // `retry` and unknown fields do not matter to a one-shot request.
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            dataLines.removeAll()
            dataBytes = 0
            sawData = false
            eventType = nil
        }
        guard sawData else { return nil }
        return ServerSentEvent(event: eventType, data: dataLines.joined(separator: "\n"), id: lastEventID)
    }
}
