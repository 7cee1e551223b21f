// Registry-driven dispatch: handlers keyed by message type, checked against the registry, each message decoded once
// and run as its scheduling class says, each request answered once through its `PendingRequest`.
import AnyJSON

/// What a running request can see.
public struct RequestContext<Owner: Sendable>: Sendable {
    public let id: RequestID
    public let method: String
    public let owner: Owner
    /// The request's class, as resolved from its params.
    public let scheduling: ResolvedScheduling
}

/// The protocol-specific policy around dispatch (a lifecycle, the peer's capabilities, error mapping, logging).
public protocol DispatchOwner: Sendable {
    /// Refuses a request before its params are decoded (e.g. before `initialize`), or nil to let it through.
    func refusal(ofRequest method: String) -> ResponseError?
    /// Whether a notification is handled (false drops it, e.g. before `initialize`).
    func accepts(notification method: String) -> Bool
    /// Whether the peer retries `method` when it is answered -32801.
    func retriesOnContentModified(_ method: String) -> Bool
    /// The error response for what a handler threw.
    func errorResponse(for error: any Error, method: String) -> ResponseError
    /// A notification was not applied: its params did not decode, or its handler threw.
    func notificationFailed(_ method: String, reason: String)
    /// A notification no handler takes.
    func ignored(notification method: String)
    /// A frame that was not a message; it has been answered already.
    func refused(reason: String)
}

extension DispatchOwner {
    public func refusal(ofRequest method: String) -> ResponseError? { nil }
    public func accepts(notification method: String) -> Bool { true }
    public func retriesOnContentModified(_ method: String) -> Bool { false }
    public func errorResponse(for error: any Error, method: String) -> ResponseError {
        if let error = error as? ResponseError { return error }
        if error is CancellationError { return .cancelled }
        return .internalError("'\(method)' failed: \(error)")
    }
    public func notificationFailed(_ method: String, reason: String) {}
    public func ignored(notification method: String) {}
    public func refused(reason: String) {}
}

/// Why `Dispatcher.serve` returned.
public enum ServeEnd: Sendable, Equatable {
    /// The input ended (the peer closed it); `truncatedFrame` when it ended inside a message.
    case endOfInput(truncatedFrame: Bool)
    /// `Connection.requestStop(reason:)` was called.
    case stopRequested(reason: String)
    /// The `until` condition held after a notification (e.g. LSP's `exit`).
    case finished
}

/// A request handler's way to answer: call it once.
public struct Reply<Response: Encodable & Sendable>: Sendable {
    let pending: PendingRequest
    let errorResponse: @Sendable (any Error) -> ResponseError

    public func callAsFunction(_ result: Result<Response, any Error>) {
        switch result {
        case .success(let value):
            do {
                pending.reply(.success(try EncodedJSON(encoding: value)))
            } catch {
                pending.reply(.failure(.internalError("The result of '\(pending.method)' could not be encoded: \(error)")))
            }
        case .failure(let error):
            pending.reply(.failure(errorResponse(error)))
        }
    }
}

/// Decodes a message's params as its type; a failure names the field (-32602).
public func decodeParams<Params: Decodable>(_ type: Params.Type, from params: JSONValue?, method: String) throws -> Params {
    do {
        return try (params ?? .object([:])).decode(Params.self)
    } catch let error as DecodingError {
        throw ResponseError.invalidParams("Invalid params for '\(method)': \(error.fieldDescription).")
    }
}

/// The handler of one message type.
public struct MessageHandler<Owner: DispatchOwner>: Sendable {
    struct Prepared: Sendable {
        var message: any Sendable
        var runRequest: (@Sendable (RequestContext<Owner>, PendingRequest) async -> Void)?
        var runNotification: (@Sendable (Owner) async throws -> Void)?
    }

    let method: String
    let kind: MessageEntry.Kind
    let messageType: ObjectIdentifier
    let prepare: @Sendable (_ params: JSONValue?, _ owner: Owner) throws -> Prepared

    /// A request handler that answers through `reply`, exactly once, possibly after it returns.
    public static func request<Request: RPCRequest>(
        _ type: Request.Type,
        replyingThrough body: @escaping @Sendable (Request, RequestContext<Owner>, Reply<Request.Response>) async -> Void
    ) -> MessageHandler {
        MessageHandler(method: Request.method, kind: .request, messageType: ObjectIdentifier(type)) { params, owner in
            let request = try decodeParams(Request.self, from: params, method: Request.method)
            return Prepared(message: request, runRequest: { context, pending in
                let reply = Reply<Request.Response>(pending: pending) { error in
                    owner.errorResponse(for: error, method: Request.method)
                }
                await body(request, context, reply)
            })
        }
    }

    /// A request handler whose return value (or thrown error) is the reply.
    public static func request<Request: RPCRequest>(
        _ type: Request.Type,
        _ body: @escaping @Sendable (Request, RequestContext<Owner>) async throws -> Request.Response
    ) -> MessageHandler {
        request(type, replyingThrough: { request, context, reply in
            do {
                reply(.success(try await body(request, context)))
            } catch {
                reply(.failure(error))
            }
        })
    }

    public static func notification<Notification: RPCNotification>(
        _ type: Notification.Type, _ body: @escaping @Sendable (Notification, Owner) async throws -> Void
    ) -> MessageHandler {
        MessageHandler(method: Notification.method, kind: .notification, messageType: ObjectIdentifier(type)) { params, _ in
            let notification = try decodeParams(Notification.self, from: params, method: Notification.method)
            return Prepared(message: notification, runNotification: { owner in try await body(notification, owner) })
        }
    }
}

