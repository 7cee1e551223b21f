// The dispatch tables: every request and notification the server handles, with its scheduling.
import AnyJSON
import JSONRPC
import LSP

extension LanguageServer {
    static let requestHandlers: [String: RequestHandler] = Dictionary(
        uniqueKeysWithValues: [
            RequestHandler.typed(InitializeRequest.self, .inline) { request, context in
                await context.server.initialize(request)
            },
            RequestHandler.typed(ShutdownRequest.self, .inline) { _, context in
                context.server.shutdown()
                return .null
            },
            RequestHandler.typed(K2ViewDocumentRequest.self, .freestanding) { request, context in
                let uri = request.textDocument.uri
                guard let snapshot = await context.server.documents.snapshot(uri) else {
                    throw ServerError.documentNotOpen(uri: uri)
                }
                return K2ViewDocumentResult(
                    uri: uri, version: snapshot.version, text: snapshot.text, lineCount: snapshot.lineIndex.lineCount)
            },
        ] + featureRequestHandlers)

    static let notificationHandlers: [String: NotificationHandler] = Dictionary(
        uniqueKeysWithValues: [
            NotificationHandler.typed(InitializedNotification.self) { _, server in
                await server.didInitialize()
            }
        ] + documentSyncHandlers + featureNotificationHandlers)
}
