// The transport the MCP client talks through: the SDK's stdio or HTTP transport, pumped so that its end is noticed
// and event-stream answers arrive as messages.
import Foundation
import K2Provider
import Logging
import MCP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Wraps one of the SDK's transports for two reasons.
///
/// - The SDK's client re-reads a transport's stream in a loop; once a stream has ended (a server closed its stdout)
///   that loop spins until someone disconnects. Here the end is reported through `onEnd`, so the connection
///   disconnects at once and every pending call fails instead of waiting out its deadline.
/// - On Linux the SDK's `HTTPClientTransport` reads each POST answer whole and hands a `text/event-stream` body to
///   the client as one message, which the client cannot decode: the request never completes (the "hang" on servers
///   that answer with SSE). Here such bodies are split into their `data` payloads with the provider's SSE parser;
///   JSON answers pass through. Limit: a POST answer is read to its end before its messages are delivered, so a
///   server that keeps a POST stream open after its response meets the call's deadline instead.
actor PumpedTransport: Transport {
    nonisolated let logger: Logger
    private let inner: any Transport
    private let splitsEventStreams: Bool
    private let onEnd: @Sendable () -> Void
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var pump: Task<Void, Never>?
    private var disconnected = false

    init(wrapping inner: any Transport, splitsEventStreams: Bool, logger: Logger, onEnd: @escaping @Sendable () -> Void) {
        self.inner = inner
        self.splitsEventStreams = splitsEventStreams
        self.logger = logger
        self.onEnd = onEnd
        (messages, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
    }

    /// Streamable HTTP through the SDK's transport, with the configured headers on every request.
    static func http(
        url: URL, headers: [String: String], requestTimeout: TimeInterval, logger: Logger,
        onEnd: @escaping @Sendable () -> Void
    ) -> PumpedTransport {
        let configuration = URLSessionConfiguration.default
        configuration.timeoutIntervalForRequest = requestTimeout
        let transport = HTTPClientTransport(
            endpoint: url, configuration: configuration, streaming: false,
            requestModifier: { request in
                var request = request
                for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
                return request
            },
            logger: logger)
        return PumpedTransport(wrapping: transport, splitsEventStreams: true, logger: logger, onEnd: onEnd)
    }

    func connect() async throws {
        try await inner.connect()
        let source = await inner.receive()
        let (continuation, splits, onEnd) = (self.continuation, splitsEventStreams, self.onEnd)
        pump = Task {
            do {
                for try await body in source {
                    for message in splits ? Self.messages(in: body) : [body] { continuation.yield(message) }
                }
            } catch {
                // The end is what matters; the connection reports why (the process exit, a deadline).
            }
            if await !self.disconnected { onEnd() }
        }
    }

    func disconnect() async {
        disconnected = true
        await inner.disconnect()
        pump?.cancel()
        continuation.finish()
    }

    func send(_ data: Data) async throws {
        try await inner.send(data)
    }

    /// Ends only at `disconnect`, so the client's read loop waits instead of spinning on an ended stream.
    func receive() -> AsyncThrowingStream<Data, any Error> {
        messages
    }

    /// The client updates the HTTP protocol-version header only on the SDK's own type; this forwards it.
    func negotiated(protocolVersion: String) async {
        if let http = inner as? HTTPClientTransport { await http.updateNegotiatedProtocolVersion(protocolVersion) }
    }

    /// A JSON body as it is; an event-stream body as the `data` of each of its message events.
    static func messages(in body: Data) -> [Data] {
        let first = body.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return [body] }
        var parser = SSEParser()
        let events = parser.feed(body) + parser.finish()
        return events.filter { ($0.event ?? "message") == "message" && !$0.data.isEmpty }.map { Data($0.data.utf8) }
    }
}
