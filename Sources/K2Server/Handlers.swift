// The dispatch table: every message of `MessageRegistry.lsp` with its handler. The registry says how each one is
// scheduled; a test checks that no entry lacks a handler and no handler lacks an entry.
import AnyJSON
import JSONRPC
import LSP

typealias RequestContext = JSONRPC.RequestContext<LanguageServer>

extension JSONRPC.RequestContext where Owner == LanguageServer {
    var server: LanguageServer { owner }
}

extension LanguageServer {
    typealias Handler = MessageHandler<LanguageServer>

    static let dispatchTable = DispatchTable(registry: .lsp, handlers: handlers)

    static let handlers: [Handler] = [
        // Lifecycle
        .request(InitializeRequest.self) { request, context in await context.server.initialize(request) },
        .request(ShutdownRequest.self) { _, context in
            context.server.shutdown()
            return .null
        },
        .notification(InitializedNotification.self) { _, server in await server.didInitialize() },
        .notification(ExitNotification.self) { _, server in server.receivedExit() },
        .notification(SetTraceNotification.self) { _, _ in },

        // Documents
        .notification(DidOpenTextDocumentNotification.self) { notification, server in
            await server.didOpen(notification.textDocument)
        },
        .notification(DidChangeTextDocumentNotification.self) { notification, server in
            try await server.didChange(notification)
        },
        .notification(DidCloseTextDocumentNotification.self) { notification, server in
            await server.documents.close(uri: notification.textDocument.uri)
        },
        .notification(DidSaveTextDocumentNotification.self) { notification, server in
            await server.didSave(notification)
        },
        .notification(K2DidChangeDiagnosticsNotification.self) { notification, server in
            server.diagnostics.set(notification.diagnostics, for: notification.uri)
        },

        // Workspace
        .notification(DidChangeConfigurationNotification.self) { notification, server in
            await server.reloadConfiguration(editorSettings: .some(notification.settings))
        },
        .notification(DidChangeWatchedFilesNotification.self) { notification, server in
            await server.watchedFilesChanged(notification.changes)
        },
        .notification(DidChangeWorkspaceFoldersNotification.self) { notification, server in
            await server.workspaceFoldersChanged(notification.event)
        },
        .notification(WorkDoneProgressCancelNotification.self) { notification, server in
            if let id = server.progressTokens.request(for: notification.token) { server.requests.cancel(id) }
        },

        // Features
        .request(InlineCompletionRequest.self) { request, context in
            try await context.server.inlineCompletion(request, id: context.id)
        },
        .request(CompletionRequest.self) { request, context in
            try await context.server.completionFallback(request, id: context.id)
        },
        .request(CodeActionRequest.self) { request, context in try await context.server.codeActions(request) },
        .request(CodeActionResolveRequest.self) { request, context in
            try await context.server.resolveCodeAction(request.action, context: context)
        },
        .request(ExecuteCommandRequest.self) { request, context in
            try await context.server.executeCommand(request, context: context)
        },
        .request(K2EditRequest.self) { request, context in
            try await context.server.runEdit(kind: .edit, params: request.params, context: context)
        },
        .request(K2ExplainRequest.self) { request, context in
            try await context.server.runExplain(params: request.params, context: context)
        },
        .request(K2ContextRequest.self) { request, context in try await context.server.contextReport(request) },
        .request(K2AgentRequest.self) { request, context in
            try await context.server.runAgent(params: request.params, context: context)
        },
        .request(K2ViewDocumentRequest.self) { request, context in try await context.server.viewDocument(request) },
    ]
}
