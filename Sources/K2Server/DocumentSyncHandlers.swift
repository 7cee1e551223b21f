// didOpen, didChange, didClose, didSave: applied in arrival order inside the message loop.
import Foundation
import K2Workspace
import LSP

extension LanguageServer {
    static let documentSyncHandlers: [(String, NotificationHandler)] = [
        NotificationHandler.typed(DidOpenTextDocumentNotification.self) { notification, server in
            let item = notification.textDocument
            await server.documents.open(uri: item.uri, languageID: item.languageId, version: item.version, text: item.text)
            await server.documentDidOpen(uri: item.uri)
        },
        NotificationHandler.typed(DidChangeTextDocumentNotification.self) { notification, server in
            let uri = notification.textDocument.uri
            let changes = notification.contentChanges.map(K2Workspace.DocumentChange.init)
            try await server.documents.change(
                uri: uri, version: notification.textDocument.version, changes: changes,
                encoding: server.positionEncoding)
            server.inFlight.documentChanged(
                uri: uri, retryOnContentModified: server.features.retryOnContentModified,
                exempt: [InlineCompletionRequest.method, CompletionRequest.method])
        },
        NotificationHandler.typed(DidCloseTextDocumentNotification.self) { notification, server in
            await server.documents.close(uri: notification.textDocument.uri)
        },
        NotificationHandler.typed(DidSaveTextDocumentNotification.self) { notification, server in
            if let text = notification.text {
                await server.documents.replaceText(uri: notification.textDocument.uri, text: text)
            }
            await server.documentDidSave(uri: notification.textDocument.uri)
        },
    ]

    // The workspace index follows files on disk; open buffers are read from the document store when context is
    // built, so only events that can change the disk matter here.
    func documentDidOpen(uri: String) async {
        guard let path = FileURI.path(fromURI: uri), let engine = try? self.engine else { return }
        await engine.index.fileChanged(path: path)
    }

    func documentDidSave(uri: String) async {
        guard let path = FileURI.path(fromURI: uri), let engine = try? self.engine else { return }
        await engine.index.fileChanged(path: path)
        if (path as NSString).lastPathComponent == ".k2lsp.yaml" { await reloadConfiguration() }
    }
}
