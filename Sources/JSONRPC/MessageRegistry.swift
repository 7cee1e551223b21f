// Message types and the registry that lists them once: method, direction, params, result and scheduling class.
import AnyJSON

/// A request type: the params struct, its method name and its response type.
public protocol RPCRequest: Codable, Sendable {
    associatedtype Response: Codable, Sendable
    static var method: String { get }
}

/// A notification type: the params struct and its method name.
public protocol RPCNotification: Codable, Sendable {
    static var method: String { get }
}

/// A message that reads or updates one resource (for LSP: a document, by URI).
public protocol ResourceScoped {
    var resourceID: String { get }
}

/// A request whose scheduling class depends on its params (registered as `.perMessage`).
public protocol SelfScheduling {
    var scheduling: ResolvedScheduling { get }
}

/// A request that a newer one of its class on the same resource supersedes (`.readsResource(.supersede)`).
public protocol SupersedableRequest: RPCRequest, ResourceScoped {
    /// The answer a superseded request gets.
    static var supersededResponse: Response { get }
}

/// A notification that cancels the request it names (`.cancelsRequest`).
public protocol RequestCancellation: RPCNotification {
    var cancelledRequestID: RequestID? { get }
}

/// One message type as the registry lists it.
public struct MessageEntry: Sendable {
    public enum Kind: Sendable, Hashable {
        case request
        case notification
    }

    public let method: String
    public let kind: Kind
    public let scheduling: MessageScheduling
    /// The Swift types of the params and the result, for documentation and tests.
    public let paramsType: Any.Type
    public let responseType: Any.Type?
    /// Listed where a peer detects features (false for debugging aids).
    public let advertised: Bool
    let messageType: ObjectIdentifier
    let resolve: @Sendable (any Sendable) -> ResolvedScheduling
    let supersededResponse: (@Sendable () throws -> EncodedJSON)?
    let cancelledRequestID: (@Sendable (JSONValue?) -> RequestID?)?
    /// Set when the class needs a conformance the type lacks (checked by `MessageRegistry.problems`).
    let configurationProblem: String?

    /// A request the peer sends us, with its class.
    public static func request<Request: RPCRequest>(
        _ type: Request.Type, _ scheduling: MessageScheduling, advertised: Bool = true
    ) -> MessageEntry {
        var problem: String?
        switch scheduling {
        case .readsResource(let staleness):
            if !(type is any ResourceScoped.Type) { problem = "\(Request.method) reads a resource but is not ResourceScoped" }
            if staleness == .supersede, !(type is any SupersedableRequest.Type) {
                problem = "\(Request.method) is superseded but is not a SupersedableRequest"
            }
        case .perMessage:
            if !(type is any SelfScheduling.Type) { problem = "\(Request.method) is scheduled per message but is not SelfScheduling" }
        case .updatesResource, .cancelsRequest:
            problem = "\(Request.method) is a request; only notifications update resources or cancel requests"
        case .inLoop, .freestanding:
            break
        }
        var superseded: (@Sendable () throws -> EncodedJSON)?
        if let supersedable = type as? any SupersedableRequest.Type {
            superseded = { try supersedable.encodedSupersededResponse() }
        }
        return MessageEntry(
            method: Request.method, kind: .request, scheduling: scheduling, paramsType: type,
            responseType: Request.Response.self, advertised: advertised, messageType: ObjectIdentifier(type),
            resolve: { message in Self.resolve(message, scheduling) }, supersededResponse: superseded,
            cancelledRequestID: nil, configurationProblem: problem)
    }

    /// A notification the peer sends us, with its class.
    public static func notification<Notification: RPCNotification>(
        _ type: Notification.Type, _ scheduling: MessageScheduling
    ) -> MessageEntry {
        var problem: String?
        var cancelled: (@Sendable (JSONValue?) -> RequestID?)?
        switch scheduling {
        case .inLoop:
            break
        case .updatesResource:
            if !(type is any ResourceScoped.Type) { problem = "\(Notification.method) updates a resource but is not ResourceScoped" }
        case .cancelsRequest:
            if let cancellation = type as? any RequestCancellation.Type {
                cancelled = { params in cancellation.cancelledID(in: params) }
            } else {
                problem = "\(Notification.method) cancels requests but is not a RequestCancellation"
            }
        case .freestanding, .readsResource, .perMessage:
            problem = "\(Notification.method) is a notification; notifications are handled in the loop"
        }
        return MessageEntry(
            method: Notification.method, kind: .notification, scheduling: scheduling, paramsType: type,
            responseType: nil, advertised: true, messageType: ObjectIdentifier(type),
            resolve: { message in Self.resolve(message, scheduling) }, supersededResponse: nil,
            cancelledRequestID: cancelled, configurationProblem: problem)
    }