/// The registry joined with the handlers: what runs for each incoming method, and how it is scheduled.
public struct DispatchTable<Owner: DispatchOwner>: Sendable {
    public let registry: MessageRegistry
    private let handlers: [String: MessageHandler<Owner>]
    private let handlerProblems: [String]

    public init(registry: MessageRegistry, handlers: [MessageHandler<Owner>]) {
        self.registry = registry
        var byMethod: [String: MessageHandler<Owner>] = [:]
        var problems: [String] = []
        for handler in handlers {
            if byMethod[handler.method] != nil { problems.append("\(handler.method) has two handlers") }
            byMethod[handler.method] = handler
            guard let entry = registry.incomingEntry(forMethod: handler.method) else {
                problems.append("\(handler.method) has a handler but no registry entry")
                continue
            }
            if ObjectIdentifier(entry.paramsType) != handler.messageType || entry.kind != handler.kind {
                problems.append("\(handler.method)'s handler takes another type than its registry entry")
            }
            if entry.scheduling == .cancelsRequest {
                problems.append("\(handler.method) cancels requests on the reader thread; it takes no handler")
            }
        }
        for entry in registry.incoming where entry.scheduling != .cancelsRequest && byMethod[entry.method] == nil {
            problems.append("\(entry.method) is in the registry but has no handler")
        }
        self.handlers = byMethod
        handlerProblems = problems
    }

    /// Everything wrong with the table: registry mistakes, entries without a handler, handlers without an entry.
    public var problems: [String] { registry.problems + handlerProblems }

    func handler(for method: String) -> (MessageHandler<Owner>, MessageEntry)? {
        guard let handler = handlers[method], let entry = registry.incomingEntry(forMethod: method) else { return nil }
        return (handler, entry)
    }
}

/// Dispatches what a `Connection` reads, as the table says.
public struct Dispatcher<Owner: DispatchOwner>: Sendable {
    public let table: DispatchTable<Owner>
    public let owner: Owner
    public let requests: RequestTracker

    public init(table: DispatchTable<Owner>, owner: Owner, requests: RequestTracker) {
        self.table = table
        self.owner = owner
        self.requests = requests
    }

    /// Decodes and schedules a request. In-loop requests have finished when this returns; the others run in their
    /// own task, registered with the tracker (which supersedes older ones when their class says so).
    public func dispatch(_ request: IncomingRequest) async {
        let pending = request.pending
        if pending.isSettled { return }  // Cancelled while it was queued.
        if let refusal = owner.refusal(ofRequest: pending.method) {
            pending.reply(.failure(refusal))
            return
        }
        guard let (handler, entry) = table.handler(for: pending.method) else {
            pending.reply(.failure(.methodNotFound(pending.method)))
            return
        }
        let prepared: MessageHandler<Owner>.Prepared
        do {
            prepared = try handler.prepare(request.params, owner)
        } catch {
            pending.reply(.failure(owner.errorResponse(for: error, method: pending.method)))
            return
        }
        guard let runRequest = prepared.runRequest else {
            pending.reply(.failure(.methodNotFound(pending.method)))
            return
        }
        let scheduling = entry.resolvedScheduling(for: prepared.message)
        let superseded = scheduling.staleness == .supersede ? try? entry.supersededResponse?() : nil
        requests.start(pending.id, scheduling: scheduling, supersededResponse: superseded)
        let context = RequestContext(id: pending.id, method: pending.method, owner: owner, scheduling: scheduling)
        switch scheduling.scheduling {
        case .inLoop, .updatesResource, .cancelsRequest:
            await runRequest(context, pending)
        case .freestanding, .readsResource, .perMessage:
            let task = Task { await runRequest(context, pending) }
            requests.attach(task: task, to: pending.id)
        }
    }

    /// The message loop: dispatches what `connection` reads, in order, until the input ends, a stop is requested, or
    /// `until` holds after a notification. The connection must have been started.
    public func serve(_ connection: Connection, until finished: @Sendable () -> Bool = { false }) async -> ServeEnd {
        for await event in connection.incoming {
            switch event {
            case .request(let request):
                await dispatch(request)
            case .notification(let method, let params):
                await dispatch(notification: method, params: params)
                if finished() { return .finished }
            case .refused(let reason):
                owner.refused(reason: reason)
            case .endOfInput(let truncated):
                return .endOfInput(truncatedFrame: truncated)
            case .stopRequested(let reason):
                return .stopRequested(reason: reason)
            }
        }
        return .endOfInput(truncatedFrame: false)
    }

    /// Decodes and runs a notification in the loop; after one that updates a resource, the requests in flight on
    /// it get what their staleness says.
    public func dispatch(notification method: String, params: JSONValue?) async {
        guard owner.accepts(notification: method) else { return }
        guard let (handler, entry) = table.handler(for: method) else {
            owner.ignored(notification: method)
            return
        }
        do {
            let prepared = try handler.prepare(params, owner)
            guard let runNotification = prepared.runNotification else { return }
            try await runNotification(owner)
            let scheduling = entry.resolvedScheduling(for: prepared.message)
            if scheduling.scheduling == .updatesResource, let resource = scheduling.resource {
                requests.resourceChanged(resource) { owner.retriesOnContentModified($0) }
            }
        } catch {
            owner.notificationFailed(method, reason: owner.errorResponse(for: error, method: method).message)
        }
    }
}
