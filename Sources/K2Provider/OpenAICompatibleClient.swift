// The chat client for any OpenAI-compatible server (Moonshot, OpenRouter, vLLM, SGLang): streaming, retries, timeouts.
import AnyJSON
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Streams chat completions from one endpoint.
///
/// Retries (per `retryPolicy`) only failures that happened before any content, reasoning or tool call was
/// reported; a failure after that throws, and the caller must discard the deltas it saw. Cancelling the calling
/// task cancels the HTTP request, which closes its connection.
public struct OpenAICompatibleClient: ChatProvider {
    public let endpoint: ProviderEndpoint
    public let retryPolicy: RetryPolicy
    public let timeouts: ProviderTimeouts
    /// Body fixes and rate limits learned so far, shared with the process's other clients.
    public let memory: ProviderMemory
    private let httpClients: HTTPClientBox
    private let logger: Logger
    private let jitter: @Sendable () -> Double

    /// - Parameters:
    ///   - memory: where lessons from earlier requests are kept; pass the process's one so they carry over.
    ///   - logger: receives debug lines (attempts, statuses, retries) and info lines (what was learned); never keys,
    ///     headers or bodies. The default discards everything, so a library never writes to stdout on its own.
    ///   - jitter: a source of numbers in [0, 1) for retry backoff; tests may pin it.
    public init(
        endpoint: ProviderEndpoint,
        httpClients: HTTPClientBox,
        retryPolicy: RetryPolicy = .standard,
        timeouts: ProviderTimeouts = .standard,
        memory: ProviderMemory = ProviderMemory(),
        logger: Logger = Logger(label: "k2lsp.provider", factory: { _ in SwiftLogNoOpLogHandler() }),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.endpoint = endpoint
        self.httpClients = httpClients
        self.retryPolicy = retryPolicy
        self.timeouts = timeouts
        self.memory = memory
        var logger = logger
        logger[metadataKey: "provider"] = "\(endpoint.label)"
        logger[metadataKey: "model"] = "\(endpoint.model)"
        self.logger = logger
        self.jitter = jitter
    }

    /// Streams one turn. A 400 that names a request field (`temperature`, `max_tokens`, `thinking`…) is answered
    /// by fixing or dropping that field for this model, one retry, and remembering the fix in `memory`.
    public func complete(
        _ request: ChatRequest,
        onEvent: @escaping @Sendable (ChatStreamEvent) -> Void
    ) async throws -> ChatTurn {
        let reporter = EventReporter(onEvent: onEvent)
        var healed = false
        while true {
            let fixes = memory.fixes(for: endpoint)
            let body = ChatRequestEncoder.body(for: request, endpoint: endpoint, fixes: fixes)
            let serialized = body.serialized()
            do {
                return try await withRetries(reporter: reporter, gate: memory.gate(for: endpoint), queueing: request.queueing) {
                    try await streamOnce(body: serialized, reporter: reporter)
                }
            } catch let error as ProviderError where error.code == .badRequest && !healed && !reporter.hasOutput {
                let message = error.serverMessage ?? ""
                let newFixes = BodyHealer.fixes(forMessage: message, sentBody: body).filter { !fixes.contains($0) }
                guard !newFixes.isEmpty else { throw error }
                for learned in memory.record(newFixes, for: endpoint, serverMessage: message) {
                    logger.info("Adjusted requests: \(learned.description)")
                }
                healed = true
            }
        }
    }

    /// The model ids `GET {base_url}/models` lists. Throws `ProviderError` (`.pathNotFound` where the server
    /// offers no listing).
    public func listModels() async throws -> [String] {
        let reporter = EventReporter(onEvent: { _ in })
        return try await withRetries(reporter: reporter, gate: nil, queueing: .waits) {
            var request = HTTPClientRequest(url: endpoint.modelsURL)
            request.method = .GET
            request.headers = headers(accept: "application/json")
            let finishedRequest = request
            let watchdog = StreamWatchdog(timeouts: timeouts)
            return try await withWatchdog(watchdog) {
                let response = try await execute(finishedRequest)
                watchdog.noteActivity()
                let body = try await collect(response.body, limit: 8 << 20, watchdog: watchdog)
                guard (200..<300).contains(response.status.code) else {
                    throw ProviderErrorMapper.error(
                        status: Int(response.status.code),
                        headers: response.headers.map { ($0.name, $0.value) },
                        body: body,
                        endpoint: endpoint,
                        operation: .listModels
                    )
                }
                return Self.modelIDs(in: body)
            }
        }
    }

