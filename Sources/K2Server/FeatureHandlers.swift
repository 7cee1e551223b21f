// The feature entries of the dispatch table: which handler runs each method, and how it is scheduled.
import AnyJSON
import Foundation
import JSONRPC
import K2Workspace
import LSP

extension LanguageServer {
    static var featureRequestHandlers: [(String, RequestHandler)] {
        [
            RequestHandler.typed(InlineCompletionRequest.self, .completion, documentURI: { $0.textDocument.uri }) {
                request, context in
                try await context.server.inlineCompletion(request)
            },
            RequestHandler.typed(CompletionRequest.self, .completion, documentURI: { $0.textDocument.uri }) {
                request, context in
                try await context.server.completionFallback(request)
            },
            RequestHandler.typed(CodeActionRequest.self, .document, documentURI: { $0.textDocument.uri }) {
                request, context in
                try await context.server.codeActions(request)
            },
            RequestHandler.typed(CodeActionResolveRequest.self, .freestanding) { request, context in
                try await context.server.resolveCodeAction(request.action, context: context)
            },
            RequestHandler.typed(ExecuteCommandRequest.self, .freestanding) { request, context in
                try await context.server.executeCommand(request, context: context)
            },
            RequestHandler.typed(K2EditRequest.self, .document, documentURI: { $0.params.textDocument.uri }) {
                request, context in
                try await context.server.runEdit(kind: .edit, params: request.params, context: context)
            },
            RequestHandler.typed(K2ExplainRequest.self, .document, documentURI: { $0.params.textDocument.uri }) {
                request, context in
                try await context.server.runExplain(params: request.params, context: context)
            },
            RequestHandler.typed(K2ContextRequest.self, .document, documentURI: { $0.textDocument.uri }) {
                request, context in
                try await context.server.contextReport(request)
            },
            RequestHandler.typed(K2AgentRequest.self, .freestanding) { request, context in
                try await context.server.runAgent(params: request.params, context: context)
            },
        ]
    }

    static var featureNotificationHandlers: [(String, NotificationHandler)] {
        [
            NotificationHandler.typed(DidChangeConfigurationNotification.self) { notification, server in
                await server.reloadConfiguration(editorSettings: .some(notification.settings))
            },
            NotificationHandler.typed(DidChangeWatchedFilesNotification.self) { notification, server in
                await server.watchedFilesChanged(notification.changes)
            },
            NotificationHandler.typed(DidChangeWorkspaceFoldersNotification.self) { notification, server in
                await server.workspaceFoldersChanged(notification.event)
            },
            NotificationHandler.typed(WorkDoneProgressCancelNotification.self) { notification, server in
                if let id = server.progressTokens.request(for: notification.token) { server.inFlight.cancel(id) }
            },
            NotificationHandler.typed(SetTraceNotification.self) { _, _ in },
            NotificationHandler.typed(K2DidChangeDiagnosticsNotification.self) { notification, server in
                server.diagnostics.set(notification.diagnostics, for: notification.uri)
            },
        ]
    }

    /// After `initialized`: index the workspace in the background and ask the editor to report file changes.
    func didInitialize() async {
        guard let engine = try? self.engine else { return }
        await engine.index.startIndexing()
        guard features.watchedFilesDynamicRegistration else {
            // Without file events the index would go stale; re-list it lazily when a request needs it.
            engine.setIndexMaxAge(.seconds(30))
            return
        }
        let registration = Registration(
            id: "k2lsp-watched-files", method: DidChangeWatchedFilesNotification.method,
            registerOptions: ["watchers": [["globPattern": "**/*"]]])
        let params = try? JSONValue(encoding: RegisterCapabilityRequest(registrations: [registration]))
        let connection = self.connection
        let logger = self.logger
        Task {
            do {
                _ = try await connection.sendRequest(method: RegisterCapabilityRequest.method, params: params)
            } catch {
                logger.info("The editor declined the file watcher (\(error)); files are re-read when used.")
            }
        }
    }

    func watchedFilesChanged(_ changes: [FileEvent]) async {
        guard let engine = try? self.engine else { return }
        var configurationChanged = false
        for change in changes {
            guard let path = FileURI.path(fromURI: change.uri) else { continue }
            if (path as NSString).lastPathComponent == ".k2lsp.yaml" { configurationChanged = true }
            if change.type == 3 {
                await engine.index.fileDeleted(path: path)
            } else {
                await engine.index.fileChanged(path: path)
            }
        }
        if configurationChanged { await reloadConfiguration() }
    }

    func workspaceFoldersChanged(_ event: WorkspaceFoldersChangeEvent) async {
        session.withLock { state in
            let removed = Set(event.removed.compactMap { FileURI.path(fromURI: $0.uri) })
            state.workspaceFolders.removeAll { removed.contains($0) }
            for folder in event.added.compactMap({ FileURI.path(fromURI: $0.uri) })
            where !state.workspaceFolders.contains(folder) {
                state.workspaceFolders.append(folder)
            }
        }
        logger.info("Workspace folders changed; the new set applies to configuration now and to the index after a restart.")
        await reloadConfiguration()
    }
}
