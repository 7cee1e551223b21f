// A JSON-RPC connection over a pair of byte streams: frames in on a thread, frames out under a lock, requests in
// both directions (incoming ones owned by the `RequestTracker`, outgoing ones matched to their responses).
import AnyJSON
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Something the connection read that the owner must act on. Responses to our own requests are consumed internally.
public enum IncomingEvent: Sendable {
    case request(IncomingRequest)
    case notification(method: String, params: JSONValue?)
    /// A frame that could not become a message. It has already been answered (with the request's id when one could
    /// be read); the reason is for the log.
    case refused(reason: String)
    /// The input stream ended (EOF or a read error).
    case endOfInput(truncatedFrame: Bool)
    /// The owner asked the loop to stop (`Connection.requestStop`), e.g. because the parent process died.
    case stopRequested(reason: String)
}

/// A request as read: its reply handle and its params, not yet decoded to a type.
public struct IncomingRequest: Sendable {
    public let pending: PendingRequest
    public let params: JSONValue?
    public var id: RequestID { pending.id }
    public var method: String { pending.method }
}

/// Failures of requests this side sent.
public enum OutgoingRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case connectionClosed
    case response(ResponseError)
    /// No answer within the deadline; a late answer is ignored.
    case timedOut(Duration)
    /// The answer is not the request's response type; the reason names what was wrong.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .connectionClosed: "the connection closed before the answer"
        case .response(let error): "the peer answered \(error.code): \(error.message)"
        case .timedOut(let duration): "no answer within \(duration)"
        case .invalidResponse(let reason): "the answer is not what the protocol says: \(reason)"
        }
    }
}

public struct ConnectionOptions: Sendable {
    public var framing: Framing
    public var maximumMessageBytes: Int
    /// Ids of outgoing requests are this prefix and a counter, so they never collide with the peer's ids.
    public var outgoingIDPrefix: String
    /// Notifications that cancel a request by id, mapped to how their params name it. They are handled on the reader
    /// thread, ahead of every queued message (derived from the registry's `.cancelsRequest` entries).
    public var cancellations: [String: @Sendable (JSONValue?) -> RequestID?]
    /// Called with every frame body read ("in") or written ("out"), for a transcript.
    public var trace: (@Sendable (_ direction: String, _ body: Data) -> Void)?
    /// Reply mistakes of this process; see `ReplyViolation.standardHandler`.
    public var onViolation: @Sendable (ReplyViolation) -> Void

    public init(
        framing: Framing = .contentLength, maximumMessageBytes: Int = 64 << 20, outgoingIDPrefix: String = "k2lsp-",
        cancellations: [String: @Sendable (JSONValue?) -> RequestID?] = [:],
        trace: (@Sendable (_ direction: String, _ body: Data) -> Void)? = nil,
        onViolation: @escaping @Sendable (ReplyViolation) -> Void = ReplyViolation.standardHandler(report: { violation in
            FileHandle.standardError.write(Data("error: \(violation)\n".utf8))
        })
    ) {
        self.framing = framing
        self.maximumMessageBytes = maximumMessageBytes
        self.outgoingIDPrefix = outgoingIDPrefix
        self.cancellations = cancellations
        self.trace = trace
        self.onViolation = onViolation
    }
}

/// Writes whole frames; safe from any thread, frames never interleave.
final class MessageOutput: Sendable {
    private let handle: FileHandle
    private let framing: Framing
    private let trace: (@Sendable (_ direction: String, _ body: Data) -> Void)?
    private let lock = Mutex(())

    init(handle: FileHandle, framing: Framing, trace: (@Sendable (_ direction: String, _ body: Data) -> Void)?) {
        self.handle = handle
        self.framing = framing
        self.trace = trace
    }

    func send(_ body: Data) {
        trace?("out", body)
        let frame = framing.frame(body)
        let descriptor = handle.fileDescriptor
        lock.withLock { _ in
            frame.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, base + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // The peer is gone; reads will see EOF and end the session.
                    }
                    offset += written
                }
            }
        }
    }
}

public final class Connection: Sendable {
    private struct State {
        var nextOutgoingID = 0
        var pending: [RequestID: CheckedContinuation<JSONValue, any Error>] = [:]
        var cancelledBeforeSending: Set<RequestID> = []
        var closed = false
    }

    private let input: FileHandle
    private let options: ConnectionOptions
    private let output: MessageOutput
    private let state = Mutex(State())
    /// The one owner of incoming requests in flight.
    public let requests: RequestTracker
    public let incoming: AsyncStream<IncomingEvent>
    private let incomingContinuation: AsyncStream<IncomingEvent>.Continuation

    public init(input: FileHandle, output: FileHandle, options: ConnectionOptions = ConnectionOptions()) {
        self.input = input
        self.options = options
        self.output = MessageOutput(handle: output, framing: options.framing, trace: options.trace)
        requests = RequestTracker(output: self.output, onViolation: options.onViolation)
        (incoming, incomingContinuation) = AsyncStream.makeStream(of: IncomingEvent.self, bufferingPolicy: .unbounded)
    }

