// Handlers of k2lsp's features. Until the engine is wired, each answers a clear error.
import AnyJSON
import JSONRPC
import LSP

extension LanguageServer {
    static var featureRequestHandlers: [(String, RequestHandler)] {
        [
            RequestHandler.typed(InlineCompletionRequest.self, .completion, documentURI: { $0.textDocument.uri }) { _, _ in
                throw ServerError.notConfigured("Inline completion is not available yet in this build of k2lsp.")
            },
            RequestHandler.typed(CompletionRequest.self, .completion, documentURI: { $0.textDocument.uri }) { _, _ in
                throw ServerError.notConfigured("Completion is not available yet in this build of k2lsp.")
            },
            RequestHandler.typed(CodeActionRequest.self, .document, documentURI: { $0.textDocument.uri }) { _, _ in
                []
            },
            RequestHandler.typed(CodeActionResolveRequest.self, .freestanding) { request, _ in
                request.action
            },
            RequestHandler.typed(ExecuteCommandRequest.self, .freestanding) { request, _ in
                guard K2CommandName(rawValue: request.command) != nil else {
                    throw ServerError.invalidParams(
                        "Unknown command '\(request.command)'. k2lsp runs: \(K2CommandName.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                throw ServerError.notConfigured("The command '\(request.command)' is not available yet in this build of k2lsp.")
            },
            RequestHandler.typed(K2EditRequest.self, .document, documentURI: { $0.params.textDocument.uri }) { _, _ in
                throw ServerError.notConfigured("k2/edit is not available yet in this build of k2lsp.")
            },
            RequestHandler.typed(K2ExplainRequest.self, .document, documentURI: { $0.params.textDocument.uri }) { _, _ in
                throw ServerError.notConfigured("k2/explain is not available yet in this build of k2lsp.")
            },
            RequestHandler.typed(K2ContextRequest.self, .document, documentURI: { $0.textDocument.uri }) { _, _ in
                throw ServerError.notConfigured("k2/context is not available yet in this build of k2lsp.")
            },
            RequestHandler.typed(K2AgentRequest.self, .freestanding) { _, _ in
                throw ServerError.notConfigured("k2/agent is not available yet in this build of k2lsp.")
            },
        ]
    }

    static var featureNotificationHandlers: [(String, NotificationHandler)] {
        [
            NotificationHandler.typed(DidChangeConfigurationNotification.self) { _, _ in },
            NotificationHandler.typed(DidChangeWatchedFilesNotification.self) { _, _ in },
            NotificationHandler.typed(DidChangeWorkspaceFoldersNotification.self) { _, _ in },
            NotificationHandler.typed(WorkDoneProgressCancelNotification.self) { _, _ in },
            NotificationHandler.typed(SetTraceNotification.self) { _, _ in },
            NotificationHandler.typed(K2DidChangeDiagnosticsNotification.self) { _, _ in },
        ]
    }

    func didInitialize() async {}
}
