// The workspace walk: every file worth indexing under a root, found with readdir and lstat only (no file is read).

/// A file the walk found.
public struct ListedFile: Sendable, Hashable {
    /// Relative to the root, `/`-separated.
    public let relativePath: String
    public let size: Int
    /// Nanoseconds since 1970.
    public let modificationTime: Int64
    /// The path is a symlink to a file inside the root.
    public let isSymlink: Bool
}

/// Why the walk left an entry out.
public enum WorkspaceSkipReason: Sendable, Hashable, CustomStringConvertible {
    case ignored(IgnoreReason)
    case secret(pattern: String)
    case tooLarge(bytes: Int, limit: Int)
    case symlinkLeavesWorkspace(target: String)
    case symlinkedDirectory
    case danglingSymlink
    case notRegularFile
    case unreadableDirectory(message: String)

    public var description: String {
        switch self {
        case .ignored(let reason): return reason.description
        case .secret(let pattern): return "secret file (matches `\(pattern)`)"
        case .tooLarge(let bytes, let limit): return "over the size limit (\(bytes) bytes > \(limit))"
        case .symlinkLeavesWorkspace(let target): return "symlink to \(target), outside the workspace"
        case .symlinkedDirectory: return "symlinked directory (not followed)"
        case .danglingSymlink: return "symlink whose target does not exist"
        case .notRegularFile: return "not a regular file"
        case .unreadableDirectory(let message): return "directory cannot be read: \(message)"
        }
    }
}

/// An entry the walk left out, and why. An ignored directory is reported once, not each file inside it.
public struct SkippedEntry: Sendable, Hashable {
    public let relativePath: String
    public let isDirectory: Bool
    public let reason: WorkspaceSkipReason
}

/// What the lister says about one path.
public enum ListedEntry: Sendable, Hashable {
    case file(ListedFile)
    /// A directory that is not ignored: list it with `list(subdirectory:)`.
    case directory
    case skipped(SkippedEntry)
    case missing
}

/// What a walk found.
public struct WorkspaceListing: Sendable {
    public var files: [ListedFile] = []
    public var skipped: [SkippedEntry] = []
    public var directoryCount = 0
}

/// Walks a workspace root honouring ignore rules and the secret list, skipping `.git`, build outputs, files over the
/// size limit and symlinks that leave the root. Symlinked directories are not followed (git does not either).
/// Binary files are recognised when they are read (`WorkspaceFileReader`), not here.
public struct WorkspaceFileLister: Sendable {
    public let matcher: IgnoreMatcher
    public let secretFilter: SecretFilter
    public let maxFileBytes: Int
    /// Record skipped entries (costs a little memory on large trees).
    public let collectSkipped: Bool

    public init(matcher: IgnoreMatcher, secretFilter: SecretFilter, maxFileBytes: Int = 1 << 20, collectSkipped: Bool = true) {
        self.matcher = matcher
        self.secretFilter = secretFilter
        self.maxFileBytes = maxFileBytes
        self.collectSkipped = collectSkipped
    }

    public var root: String { matcher.root }

    /// Lists the whole root. `shouldStop` is polled once per directory so that a walk can be abandoned.
    public func list(shouldStop: () -> Bool = { false }) -> WorkspaceListing {
        list(subdirectory: "", shouldStop: shouldStop)
    }

    /// Lists one directory (relative to the root, "" for the root) and everything below it. The directory itself is
    /// assumed not ignored; check with `matcher.ignoreReason` first when that is not known.
    public func list(subdirectory: String, shouldStop: () -> Bool = { false }) -> WorkspaceListing {
        var listing = WorkspaceListing()
        var levels = subdirectory.isEmpty ? [] : Array(ancestorLevels(of: subdirectory))
        walk(directory: subdirectory, levels: &levels, into: &listing, shouldStop: shouldStop)
        return listing
    }

    /// Checks one path (relative to the root) as the walk would, its parent directories included: for updates
    /// after a file changed.
    public func entry(relativePath: String) -> ListedEntry {
        guard let status = FileSystemCalls.status(atPath: root + "/" + relativePath) else { return .missing }
        let isDirectory = status.kind == .directory
        if let reason = matcher.ignoreReason(relativePath: relativePath, isDirectory: isDirectory) {
            return .skipped(SkippedEntry(relativePath: relativePath, isDirectory: isDirectory, reason: .ignored(reason)))
        }
        if let pattern = secretFilter.matchingPattern(relativePath: relativePath) {
            return .skipped(SkippedEntry(relativePath: relativePath, isDirectory: isDirectory, reason: .secret(pattern: pattern)))
        }
        var listing = WorkspaceListing()
        let levels = ancestorLevels(of: relativePath)
        switch status.kind {
        case .directory: return .directory
        case .file: addFile(path: relativePath, status: status, isSymlink: false, levels: levels, into: &listing)
        case .symlink: addSymlink(path: relativePath, levels: levels, into: &listing)
        case .other: return .skipped(SkippedEntry(relativePath: relativePath, isDirectory: false, reason: .notRegularFile))
        }
        if let file = listing.files.first { return .file(file) }
        if let skipped = listing.skipped.first { return .skipped(skipped) }
        return .missing
    }

