// Workspace notifications: after `initialized`, watched files and workspace folders.
import AnyJSON
import Foundation
import JSONRPC
import K2Workspace
import LSP

extension LanguageServer {
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
        let connection = self.connection
        let logger = self.logger
        Task {
            do {
                _ = try await connection.request(RegisterCapabilityRequest(registrations: [registration]))
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
            if change.type == .deleted {
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
