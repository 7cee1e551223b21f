// How each method is decoded and scheduled: the single place that declares what may run concurrently.
import AnyJSON
import Foundation
import JSONRPC
import LSP

/// How a request is scheduled relative to other messages.
enum Scheduling: Sendable {
    /// Runs inside the message loop, before the next message is read (initialize, shutdown).
    case inline
    /// Runs in its own task, concurrently with other requests; a later change to its document makes it stale.
    case document
    /// Runs in its own task; a change to its document does not make it stale — a newer request supersedes it.
    case completion
    /// Runs in its own task and does not depend on one document.
    case freestanding
}

/// A request whose params decoded; ready to run.
struct PreparedRequest: Sendable {
    var documentURI: String?
    var run: @Sendable (RequestContext) async throws -> JSONValue
}

struct RequestHandler: Sendable {
    var scheduling: Scheduling
    var prepare: @Sendable (_ params: JSONValue?) throws -> PreparedRequest
}

struct NotificationHandler: Sendable {
    /// Document-changing notifications run in the loop, in arrival order, before any later request is dispatched.
    var run: @Sendable (_ params: JSONValue?, _ server: LanguageServer) async throws -> Void
}

/// Decodes typed params; a failure names the field (-32602).
func decodeParams<Params: Decodable>(_ type: Params.Type, from params: JSONValue?, method: String) throws -> Params {
    do {
        return try (params ?? .object([:])).decode(Params.self)
    } catch let error as DecodingError {
        throw ServerError.invalidParams("Invalid params for '\(method)': \(error.fieldDescription).")
    }
}

extension RequestHandler {
    static func typed<Request: LSPRequest>(
        _ type: Request.Type,
        _ scheduling: Scheduling,
        documentURI: (@Sendable (Request) -> String?)? = nil,
        _ body: @escaping @Sendable (Request, RequestContext) async throws -> Request.Response
    ) -> (String, RequestHandler) {
        let handler = RequestHandler(scheduling: scheduling) { params in
            let request = try decodeParams(Request.self, from: params, method: Request.method)
            return PreparedRequest(documentURI: documentURI?(request)) { context in
                let response = try await body(request, context)
                return try JSONValue(encoding: response)
            }
        }
        return (Request.method, handler)
    }
}

extension NotificationHandler {
    static func typed<Notification: LSPNotification>(
        _ type: Notification.Type,
        _ body: @escaping @Sendable (Notification, LanguageServer) async throws -> Void
    ) -> (String, NotificationHandler) {
        let handler = NotificationHandler { params, server in
            let notification = try decodeParams(Notification.self, from: params, method: Notification.method)
            try await body(notification, server)
        }
        return (Notification.method, handler)
    }
}

/// What a running request can see and do.
struct RequestContext: Sendable {
    let id: RequestID
    let method: String
    let server: LanguageServer

    /// True once a `didChange` touched this request's document after it was dispatched.
    var isStale: Bool { server.inFlight.isStale(id) }
}
