// Engine edit values -> LSP WorkspaceEdit, and LSP diagnostics -> engine diagnostics.
import Foundation
import K2Engine
import K2Workspace
import LSP

extension LanguageServer {
    /// One `WorkspaceEdit` for the engine's file edits: versioned `documentChanges` (with `CreateFile` for new files)
    /// when the client supports them, else `changes`. Positions are in the negotiated encoding, computed on the text
    /// each edit was made against.
    func workspaceEdit(for edits: [FileEdit]) throws -> WorkspaceEdit {
        let encoding = positionEncoding
        let features = self.features
        if edits.contains(where: \.isNewFile), !(features.documentChanges && features.createFiles) {
            throw ServerError.requestFailed(
                "K2's edit creates a new file, but this editor cannot create files through LSP (no 'create' resource operation). Run the command from the CLI (k2lsp edit) or use an editor that supports it.")
        }
        var documentChanges: [LSP.DocumentChange] = []
        var changes: [DocumentURI: [TextEdit]] = [:]
        for edit in edits {
            let base = DocumentSnapshot(uri: edit.uri, languageID: "", version: edit.baseVersion ?? 0, text: edit.baseText)
            let textEdits = edit.replacements.map { replacement in
                TextEdit(range: base.lspRange(of: replacement.range, encoding: encoding), newText: replacement.newText)
            }
            if features.documentChanges {
                if edit.isNewFile {
                    documentChanges.append(.create(CreateFile(uri: edit.uri, options: .init(overwrite: false, ignoreIfExists: true))))
                }
                documentChanges.append(
                    .edit(
                        TextDocumentEdit(
                            textDocument: OptionalVersionedTextDocumentIdentifier(
                                uri: edit.uri, version: edit.isNewFile ? nil : edit.baseVersion),
                            edits: textEdits)))
            } else {
                changes[edit.uri, default: []] += textEdits
            }
        }
        return features.documentChanges ? WorkspaceEdit(documentChanges: documentChanges) : WorkspaceEdit(changes: changes)
    }

    /// Re-checks open documents after the model's work: an edit made against an older version is moved onto the
    /// current text when the user's changes did not touch its lines; otherwise the request fails with -32801.
    /// Edits of files that are not open carry no version; one made on a buffer that was closed meanwhile is moved
    /// onto the file on disk the same way.
    func rebaseOntoCurrentDocuments(_ edits: [FileEdit]) async throws -> [FileEdit] {
        var rebased: [FileEdit] = []
        for edit in edits {
            let current: (text: String, version: Int?)
            if let snapshot = await documents.snapshot(edit.uri) {
                current = (snapshot.text, snapshot.version)
            } else if edit.documentURI != nil, !edit.isNewFile, let disk = try? TextFileReader.read(edit.path).text {
                current = (disk, nil)
            } else {
                // Not open in the editor: the edit applies to the file on disk, which has no version.
                var unversioned = edit
                unversioned.baseVersion = nil
                rebased.append(unversioned)
                continue
            }
            // An edit made on a buffer carries that buffer's version; one made on the disk copy of a file the user
            // opened meanwhile is moved onto the buffer the same way, so it never lands on the wrong lines.
            if let baseVersion = edit.baseVersion, current.version == baseVersion {
                rebased.append(edit)
                continue
            }
            guard let replacements = EditRebaser.rebase(edit.replacements, from: edit.baseText, to: current.text) else {
                let versions =
                    switch (edit.baseVersion, current.version) {
                    case (let base?, let now?): "version \(base) → \(now)"
                    case (_?, nil): "closed in the editor"
                    default: "opened with unsaved changes"
                    }
                throw ServerError.contentModified(
                    "\(edit.uri) changed near the edited lines while K2 was working (\(versions)); run the command again.")
            }
            var moved = edit
            moved.baseText = current.text
            moved.baseVersion = current.version
            moved.replacements = replacements
            moved.newText = MinimalTextEdits.apply(replacements, to: current.text)
            rebased.append(moved)
        }
        return rebased
    }

    func diagnosticInfo(_ diagnostic: Diagnostic) -> DiagnosticInfo {
        let severity: String? =
            switch diagnostic.severity {
            case .error?: "error"
            case .warning?: "warning"
            case .information?: "information"
            case .hint?: "hint"
            default: nil
            }
        let code: String? =
            switch diagnostic.code {
            case .string(let value)?: value
            case .int(let value)?: String(value)
            default: nil
            }
        return DiagnosticInfo(
            line: diagnostic.range.start.line, endLine: diagnostic.range.end.line, message: diagnostic.message,
            severity: severity, source: diagnostic.source, code: code)
    }

    /// The document a request names: the editor's buffer when open, else the file on disk.
    func documentForRequest(uri: String, expectedVersion: Int?) async throws -> (DocumentSnapshot, path: String) {
        if let snapshot = await documents.snapshot(uri) {
            if let expectedVersion, expectedVersion != snapshot.version {
                throw ServerError.contentModified(
                    "The request was made for version \(expectedVersion) of \(uri), but the document is at version \(snapshot.version); retry it.")
            }
            guard let path = snapshot.filePath else {
                throw ServerError.invalidParams("k2lsp works on file:// documents; \(uri) is not one.")
            }
            return (snapshot, path)
        }
        guard let path = FileURI.path(fromURI: uri) else {
            throw ServerError.documentNotOpen(uri: uri)
        }
        let text: String
        do {
            text = try TextFileReader.read(path).text
        } catch {
            throw ServerError.invalidParams("\(uri) is not open in the editor and cannot be read from disk: \(error)")
        }
        let languageID = (path as NSString).pathExtension
        return (DocumentSnapshot(uri: uri, languageID: languageID.isEmpty ? "plaintext" : languageID, version: 0, text: text), path)
    }
}

extension K2CommandName {
    /// The engine's edit command behind a `k2.*` command; nil for `k2.explain` and `k2.agent`, which are not edits.
    var editKind: EditKind? {
        switch self {
        case .edit: return .edit
        case .fix: return .fix
        case .refactor: return .refactor
        case .document: return .document
        case .tests: return .tests
        case .explain, .agent: return nil
        }
    }
}