    static func modelIDs(in body: Data) -> [String] {
        guard let json = try? JSONValue(parsing: body) else { return [] }
        let entries = json["data"]?.arrayValue ?? json["models"]?.arrayValue ?? json.arrayValue ?? []
        return entries.compactMap { $0["id"]?.stringValue ?? $0.stringValue }
    }

    // MARK: One attempt

    private func streamOnce(body: String, reporter: EventReporter) async throws -> ChatTurn {
        var request = HTTPClientRequest(url: endpoint.chatCompletionsURL)
        request.method = .POST
        request.headers = headers(accept: "text/event-stream")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let finishedRequest = request
        let watchdog = StreamWatchdog(timeouts: timeouts)
        let completeReply = CompleteReplySlot()
        do {
            return try await withWatchdog(watchdog) {
                let response = try await execute(finishedRequest)
                let status = Int(response.status.code)
                guard (200..<300).contains(status) else {
                    if let latency = watchdog.noteActivity() { reporter.emit(.firstByte(latency: latency)) }
                    let errorBody = try await collect(response.body, limit: 64 << 10, watchdog: watchdog)
                    throw ProviderErrorMapper.error(
                        status: status,
                        headers: response.headers.map { ($0.name, $0.value) },
                        body: errorBody,
                        endpoint: endpoint
                    )
                }
                let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
                if contentType.contains("application/json") {
                    return try await readWholeCompletion(response, watchdog: watchdog, reporter: reporter)
                }
                return try await readEventStream(
                    response, watchdog: watchdog, reporter: reporter, completeReply: completeReply)
            }
        } catch is CompleteReplyWaitOver {
            // The reply had its finish_reason and usage; [DONE] never came on a connection kept open.
            guard var reader = completeReply.reader else { throw truncated() }
            return try reader.finish(emit: reporter.emit)
        }
    }

    private func truncated() -> ProviderError {
        ProviderError(code: .truncatedStream, origin: .init(endpoint), isRetryable: true)
    }

    private func readEventStream(
        _ response: HTTPClientResponse,
        watchdog: StreamWatchdog,
        reporter: EventReporter,
        completeReply: CompleteReplySlot
    ) async throws -> ChatTurn {
        var reader = ChatStreamReader(endpoint: endpoint)
        var iterator = response.body.makeAsyncIterator()
        // Reading stops at `[DONE]`: dropping the rest of the body closes an HTTP/1 connection, which beats
        // waiting on a server that never ends its body. A reply that is complete without it gets a short wait.
        while !reader.isComplete, let buffer = try await nextBodyPart(&iterator) {
            if let latency = watchdog.noteActivity() { reporter.emit(.firstByte(latency: latency)) }
            try reader.feed(buffer.readableBytesView, emit: reporter.emit)
            if reader.hasCompleteReply, !reader.isComplete {
                completeReply.reader = reader
                watchdog.noteCompleteReply()
            }
        }
        return try reader.finish(emit: reporter.emit)
    }

    /// The next piece of a streaming body. A connection lost mid-body is a truncated stream (nothing of it may be
    /// used), not a failure to connect.
    private func nextBodyPart(_ iterator: inout HTTPClientResponse.Body.AsyncIterator) async throws -> ByteBuffer? {
        do {
            return try await iterator.next()
        } catch {
            if Task.isCancelled || error is CancellationError { throw error }
            let description = KeyRedactor(endpoint: endpoint).redact(String(describing: error))
            throw ProviderError(
                code: .truncatedStream,
                origin: .init(endpoint),
                serverMessage: Self.connectionFailureSummary(description),
                isRetryable: true
            )
        }
    }

    /// A server that ignored `stream: true` sent the whole completion as one JSON document.
    private func readWholeCompletion(
        _ response: HTTPClientResponse,
        watchdog: StreamWatchdog,
        reporter: EventReporter
    ) async throws -> ChatTurn {
        let body = try await collect(response.body, limit: 32 << 20, watchdog: watchdog, reporter: reporter)
        var assembler = StreamAssembler(fallbackModel: endpoint.model)
        switch ChatChunkDecoder.decodeCompletion(body) {
        case .chunk(let chunk):
            for event in assembler.consume(chunk) { reporter.emit(event) }
            assembler.markDone()
        case .error(let payload):
            throw ProviderErrorMapper.streamError(payload, endpoint: endpoint)
        case .done, .ignorable:
            throw ProviderError(
                code: .unexpectedResponse,
                origin: .init(endpoint),
                serverMessage: "a JSON body that is not a chat completion"
            )
        }
        guard let turn = assembler.finish(streamed: false) else {
            throw ProviderError(code: .truncatedStream, origin: .init(endpoint), isRetryable: true)
        }
        return turn
    }