    /// The ignore rules of every directory above a path, root first.
    private func ancestorLevels(of relativePath: String) -> [DirectoryIgnoreRules] {
        var levels: [DirectoryIgnoreRules] = []
        var prefix = ""
        for component in relativePath.split(separator: "/").dropLast() {
            levels.append(matcher.rules(forDirectory: prefix))
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
        }
        levels.append(matcher.rules(forDirectory: prefix))
        return levels
    }

    private func skip(_ path: String, isDirectory: Bool, _ reason: WorkspaceSkipReason, into listing: inout WorkspaceListing) {
        if collectSkipped { listing.skipped.append(SkippedEntry(relativePath: path, isDirectory: isDirectory, reason: reason)) }
    }

    private func walk(
        directory: String, levels: inout [DirectoryIgnoreRules], into listing: inout WorkspaceListing,
        shouldStop: () -> Bool
    ) {
        if shouldStop() { return }
        let absoluteDirectory = directory.isEmpty ? root : root + "/" + directory
        guard let handle = OpenDirectory(path: absoluteDirectory) else {
            skip(directory, isDirectory: true, .unreadableDirectory(message: FileSystemCalls.lastErrorMessage()), into: &listing)
            return
        }
        listing.directoryCount += 1
        let entries = handle.entries().sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let ignoreFileNames = matcher.ignoreFileNames
        let presentIgnoreFiles = Set(entries.lazy.map(\.name).filter { ignoreFileNames.contains($0) })
        levels.append(matcher.rules(forDirectory: directory, presentNames: presentIgnoreFiles))
        defer { levels.removeLast() }
        var subdirectories: [String] = []
        for entry in entries {
            let path = directory.isEmpty ? entry.name : directory + "/" + entry.name
            var kind = entry.kind
            var status: FileStatus?
            if kind == .unknown || kind == .file {
                status = FileSystemCalls.status(directoryDescriptor: handle.descriptor, name: entry.name)
                switch status?.kind {
                case .file: kind = .file
                case .directory: kind = .directory
                case .symlink: kind = .symlink
                default: kind = .other
                }
            }
            switch kind {
            case .directory:
                if let reason = matcher.decide(path: path, isDirectory: true, levels: levels) {
                    skip(path, isDirectory: true, .ignored(reason), into: &listing)
                } else if secretFilter.isSecretEntry(relativePath: path, isDirectory: true) {
                    skip(path, isDirectory: true, .secret(pattern: secretFilter.matchingPattern(relativePath: path) ?? ""), into: &listing)
                } else {
                    subdirectories.append(path)
                }
            case .file:
                guard let status else { continue }
                addFile(path: path, status: status, isSymlink: false, levels: levels, into: &listing)
            case .symlink:
                addSymlink(path: path, levels: levels, into: &listing)
            case .other, .unknown:
                skip(path, isDirectory: false, .notRegularFile, into: &listing)
            }
        }
        for subdirectory in subdirectories {
            walk(directory: subdirectory, levels: &levels, into: &listing, shouldStop: shouldStop)
        }
    }

    private func addFile(
        path: String, status: FileStatus, isSymlink: Bool, levels: [DirectoryIgnoreRules], into listing: inout WorkspaceListing
    ) {
        if let reason = matcher.decide(path: path, isDirectory: false, levels: levels) {
            skip(path, isDirectory: false, .ignored(reason), into: &listing)
        } else if secretFilter.isSecretEntry(relativePath: path, isDirectory: false) {
            skip(path, isDirectory: false, .secret(pattern: secretFilter.matchingPattern(relativePath: path) ?? ""), into: &listing)
        } else if status.size > maxFileBytes {
            skip(path, isDirectory: false, .tooLarge(bytes: status.size, limit: maxFileBytes), into: &listing)
        } else {
            listing.files.append(
                ListedFile(relativePath: path, size: status.size, modificationTime: status.modificationTime, isSymlink: isSymlink))
        }
    }

    private func addSymlink(path: String, levels: [DirectoryIgnoreRules], into listing: inout WorkspaceListing) {
        let absolute = root + "/" + path
        guard let target = FileSystemCalls.realPath(absolute), let status = FileSystemCalls.status(atPath: target) else {
            skip(path, isDirectory: false, .danglingSymlink, into: &listing)
            return
        }
        guard WorkspacePaths.isInside(target, root: root) else {
            skip(path, isDirectory: status.kind == .directory, .symlinkLeavesWorkspace(target: target), into: &listing)
            return
        }
        if status.kind == .file, let pattern = secretFilter.secretPattern(relativePath: path, root: root) {
            // `settings.py -> .env`: the link's name is innocent, its content is not.
            skip(path, isDirectory: false, .secret(pattern: pattern), into: &listing)
            return
        }
        switch status.kind {
        case .file: addFile(path: path, status: status, isSymlink: true, levels: levels, into: &listing)
        case .directory: skip(path, isDirectory: true, .symlinkedDirectory, into: &listing)
        default: skip(path, isDirectory: false, .notRegularFile, into: &listing)
        }
    }
}
