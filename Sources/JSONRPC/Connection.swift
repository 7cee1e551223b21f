// A JSON-RPC connection over a pair of byte streams: reads frames on a thread, writes them under a lock.
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
    case request(id: RequestID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    /// A frame that could not become a message; `reply` is the error response the peer should get.
    case invalid(reply: Message, reason: String)
    /// The input stream ended (EOF or a read error).
    case endOfInput(truncatedFrame: Bool)
    /// The process that started this one is gone (injected by the owner's watchdog).
    case parentProcessExited
}

/// Failures of requests this side sent.
public enum OutgoingRequestError: Error, Sendable, Equatable {
    case connectionClosed
    case response(ResponseError)
}

public final class Connection: Sendable {
    private struct State {
        var nextOutgoingID = 0
        var pending: [RequestID: CheckedContinuation<JSONValue, any Error>] = [:]
        var cancelledBeforeSending: Set<RequestID> = []
        var closed = false
    }

    private let input: FileHandle
    private let output: FileHandle
    private let framing: Framing
    private let maximumMessageBytes: Int
    private let state = Mutex(State())
    private let writeLock = Mutex(())
    private let trace: (@Sendable (_ direction: String, _ body: Data) -> Void)?
    private let interceptNotification: (@Sendable (_ method: String, _ params: JSONValue?) -> Bool)?
    public let incoming: AsyncStream<IncomingEvent>
    private let incomingContinuation: AsyncStream<IncomingEvent>.Continuation

    /// - Parameters:
    ///   - trace: called with every frame body read ("in") or written ("out"), for a transcript.
    ///   - interceptNotification: called on the reader thread for each notification before it is queued; returning
    ///     true consumes it. This is how a cancellation overtakes messages still waiting in the queue.
    public init(
        input: FileHandle,
        output: FileHandle,
        framing: Framing = .contentLength,
        maximumMessageBytes: Int = 64 << 20,
        trace: (@Sendable (_ direction: String, _ body: Data) -> Void)? = nil,
        interceptNotification: (@Sendable (_ method: String, _ params: JSONValue?) -> Bool)? = nil
    ) {
        self.input = input
        self.output = output
        self.framing = framing
        self.maximumMessageBytes = maximumMessageBytes
        self.trace = trace
        self.interceptNotification = interceptNotification
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
        var parser = framing.makeReader(maximumBodyBytes: maximumMessageBytes)
        let descriptor = input.fileDescriptor
        let chunkSize = 65536
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                for event in parser.finish() { handle(event) }
                finishInput(truncated: parser.hasPartialFrame)
                return
            }
            for event in parser.feed(chunk[0..<count]) {
                handle(event)
            }
        }
    }

    private func handle(_ frameEvent: FrameEvent) {
        switch frameEvent {
        case .body(let body):
            trace?("in", body)
            switch Message.decode(body) {
            case .success(.request(let id, let method, let params)):
                incomingContinuation.yield(.request(id: id, method: method, params: params))
            case .success(.notification(let method, let params)):
                if interceptNotification?(method, params) == true { return }
                incomingContinuation.yield(.notification(method: method, params: params))
            case .success(.response(let id, let result)):
                resolveOutgoing(id: id, result: result)
            case .failure(let failure):
                incomingContinuation.yield(
                    .invalid(reply: .response(id: failure.id, result: .failure(failure.error)), reason: failure.error.message))
            }
        case .oversized(let length, let limit, let idHint):
            let error = ResponseError.invalidRequest(
                "The message of \(length) bytes is larger than the limit of \(limit) bytes and was skipped.")
            incomingContinuation.yield(.invalid(reply: .response(id: idHint, result: .failure(error)), reason: error.message))
        case .malformedHeader(let reason):
            let error = ResponseError.parseError("Malformed message header: \(reason) Skipped to the next header.")
            incomingContinuation.yield(.invalid(reply: .response(id: nil, result: .failure(error)), reason: error.message))
        }
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

    /// Queues `.parentProcessExited` so the owner's loop ends the session as it would at EOF.
    public func injectParentExit() {
        incomingContinuation.yield(.parentProcessExited)
    }

    // MARK: Sending

    /// Writes one message. Safe to call from any task; frames never interleave.
    public func send(_ message: Message) {
        let body = message.encoded()
        trace?("out", body)
        let frame = framing.frame(body)
        writeLock.withLock { _ in
            frame.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let written = write(output.fileDescriptor, base + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // The peer is gone; reads will see EOF and end the session.
                    }
                    offset += written
                }
            }
        }
    }

    public func sendNotification(method: String, params: JSONValue?) {
        send(.notification(method: method, params: params))
    }

    /// Sends a request to the peer and waits for its response. Cancelling the task stops the wait.
    public func sendRequest(method: String, params: JSONValue?) async throws -> JSONValue {
        let id: RequestID? = state.withLock { state in
            guard !state.closed else { return nil }
            state.nextOutgoingID += 1
            return .string("k2lsp-\(state.nextOutgoingID)")
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
                send(.request(id: id, method: method, params: params))
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