    // MARK: Plumbing

    private func headers(accept: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: accept)
        headers.add(name: "User-Agent", value: "k2lsp")
        for (name, value) in endpoint.extraHeaders.sorted(by: { $0.key < $1.key })
        where name.lowercased() != "authorization" {
            headers.add(name: name, value: value)
        }
        if let key = endpoint.apiKey, !key.isEmpty {
            headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        return headers
    }

    private func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let client = httpClients.client(forURL: request.url, connectTimeout: timeouts.connect)
        let total = timeouts.total.components
        let deadline = NIODeadline.now() + .seconds(total.seconds) + .nanoseconds(total.attoseconds / 1_000_000_000)
        // AHC's deadline backs up the watchdog's total limit; the watchdog normally fires first.
        return try await client.execute(request, deadline: deadline + .seconds(1), logger: nil)
    }

    /// Reads a whole body, keeping at most `limit` bytes.
    private func collect(
        _ body: HTTPClientResponse.Body,
        limit: Int,
        watchdog: StreamWatchdog,
        reporter: EventReporter? = nil
    ) async throws -> Data {
        var data = Data()
        for try await buffer in body {
            if let latency = watchdog.noteActivity() { reporter?.emit(.firstByte(latency: latency)) }
            if data.count < limit { data.append(contentsOf: buffer.readableBytesView.prefix(limit - data.count)) }
        }
        return data
    }

    /// Runs `operation` while the watchdog guards it; whichever finishes first decides, the other is cancelled.
    private func withWatchdog<Result: Sendable>(
        _ watchdog: StreamWatchdog,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await operation() }
            group.addTask { try await watchdog.run() }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                if let outcome { return outcome }
            }
            throw CancellationError()
        }
    }

    /// Runs attempts until one succeeds, a failure is final, or output was already shown. With a gate, each attempt
    /// first waits out a rate-limit pause and takes a slot (a fail-fast request gives up instead of waiting).
    private func withRetries<Result: Sendable>(
        reporter: EventReporter,
        gate: EndpointGate?,
        queueing: ChatRequest.Queueing,
        _ attempt: () async throws -> Result
    ) async throws -> Result {
        var attemptNumber = 1
        var waited: Duration = .zero
        while true {
            if let gate, let pause = await gate.pauseRemaining() {
                guard queueing == .waits, waited + pause <= retryPolicy.maxTotalWait else {
                    throw pausedError(pause, attempts: attemptNumber - 1)
                }
                reporter.emit(.retrying(attempt: attemptNumber, after: pause, reason: "rate limited"))
                do {
                    try await Task.sleep(for: pause)
                } catch {
                    throw ProviderError(code: .cancelled, origin: .init(endpoint), attempts: attemptNumber - 1)
                }
                waited += pause
            }
            logger.debug("provider attempt", metadata: ["attempt": "\(attemptNumber)", "host": "\(endpoint.host)"])
            let attemptStarted = ContinuousClock.now
            do {
                guard let gate else { return try await attempt() }
                return try await throughGate(gate, queueing: queueing, attempt)
            } catch {
                var failure = normalize(error)
                failure.attempts = attemptNumber
                if failure.code == .rateLimited, failure.statusCode == 429 { reporter.emit(.rateLimited(failure)) }
                let mayRetry = !reporter.hasOutput && failure.code != .cancelled
                    && !(queueing == .failsFast && failure.code == .rateLimited)
                let delay = !mayRetry
                    ? nil
                    : retryPolicy.delay(
                        after: failure,
                        attempt: attemptNumber,
                        attemptDuration: ContinuousClock.now - attemptStarted,
                        waitedSoFar: waited,
                        jitter: jitter()
                    )
                logger.debug(
                    "provider attempt failed",
                    metadata: [
                        "attempt": "\(attemptNumber)", "code": "\(failure.code.rawValue)",
                        "status": "\(failure.statusCode.map(String.init) ?? "-")",
                        "retryIn": "\(delay.map { "\($0)" } ?? "no retry")",
                    ]
                )
                guard let delay else { throw failure }
                reporter.emit(.retrying(attempt: attemptNumber + 1, after: delay, reason: failure.shortReason))
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw ProviderError(code: .cancelled, origin: .init(endpoint), attempts: attemptNumber)
                }
                waited += delay
                attemptNumber += 1
            }
        }
    }

    /// One attempt holding a slot of the endpoint's gate. A 429 pauses the gate for the server's wait (or the
    /// policy's default) and, if other requests were in flight, lowers how many may be.
    private func throughGate<Result: Sendable>(
        _ gate: EndpointGate, queueing: ChatRequest.Queueing, _ attempt: () async throws -> Result
    ) async throws -> Result {
        let limit = memory.maxConcurrentRequests
        switch queueing {
        case .waits:
            try await gate.acquire(configuredLimit: limit)
        case .failsFast:
            guard await gate.tryAcquire(configuredLimit: limit) else {
                throw ProviderError(
                    code: .rateLimited, origin: .init(endpoint),
                    serverMessage: "every request slot to \(endpoint.host) is busy; not queued")
            }
        }
        do {
            let result = try await attempt()
            await gate.release(configuredLimit: limit)
            return result
        } catch {
            if let failure = error as? ProviderError, failure.code == .rateLimited, failure.statusCode == 429 {
                let pause = failure.retryAfter ?? retryPolicy.defaultRateLimitPause
                if let lowered = await gate.noteRateLimited(pause: pause) {
                    logger.info(
                        "\(endpoint.host) answered 429 with several requests in flight; k2lsp now sends at most \(lowered) at a time there (set provider.max_concurrent_requests to choose)")
                }
            }
            await gate.release(configuredLimit: limit)
            throw error
        }
    }

    /// What a request that may not wait gets while the endpoint is paused after a 429.
    private func pausedError(_ pause: Duration, attempts: Int) -> ProviderError {
        ProviderError(
            code: .rateLimited, origin: .init(endpoint), serverMessage: "waiting out the server's rate limit",
            attempts: max(attempts, 1), retryAfter: pause)
    }

    /// Any error thrown inside an attempt, as a `ProviderError` with redacted text.
    private func normalize(_ error: any Error) -> ProviderError {
        let origin = ProviderError.Origin(endpoint)
        switch error {
        case let failure as ProviderError:
            return failure
        case let fired as TimeoutFired:
            return ProviderError(code: fired.code, origin: origin, timeout: fired.limit)
        case is CancellationError:
            return ProviderError(code: .cancelled, origin: origin)
        case let httpError as HTTPClientError where httpError == .cancelled:
            return ProviderError(code: .cancelled, origin: origin)
        case let httpError as HTTPClientError where httpError == .deadlineExceeded:
            return ProviderError(code: .totalTimeout, origin: origin, timeout: timeouts.total)
        default:
            if Task.isCancelled { return ProviderError(code: .cancelled, origin: origin) }
            let description = KeyRedactor(endpoint: endpoint).redact(String(describing: error))
            return ProviderError(
                code: .connectionFailed,
                origin: origin,
                serverMessage: Self.connectionFailureSummary(description),
                isRetryable: true
            )
        }
    }

    /// NIO's connection errors are long structs; users need the gist.
    static func connectionFailureSummary(_ description: String) -> String {
        let lowered = description.lowercased()
        if lowered.contains("refused") { return "connection refused" }
        if lowered.contains("connecttimeout") || lowered.contains("timed out") { return "connection timed out" }
        if lowered.contains("remoteconnectionclosed") || lowered.contains("eof") {
            return "the server closed the connection"
        }
        if lowered.contains("reset by peer") { return "connection reset" }
        if lowered.contains("dns") || lowered.contains("resolve") || lowered.contains("name or service") {
            return "the host name could not be resolved"
        }
        if lowered.contains("proxy") { return "the proxy failed: \(description.prefix(200))" }
        if lowered.contains("tls") || lowered.contains("ssl") || lowered.contains("certificate") {
            return "TLS failed: \(description.prefix(200))"
        }
        return String(description.prefix(200))
    }
}

extension ProviderError {
    /// A few words for a `.retrying` event.
    var shortReason: String {
        if let statusCode { return "HTTP \(statusCode)" + (serverErrorType.map { " \($0)" } ?? "") }
        return serverMessage ?? code.rawValue
    }
}

/// The reader of a reply that is complete but still waits for `[DONE]`, for when the wait is over.
final class CompleteReplySlot: Sendable {
    private let stored = Mutex<ChatStreamReader?>(nil)

    var reader: ChatStreamReader? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}

/// Forwards events and remembers whether any output reached the caller.
final class EventReporter: Sendable {
    private let onEvent: @Sendable (ChatStreamEvent) -> Void
    private let sawOutput = Mutex(false)

    init(onEvent: @escaping @Sendable (ChatStreamEvent) -> Void) {
        self.onEvent = onEvent
    }

    var hasOutput: Bool { sawOutput.withLock { $0 } }

    func emit(_ event: ChatStreamEvent) {
        if event.isOutput { sawOutput.withLock { $0 = true } }
        onEvent(event)
    }
}
