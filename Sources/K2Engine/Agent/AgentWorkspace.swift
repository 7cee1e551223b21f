// The agent's view of one workspace folder: the path sandbox, reads from editor buffers or disk, and the overlay
// that collects its edits without writing anything.
import Foundation
import K2Context
import K2Workspace

/// A path a tool may use: inside the workspace, symlinks resolved.
public struct WorkspacePath: Sendable, Hashable {
    /// Relative to the workspace root, `/`-separated. What the model and the secret list see.
    public let relative: String
    /// Absolute, every symlink of its existing part resolved.
    public let resolved: String
}

/// What the sandbox needs from the configuration.
public struct AgentWorkspaceOptions: Sendable, Hashable {
    public var maxFileBytes: Int
    public var extraSecretPatterns: [String]
    /// Ignore files of the assistant family (`.k2ignore`, …); `.gitignore` may be listed and is left to the index.
    public var ignoreFileNames: [String]
    /// `agent.allow_protected_writes`.
    public var allowProtectedWrites: Bool

    public init(
        maxFileBytes: Int = 1 << 20, extraSecretPatterns: [String] = [],
        ignoreFileNames: [String] = IgnoreMatcher.defaultAssistantIgnoreFileNames, allowProtectedWrites: Bool = false
    ) {
        self.maxFileBytes = maxFileBytes
        self.extraSecretPatterns = extraSecretPatterns
        self.ignoreFileNames = ignoreFileNames
        self.allowProtectedWrites = allowProtectedWrites
    }
}

