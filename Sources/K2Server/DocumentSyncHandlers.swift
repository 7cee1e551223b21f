// didOpen, didChange, didClose, didSave (applied in arrival order inside the message loop) and k2/viewDocument.
import Foundation
import K2Workspace
import LSP

extension LanguageServer {
    func didOpen(_ item: TextDocumentItem) async {
        await documents.open(uri: item.uri, languageID: item.languageId, version: item.version, text: item.text)
        await documentDidOpen(uri: item.uri)
    }

    /// Applies the change; the dispatcher then applies each in-flight request's staleness (see `MessageRegistry.lsp`).
    func didChange(_ notification: DidChangeTextDocumentNotification) async throws {
        try await documents.change(
            uri: notification.textDocument.uri, version: notification.textDocument.version,
            changes: notification.contentChanges.map(K2Workspace.DocumentChange.init), encoding: positionEncoding)
    }

    func didSave(_ notification: DidSaveTextDocumentNotification) async {
        if let text = notification.text {
            await documents.replaceText(uri: notification.textDocument.uri, text: text)
        }
        await documentDidSave(uri: notification.textDocument.uri)
    }

    /// `k2/viewDocument`: the server's copy of an open document.
    func viewDocument(_ request: K2ViewDocumentRequest) async throws -> K2ViewDocumentResult {
        let uri = request.textDocument.uri
        guard let snapshot = await documents.snapshot(uri) else { throw ServerError.documentNotOpen(uri: uri) }
        return K2ViewDocumentResult(
            uri: uri, version: snapshot.version, text: snapshot.text, lineCount: snapshot.lineIndex.lineCount)
    }

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
