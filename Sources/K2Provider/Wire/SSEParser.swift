// Incremental Server-Sent Events parser: bytes in any split become the same events.

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
public struct SSEParser: Sendable {
    private var pending: [UInt8] = []
    private var dataLines: [String] = []
    private var sawData = false
    private var eventType: String?
    private var lastEventID: String?
    private var skipLeadingLineFeed = false
    private var atStreamStart = true

    public init() {}

    /// Appends bytes and returns the events they complete.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [ServerSentEvent] where Bytes.Element == UInt8 {
        pending.append(contentsOf: bytes)
        var events: [ServerSentEvent] = []
        var lineStart = 0
        var index = 0
        if skipLeadingLineFeed, !pending.isEmpty {
            skipLeadingLineFeed = false
            if pending[0] == UInt8(ascii: "\n") {
                lineStart = 1
                index = 1
            }
        }
        while index < pending.count {
            let byte = pending[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index += 1
                continue
            }
            if let event = processLine(pending[lineStart..<index]) { events.append(event) }
            index += 1
            if byte == UInt8(ascii: "\r") {
                if index < pending.count {
                    if pending[index] == UInt8(ascii: "\n") { index += 1 }
                } else {
                    skipLeadingLineFeed = true
                }
            }
            lineStart = index
        }
        pending.removeFirst(lineStart)
        return events
    }

    /// Ends the stream: an unterminated last line and an event without its blank line are still delivered,
    /// because real servers sometimes close right after the last `data:` line.
    public mutating func finish() -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        if !pending.isEmpty, let event = processLine(pending[...]) { events.append(event) }
        pending.removeAll()
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
            dataLines.append(value)
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
            sawData = false
            eventType = nil
        }
        guard sawData else { return nil }
        return ServerSentEvent(event: eventType, data: dataLines.joined(separator: "\n"), id: lastEventID)
    }
}