/// One workspace folder as the agent's tools see it. Every path goes through `resolve` (inside the folder, no
/// secrets); reads come from the overlay, then the editor (its open buffers, or a `fileAccess` that asks it), then
/// disk. Writes go to the overlay; with a `fileAccess` each one is also written at once (ACP), otherwise
/// `finalEdits()` turns the overlay into `FileEdit`s against the texts the run started from.
public actor AgentWorkspace {
    private struct TrackedFile {
        /// The absolute path handed back in the edit: the editor's own path for an open document.
        var editorPath: String
        var baseText: String
        var baseVersion: Int?
        var existed: Bool
        var current: String
        /// A file access wrote `current` (a file the run created exists from then on).
        var written = false
    }

    /// The folder as given (the form editors use in URIs).
    public nonisolated let root: String
    /// The folder with symlinks resolved: what containment is checked against.
    public nonisolated let realRoot: String
    public nonisolated let options: AgentWorkspaceOptions
    public nonisolated let reader: WorkspaceFileReader
    /// Diagnostics the editor has shown, by absolute path.
    public nonisolated let diagnostics: [String: [DiagnosticInfo]]
    private nonisolated let assistantIgnores: IgnoreMatcher
    private let documents: DocumentStore
    private let index: WorkspaceIndex?
    /// Set when changes are written as they are made (`AgentChangeDelivery.asMade`).
    private nonisolated let fileAccess: (any AgentFileAccess)?
    private var tracked: [String: TrackedFile] = [:]
    private var trackedOrder: [String] = []
    private var walkedFiles: [String]?

    /// - Parameters:
    ///   - index: the engine's index, used for listing when it covers `root`; without it the folder is walked.
    ///   - fileAccess: reads the editor's buffers and writes every change at once; nil keeps changes in the overlay.
    public init(
        root: String, documents: DocumentStore, index: WorkspaceIndex? = nil, options: AgentWorkspaceOptions = .init(),
        diagnostics: [String: [DiagnosticInfo]] = [:], fileAccess: (any AgentFileAccess)? = nil
    ) {
        self.fileAccess = fileAccess
        let trimmed = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.root = trimmed
        self.realRoot = WorkspacePaths.realPath(trimmed) ?? trimmed
        self.options = options
        self.reader = WorkspaceFileReader(
            maxFileBytes: options.maxFileBytes, secretFilter: SecretFilter(extraPatterns: options.extraSecretPatterns))
        self.diagnostics = diagnostics
        self.assistantIgnores = IgnoreMatcher(
            root: trimmed, assistantIgnoreFileNames: options.ignoreFileNames, skippedDirectoryNames: [])
        self.documents = documents
        self.index = index
    }

    // MARK: - The sandbox

    /// Resolves a path the model gave. Refused: empty and absolute paths, `..` above the root, symlinks that leave
    /// the folder, and secret files (by the path as given and as resolved).
    public nonisolated func resolve(_ given: String) throws(ToolError) -> WorkspacePath {
        let path = given.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !path.isEmpty else { throw ToolError("The path is empty; give a path relative to the workspace root.") }
        guard !path.hasPrefix("/"), !path.hasPrefix("~") else {
            throw ToolError(
                "\(path) is not a workspace-relative path; paths are relative to the workspace root (like src/main.swift).")
        }
        let resolved: String
        switch WorkspacePaths.resolveInside(root: realRoot, relativePath: path) {
        case .failure(let refusal): throw ToolError(refusal.description)
        case .success(let absolute): resolved = absolute
        }
        guard let relative = WorkspacePaths.relativePath(of: resolved, inside: realRoot), !relative.isEmpty else {
            throw ToolError("\(path) is the workspace root itself, not a file.")
        }
        if let pattern = reader.secretFilter.secretPattern(relativePath: WorkspacePaths.lexicallyNormalized(path), root: realRoot) {
            throw ToolError(
                "\(path) is a secret file (matches `\(pattern)`); k2lsp never reads or writes it for the model.")
        }
        return WorkspacePath(relative: relative, resolved: resolved)
    }

    /// Throws when the agent may not write `path`: protected paths (unless allowed) and files the assistant
    /// ignore files exclude.
    public nonisolated func checkWritable(_ path: WorkspacePath) throws(ToolError) {
        if !options.allowProtectedWrites, let rule = ProtectedPaths.rule(for: path.relative) {
            throw ToolError(
                "\(path.relative) is protected (\(rule)): the agent does not change git metadata, k2lsp, editor or CI configuration unless the user sets agent.allow_protected_writes.")
        }
        try checkNotExcluded(path)
    }

    private nonisolated func checkNotExcluded(_ path: WorkspacePath) throws(ToolError) {
        if let reason = assistantIgnores.ignoreReason(relativePath: path.relative, isDirectory: false),
            reason.isAssistantRule
        {
            throw ToolError("\(path.relative) is excluded from the assistant (\(reason)).")
        }
    }

    // MARK: - Reading

    /// The file's text as the run sees it: the overlay, else the editor's buffer, else the file on disk; nil when
    /// it does not exist. Unredacted: for edits. What goes to the model passes `textForModel` first.
    public func currentText(of path: WorkspacePath) async throws(ToolError) -> String? {
        if let file = tracked[path.relative] { return file.current }
        try checkNotExcluded(path)
        if let text = await textFromFileAccess(path) {
            try rejectBinary(text, path: path)
            if case .failure(let refusal) = reader.prepare(text: text, relativePath: path.relative, enforceSizeLimit: true) {
                throw ToolError(refusal.description)
            }
            track(path, TrackedFile(
                editorPath: editorPath(of: path), baseText: text, baseVersion: nil, existed: true, current: text))
            return text
        }
        if let document = await openDocument(path) {
            try rejectBinary(document.text, path: path)
            track(path, TrackedFile(
                editorPath: document.filePath ?? root + "/" + path.relative, baseText: document.text,
                baseVersion: document.version, existed: true, current: document.text))
            return document.text
        }
        guard let text = try readFromDisk(path) else { return nil }
        track(path, TrackedFile(
            editorPath: root + "/" + path.relative, baseText: text, baseVersion: nil, existed: true, current: text))
        return text
    }

    /// The editor's text of a file, when a file access knows it. A failed read (the editor does not have the file)
    /// falls back to the disk.
    private func textFromFileAccess(_ path: WorkspacePath) async -> String? {
        guard let fileAccess else { return nil }
        return (try? await fileAccess.readText(atPath: editorPath(of: path))) ?? nil
    }

    /// Text that is not a workspace file (an editor's untitled buffer) on its way to the model, redacted; nil when its
    /// name is a secret file's.
    public nonisolated func textForModel(_ text: String, named name: String) -> String? {
        try? reader.prepare(text: text, relativePath: name, enforceSizeLimit: false).get().redactedWhole().text
    }

    /// A file's text on its way to the model: secret-looking values redacted. Throws for files that are never shown
    /// though they may be written (git metadata).
    public nonisolated func textForModel(_ text: String, path: WorkspacePath) throws(ToolError) -> String {
        switch reader.prepare(text: text, relativePath: path.relative, enforceSizeLimit: false) {
        case .success(let prepared): return prepared.redactedWhole().text
        case .failure(.secretFile(_, let pattern)) where pattern == SecretPolicy.neverSentFolder(in: path.relative):
            throw ToolError(
                "\(path.relative) is git metadata, which can hold credentials (a CI checkout's extraheader token); k2lsp never shows it to the model. Use the files of the working tree.")
        case .failure(let refusal): throw ToolError(refusal.description)
        }
    }

    /// Any text on its way to the model (tool results, errors): key-like values redacted.
    public nonisolated func redactedForModel(_ text: String) -> String {
        reader.secretFilter.redact(text).text
    }

    /// The text `search` sees for a listed file (overlay, buffer or disk), redacted, with the file's resolved
    /// relative path; nil for files it cannot read. The path is resolved like any other (a listed symlink may point
    /// at a secret). Does not track the file: searching many files must not make them part of the run.
    func searchableText(relative listed: String, openDocuments: [String: DocumentSnapshot])
        -> (relative: String, text: String)?
    {
        guard let path = try? resolve(listed) else { return nil }
        let relative = path.relative
        let prepared: Result<FileText, FileReadRefusal>
        if let file = tracked[relative] {
            prepared = reader.prepare(text: file.current, relativePath: relative, enforceSizeLimit: false)
        } else if assistantIgnores.ignoreReason(relativePath: relative, isDirectory: false)?.isAssistantRule == true {
            return nil
        } else if let document = openDocuments[relative] {
            prepared = reader.prepare(text: document.text, relativePath: relative)
        } else {
            prepared = reader.read(absolutePath: path.resolved, relativePath: relative)
        }
        return (try? prepared.get()).map { (relative, $0.redactedWhole().text) }
    }

    /// Open documents inside this folder, by relative path.
    func openDocumentsByRelativePath() async -> [String: DocumentSnapshot] {
        var result: [String: DocumentSnapshot] = [:]
        for document in await documents.allSnapshots() {
            guard let path = document.filePath else { continue }
            let relative =
                WorkspacePaths.relativePath(of: path, inside: root)
                ?? WorkspacePaths.relativePath(of: path, inside: realRoot)
            if let relative, !relative.isEmpty { result[relative] = document }
        }
        return result
    }

    private func openDocument(_ path: WorkspacePath) async -> DocumentSnapshot? {
        for base in Set([root, realRoot]).sorted() {
            if let document = await documents.snapshot(FileURI.uri(fromPath: base + "/" + path.relative)) {
                return document
            }
        }
        return nil
    }

    private nonisolated func readFromDisk(_ path: WorkspacePath) throws(ToolError) -> String? {
        var buffer: [UInt8] = []
        let result = reader.inspect(absolutePath: path.resolved, relativePath: path.relative, buffer: &buffer) {
            String(bytes: $0, encoding: .utf8)
        }
        switch result {
        case .success(let text?):
            // Editors drop a byte order mark from the buffer; positions must count from after it.
            return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        case .success(nil):
            throw ToolError("\(path.relative) is not UTF-8 text; the agent only reads and edits text files.")
        case .failure(.notFound):
            return nil
        case .failure(.notRegularFile):
            throw ToolError("\(path.relative) is a directory or special file, not a text file; list_files shows what it holds.")
        case .failure(.binary):
            throw ToolError("\(path.relative) is a binary file; the agent only reads and edits text files.")
        case .failure(let refusal):
            throw ToolError(refusal.description)
        }
    }

    private nonisolated func rejectBinary(_ text: String, path: WorkspacePath) throws(ToolError) {
        if text.utf8.contains(0) {
            throw ToolError("\(path.relative) is a binary file; the agent only reads and edits text files.")
        }
    }

    // MARK: - Writing (to the overlay)

    /// Replaces the run's text of a file (creating it when it does not exist). Checks that it may be written. With
    /// a file access the change is written at once, and only if the file still holds what the run saw; a write
    /// that fails leaves the overlay as it was and forgets the file, so the next read sees it afresh.
    public func setText(_ text: String, of path: WorkspacePath) async throws {
        try checkWritable(path)
        if text.utf8.contains(0) {
            throw ToolError("The new text for \(path.relative) contains NUL bytes; the agent only writes text files.")
        }
        if tracked[path.relative] == nil {
            if try await currentText(of: path) == nil {
                track(path, TrackedFile(
                    editorPath: root + "/" + path.relative, baseText: "", baseVersion: nil, existed: false, current: ""))
            }
        }
        if let fileAccess, let file = tracked[path.relative] {
            let expected = file.existed || file.written ? file.current : nil
            do {
                try await fileAccess.writeText(text, atPath: file.editorPath, expected: expected)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                tracked[path.relative] = nil
                trackedOrder.removeAll { $0 == path.relative }
                throw ToolError("\(path.relative) was not changed: \(error) Read it again before editing it.")
            }
        }
        tracked[path.relative]?.current = text
        if fileAccess != nil { tracked[path.relative]?.written = true }
    }

    /// Whether the run created this file (it did not exist when first used).
    public func isNewFile(_ path: WorkspacePath) -> Bool {
        tracked[path.relative].map { !$0.existed } ?? false
    }

    private func track(_ path: WorkspacePath, _ file: TrackedFile) {
        if tracked[path.relative] == nil { trackedOrder.append(path.relative) }
        tracked[path.relative] = file
    }

    // MARK: - The result

    /// Relative paths of the files the run changed or created, in the order it first used them.
    public func changedFiles() -> [String] {
        trackedOrder.filter { relative in
            guard let file = tracked[relative] else { return false }
            return !file.existed || file.current != file.baseText
        }
    }

    /// Every change, as edits against the texts the run started from. Each path is checked again (a symlink may
    /// have been swapped while the run went on); any problem refuses the whole result.
    public func finalEdits() throws -> [FileEdit] {
        try changedFiles().compactMap { relative -> FileEdit? in
            guard let file = tracked[relative] else { return nil }
            let path: WorkspacePath
            do throws(ToolError) {
                path = try resolve(relative)
                try checkWritable(path)
            } catch {
                throw EngineError.refused(
                    "The agent's change to \(relative) is no longer allowed (\(error.message)), so nothing was changed.")
            }
            guard path.relative == relative else {
                throw EngineError.refused(
                    "\(relative) now leads to \(path.relative) (a symlink changed while the agent ran), so nothing was changed; run the agent again.")
            }
            return FileEdit(
                path: file.editorPath, baseText: file.baseText, baseVersion: file.baseVersion, newText: file.current,
                isNewFile: !file.existed,
                replacements: MinimalTextEdits.compute(original: file.baseText, updated: file.current))
        }
    }

    // MARK: - Listing

    /// Every file the agent may list, workspace-relative and sorted: the index's files of this folder (ignore
    /// files, secrets and oversized files already left out) plus the files the run created.
    public func listFiles() async -> [String] {
        var files = Set(await indexedFiles())
        for relative in trackedOrder where tracked[relative]?.existed == false { files.insert(relative) }
        return files.sorted()
    }

    private func indexedFiles() async -> [String] {
        if let index, let rootNumber = index.roots.firstIndex(where: { $0.path == realRoot }) {
            if !(await index.currentProgress().isListingComplete) {
                await index.startIndexing()
                await index.waitUntilIndexed()
            }
            return await index.snapshot().allFiles().filter { $0.key.root == rootNumber }.map(\.relativePath)
        }
        if let walkedFiles { return walkedFiles }
        let matcher = IgnoreMatcher(root: realRoot, assistantIgnoreFileNames: options.ignoreFileNames)
        let lister = WorkspaceFileLister(
            matcher: matcher, secretFilter: reader.secretFilter, maxFileBytes: options.maxFileBytes,
            collectSkipped: false)
        let files = lister.list(shouldStop: { Task.isCancelled }).files.map(\.relativePath)
        walkedFiles = files
        return files
    }
}