    /// Starts the reader thread. Call once.
    public func start() {
        let thread = Thread { [self] in readLoop() }
        thread.name = "jsonrpc-reader"
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func readLoop() {
        var reader = options.framing.makeReader(maximumBodyBytes: options.maximumMessageBytes)
        let descriptor = input.fileDescriptor
        let chunkSize = 65536
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                for event in reader.finish() { handle(event) }
                finishInput(truncated: reader.hasPartialFrame)
                return
            }
            for event in reader.feed(chunk[0..<count]) {
                handle(event)
            }
        }
    }

    private func handle(_ frameEvent: FrameEvent) {
        switch frameEvent {
        case .body(let body):
            options.trace?("in", body)
            switch Message.decode(body) {
            case .success(.request(let id, let method, let params)):
                if let pending = requests.received(id: id, method: method) {
                    incomingContinuation.yield(.request(IncomingRequest(pending: pending, params: params)))
                }
            case .success(.notification(let method, let params)):
                if let cancelledID = options.cancellations[method] {
                    if let id = cancelledID(params) { requests.cancel(id) }
                    return
                }
                incomingContinuation.yield(.notification(method: method, params: params))
            case .success(.response(let id, let result)):
                resolveOutgoing(id: id, result: result)
            case .failure(let failure):
                refuse(id: failure.id, failure.error)
            }
        case .oversized(let length, let limit, let idHint):
            refuse(
                id: idHint,
                .invalidRequest("The message of \(length) bytes is larger than the limit of \(limit) bytes and was skipped."))
        case .malformedHeader(let reason):
            refuse(id: nil, .parseError("Malformed message header: \(reason) Skipped to the next header."))
        }
    }

    private func refuse(id: RequestID?, _ error: ResponseError) {
        requests.refuse(id: id, error)
        incomingContinuation.yield(.refused(reason: error.message))
    }

    private func finishInput(truncated: Bool) {
        let pending = state.withLock { state -> [CheckedContinuation<JSONValue, any Error>] in
            state.closed = true
            defer { state.pending.removeAll() }
            return Array(state.pending.values)
        }
        for continuation in pending { continuation.resume(throwing: OutgoingRequestError.connectionClosed) }
        incomingContinuation.yield(.endOfInput(truncatedFrame: truncated))
        incomingContinuation.finish()
    }

    private func resolveOutgoing(id: RequestID?, result: Result<JSONValue, ResponseError>) {
        guard let id else { return }
        let continuation = state.withLock { $0.pending.removeValue(forKey: id) }
        switch result {
        case .success(let value): continuation?.resume(returning: value)
        case .failure(let error): continuation?.resume(throwing: OutgoingRequestError.response(error))
        }
    }

    /// Queues `.stopRequested` so the owner's loop ends the session as it would at EOF.
    public func requestStop(reason: String) {
        incomingContinuation.yield(.stopRequested(reason: reason))
    }

    /// The session is over: requests in flight are cancelled without replies, and requests read later are ignored.
    public func close() {
        requests.abandonAll()
    }

    // MARK: Sending

    /// Writes one message as it is (JSON values are written once, by `MessageWriter`).
    public func send(_ message: Message) {
        output.send(message.encoded())
    }

    public func sendNotification(method: String, params: EncodedJSON?) {
        output.send(MessageWriter.notification(method: method, params: params))
    }

    /// Sends a typed notification; its params are encoded once, straight into the frame.
    public func notify<Notification: RPCNotification>(_ notification: Notification) {
        do {
            sendNotification(method: Notification.method, params: try EncodedJSON(encoding: notification))
        } catch {
            assertionFailure("\(Notification.method) params failed to encode: \(error)")
        }
    }

    /// Sends a typed request and decodes its response. An answer that is not `Response` throws `.invalidResponse`.
    public func request<Request: RPCRequest>(_ request: Request, timeout: Duration? = nil) async throws -> Request.Response {
        let params: EncodedJSON
        do {
            params = try EncodedJSON(encoding: request)
        } catch {
            throw OutgoingRequestError.invalidResponse("the request could not be encoded: \(error)")
        }
        let value = try await sendRequest(method: Request.method, params: params, timeout: timeout)
        do {
            return try value.decode(Request.Response.self)
        } catch let error as DecodingError {
            throw OutgoingRequestError.invalidResponse(
                "\(error.fieldDescription.replacingOccurrences(of: "'params'", with: "'result'")) in \(value.serialized().prefix(200))")
        }
    }

    /// Sends a request to the peer and waits for its response, at most `timeout` when given. Cancelling the task
    /// stops the wait; an answer that arrives after the wait ended is ignored.
    public func sendRequest(method: String, params: EncodedJSON?, timeout: Duration? = nil) async throws -> JSONValue {
        guard let timeout else { return try await awaitResponse(method: method, params: params) }
        return try await withThrowingTaskGroup(of: JSONValue.self) { group in
            group.addTask { try await self.awaitResponse(method: method, params: params) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw OutgoingRequestError.timedOut(timeout)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw OutgoingRequestError.connectionClosed }
            return first
        }
    }

    private func awaitResponse(method: String, params: EncodedJSON?) async throws -> JSONValue {
        let id: RequestID? = state.withLock { state in
            guard !state.closed else { return nil }
            state.nextOutgoingID += 1
            return .string("\(options.outgoingIDPrefix)\(state.nextOutgoingID)")
        }
        guard let id else { throw OutgoingRequestError.connectionClosed }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let refusal = state.withLock { state -> (any Error)? in
                    if state.closed { return OutgoingRequestError.connectionClosed }
                    if state.cancelledBeforeSending.remove(id) != nil { return CancellationError() }
                    state.pending[id] = continuation
                    return nil
                }
                if let refusal {
                    continuation.resume(throwing: refusal)
                    return
                }
                output.send(MessageWriter.request(id: id, method: method, params: params))
            }
        } onCancel: {
            let continuation = state.withLock { state in
                let pending = state.pending.removeValue(forKey: id)
                if pending == nil { state.cancelledBeforeSending.insert(id) }
                return pending
            }
            continuation?.resume(throwing: CancellationError())
        }
    }
}