    /// A request we send the peer.
    public static func outgoing<Request: RPCRequest>(_ type: Request.Type, advertised: Bool = true) -> MessageEntry {
        MessageEntry(
            method: Request.method, kind: .request, scheduling: .freestanding, paramsType: type,
            responseType: Request.Response.self, advertised: advertised, messageType: ObjectIdentifier(type),
            resolve: { _ in .freestanding }, supersededResponse: nil, cancelledRequestID: nil, configurationProblem: nil)
    }

    /// A notification we send the peer.
    public static func outgoing<Notification: RPCNotification>(_ type: Notification.Type, advertised: Bool = true)
        -> MessageEntry
    {
        MessageEntry(
            method: Notification.method, kind: .notification, scheduling: .inLoop, paramsType: type,
            responseType: nil, advertised: advertised, messageType: ObjectIdentifier(type), resolve: { _ in .init(.inLoop) },
            supersededResponse: nil, cancelledRequestID: nil, configurationProblem: nil)
    }

    private static func resolve(_ message: any Sendable, _ scheduling: MessageScheduling) -> ResolvedScheduling {
        switch scheduling {
        case .readsResource, .updatesResource:
            return ResolvedScheduling(scheduling, resource: (message as? any ResourceScoped)?.resourceID)
        case .perMessage:
            return (message as? any SelfScheduling)?.scheduling ?? .freestanding
        case .cancelsRequest, .inLoop, .freestanding:
            return ResolvedScheduling(scheduling)
        }
    }

    /// The class of this message once its params are decoded.
    public func resolvedScheduling(for message: any Sendable) -> ResolvedScheduling { resolve(message) }

    /// Whether this entry lists `type`.
    public func describes(_ type: Any.Type) -> Bool { ObjectIdentifier(type) == messageType }
}

extension SupersedableRequest {
    fileprivate static func encodedSupersededResponse() throws -> EncodedJSON {
        try EncodedJSON(encoding: supersededResponse)
    }
}

extension RequestCancellation {
    fileprivate static func cancelledID(in params: JSONValue?) -> RequestID? {
        (try? (params ?? .object([:])).decode(Self.self))?.cancelledRequestID
    }
}

/// Every message a protocol front end handles or sends, listed once. The dispatch table, the capabilities a server
/// advertises and the documentation test are derived from it.
public struct MessageRegistry: Sendable {
    /// Messages the peer sends: their handlers are looked up by method, and their class is read from here.
    public let incoming: [MessageEntry]
    /// Messages this side sends the peer.
    public let outgoing: [MessageEntry]

    public init(incoming: [MessageEntry], outgoing: [MessageEntry]) {
        self.incoming = incoming
        self.outgoing = outgoing
    }

    public func incomingEntry(forMethod method: String) -> MessageEntry? {
        incoming.first { $0.method == method }
    }

    public func entry(for type: Any.Type) -> MessageEntry? {
        (incoming + outgoing).first { $0.describes(type) }
    }

    /// The registered class of a message type.
    public func scheduling(of type: Any.Type) -> MessageScheduling? {
        entry(for: type)?.scheduling
    }

    /// Handlers for `.cancelsRequest` notifications, for the connection's reader thread.
    public var cancellations: [String: @Sendable (JSONValue?) -> RequestID?] {
        var result: [String: @Sendable (JSONValue?) -> RequestID?] = [:]
        for entry in incoming {
            if let cancelled = entry.cancelledRequestID { result[entry.method] = cancelled }
        }
        return result
    }

    /// Mistakes in the list: a method listed twice in one direction, a class the type cannot support.
    public var problems: [String] {
        var problems: [String] = []
        for (direction, entries) in [("incoming", incoming), ("outgoing", outgoing)] {
            var seen = Set<String>()
            for entry in entries where !seen.insert(entry.method).inserted {
                problems.append("\(entry.method) is listed twice as \(direction)")
            }
        }
        problems += incoming.compactMap(\.configurationProblem)
        return problems
    }
}
