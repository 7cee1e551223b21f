// Every file a headless run changes: its bytes as read, its text after the edits so far, its diff and its write.
import K2Engine
import K2Workspace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Collects the engine's `FileEdit`s of one run so that they are diffed and written together, all or nothing.
///
/// Files are keyed by their real path, so a file reached through a symbolic link and directly is one file.
/// Each edit must have been computed against the text this set holds for its file; otherwise it is refused
/// rather than silently dropping an earlier change.
struct ChangeSet: Sendable {
    struct FileChange: Sendable {
        /// Relative to the workspace: what diffs and JSON show.
        var displayPath: String
        var absolutePath: String
        /// The file as read, for a byte-faithful write; nil for a file the edits create.
        var original: LoadedTextFile?
        /// The text after every edit so far (line endings as in `original.text`, no BOM).
        var text: String
    }

    struct FileDiff: Sendable, Encodable {
        var path: String
        var diff: String
    }

    let workspace: CLIWorkspace
    let secretFilter: SecretFilter
    private var changes: [String: FileChange] = [:]
    private var order: [String] = []

    init(workspace: CLIWorkspace, secretFilter: SecretFilter) {
        self.workspace = workspace
        self.secretFilter = secretFilter
    }

    /// Reads a file named on the command line before any model call, so that a missing, binary or non-UTF-8 file
    /// stops the run early. Messages name it as the user did (`given`). Returns its key.
    mutating func read(_ given: String, absolutePath: String) throws(CLIFailure) -> String {
        let key = Self.key(for: absolutePath)
        if changes[key] != nil { return key }
        try refuseSecret(absolutePath, named: given)
        let file: LoadedTextFile
        do {
            file = try TextFileReader.read(given)
        } catch {
            throw CLIFailure(reading: error)
        }
        insert(
            FileChange(
                displayPath: workspace.displayPath(absolutePath), absolutePath: absolutePath, original: file,
                text: file.text),
            key: key)
        return key
    }

    func change(_ key: String) -> FileChange? { changes[key] }

    /// The text a file has after this run's edits so far; nil for a file the run has not read.
    func text(ofFile path: String) -> String? { changes[Self.key(for: path)]?.text }

    /// Takes the engine's edits into the set.
    mutating func apply(_ edits: [FileEdit]) throws(CLIFailure) {
        for edit in edits {
            let key = Self.key(for: edit.path)
            if var change = changes[key] {
                guard Self.withoutBOM(edit.baseText) == change.text else {
                    throw CLIFailure(
                        .invalidEdit,
                        "K2's edit of \(change.displayPath) was made against other text than this run's earlier edits left there, so nothing was written. Edit these files in separate runs.")
                }
                change.text = Self.withoutBOM(edit.newText)
                changes[key] = change
            } else if edit.isNewFile {
                insert(
                    FileChange(
                        displayPath: workspace.displayPath(edit.path), absolutePath: edit.path, original: nil,
                        text: edit.newText),
                    key: key)
            } else {
                let file: LoadedTextFile
                do {
                    file = try TextFileReader.read(edit.path)
                } catch {
                    throw CLIFailure(.invalidEdit, "K2 edited \(workspace.displayPath(edit.path)), but it cannot be written: \(error)")
                }
                guard Self.withoutBOM(edit.baseText) == file.text else {
                    throw CLIFailure(writing: .changedOnDisk(path: workspace.displayPath(edit.path)))
                }
                insert(
                    FileChange(
                        displayPath: workspace.displayPath(edit.path), absolutePath: edit.path, original: file,
                        text: Self.withoutBOM(edit.newText)),
                    key: key)
            }
        }
    }

    /// Git-style diffs of the files that change, in the order they were first seen.
    var diffs: [FileDiff] {
        changedFiles.map { change in
            FileDiff(
                path: change.displayPath,
                diff: UnifiedDiff.render(
                    oldText: change.original?.text, newText: Self.shownText(of: change), oldPath: change.displayPath,
                    newPath: change.displayPath))
        }
    }

    var isEmpty: Bool { changedFiles.isEmpty }

    /// Writes every changed file atomically, all or nothing; files changed on disk since they were read are not
    /// overwritten, nor are read-only files unless `replacingReadOnlyFiles` (`--force`). Interrupts wait until the
    /// write is done, so Ctrl-C cannot stop it half-way.
    func write(replacingReadOnlyFiles: Bool = false) throws(CLIFailure) {
        for change in changedFiles { try refuseSecret(change.absolutePath, named: change.displayPath) }
        let plans = changedFiles.map { change in
            change.original.map { FileWritePlan(updating: $0, to: change.text) }
                ?? FileWritePlan(creating: change.absolutePath, text: change.text)
        }
        let signals = [SIGINT, SIGTERM, SIGHUP]
        let previous = signals.map { signal($0, SIG_IGN) }
        defer { for (number, handler) in zip(signals, previous) { signal(number, handler) } }
        do {
            try AtomicFileWriter(replacingReadOnlyFiles: replacingReadOnlyFiles).write(plans)
        } catch {
            throw CLIFailure(writing: error)
        }
    }

    var writtenPaths: [String] { changedFiles.map(\.displayPath) }

    private var changedFiles: [FileChange] {
        order.compactMap { changes[$0] }.filter { change in
            guard let original = change.original else { return true }
            return original.encode(change.text) != original.encodedOriginal
        }
    }

    /// A secret file, by its name or through its links (`config.py -> ../elsewhere/.env`), is neither sent nor
    /// written.
    private func refuseSecret(_ absolutePath: String, named given: String) throws(CLIFailure) {
        let relative = WorkspacePaths.relativePath(of: absolutePath, inside: workspace.root) ?? absolutePath
        if let pattern = secretFilter.secretPattern(relativePath: relative, root: workspace.root) {
            throw CLIFailure(
                .usage,
                "\(given) is a secret file (it matches `\(pattern)`, by its name or where its links lead); k2lsp never sends it to K2 or writes it, so nothing was done.")
        }
    }

    private mutating func insert(_ change: FileChange, key: String) {
        if changes[key] == nil { order.append(key) }
        changes[key] = change
    }

    /// The new text as it will be on disk: line endings and final newline as `LoadedTextFile.encode` keeps them.
    private static func shownText(of change: FileChange) -> String {
        guard let original = change.original else { return change.text }
        let bytes = original.encode(change.text)
        return String(decoding: original.hasBOM ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self)
    }

    /// The engine reads files it was not given with Foundation, which keeps a BOM as U+FEFF; `LoadedTextFile.text`
    /// has none (the BOM is written back separately).
    private static func withoutBOM(_ text: String) -> String {
        text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    private static func key(for path: String) -> String {
        WorkspacePaths.realPath(path) ?? path
    }
}
