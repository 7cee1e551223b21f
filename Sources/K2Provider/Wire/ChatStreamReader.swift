// Bytes of a chat-completions event stream in, cleaned events and finally a `ChatTurn` out; no I/O.
import AnyJSON
import Foundation

/// Glues `SSEParser`, `ChatChunkDecoder` and `StreamAssembler`. The client feeds it network reads; tests feed it
/// literal streams in any split.
struct ChatStreamReader: Sendable {
    private let endpoint: ProviderEndpoint
    private var parser = SSEParser()
    private var assembler: StreamAssembler
    /// `[DONE]` arrived: nothing after it is read.
    private(set) var isComplete = false

    init(endpoint: ProviderEndpoint) {
        self.endpoint = endpoint
        self.assembler = StreamAssembler(fallbackModel: endpoint.model)
    }

    /// Applies a network read, reporting events as they are decoded (so those before an error still count);
    /// throws `ProviderError` for an error event inside the stream.
    mutating func feed<Bytes: Sequence>(
        _ bytes: Bytes,
        emit: (ChatStreamEvent) -> Void
    ) throws where Bytes.Element == UInt8 {
        guard !isComplete else { return }
        try apply(parser.feed(bytes), emit: emit)
        if parser.overlongLines > 0 {
            throw ProviderError(
                code: .unexpectedResponse, origin: .init(endpoint),
                serverMessage: "a line of the event stream was longer than \(parser.maximumLineBytes >> 20) MiB")
        }
    }

    /// The reply has its `finish_reason` and its usage (k2lsp always asks for usage): nothing more is needed even
    /// if `[DONE]` never comes, as on a kept-open connection whose server forgets it.
    var hasCompleteReply: Bool { assembler.hasFinishAndUsage }

    /// Ends the stream: the turn, or `.truncatedStream` when it never reached `[DONE]` or a `finish_reason`.
    mutating func finish(emit: (ChatStreamEvent) -> Void) throws -> ChatTurn {
        if !isComplete { try apply(parser.finish(), emit: emit) }
        guard let turn = assembler.finish() else {
            throw ProviderError(code: .truncatedStream, origin: .init(endpoint), isRetryable: true)
        }
        return turn
    }

    private mutating func apply(_ sseEvents: [ServerSentEvent], emit: (ChatStreamEvent) -> Void) throws {
        for sseEvent in sseEvents where !isComplete {
            if sseEvent.event == "error" {
                let payload = (try? JSONValue(parsing: Data(sseEvent.data.utf8)))
                    ?? ["error": ["message": .string(sseEvent.data)]]
                throw ProviderErrorMapper.streamError(payload, endpoint: endpoint)
            }
            switch ChatChunkDecoder.decode(sseEvent.data) {
            case .done:
                assembler.markDone()
                isComplete = true
            case .chunk(let chunk):
                assembler.consume(chunk).forEach(emit)
            case .error(let payload):
                throw ProviderErrorMapper.streamError(payload, endpoint: endpoint)
            case .ignorable:
                break
            }
        }
    }
}
