// A consistent view of the index for one request: files, lookups, symbols and the reader, without further awaits.
import K2Workspace

/// How far indexing has come.
public struct IndexProgress: Sendable, Hashable {
    public var isListingComplete = false
    public var isSymbolIndexComplete = false
    public var fileCount = 0
    public var skippedCount = 0
    /// Files whose declarations are in the symbol index.
    public var symbolFileCount = 0
    public var listingSeconds: Double?
    public var symbolSeconds: Double?
}

/// What the builder works from. Copying it is cheap (copy-on-write storage); the symbol table is shared and
/// may gain entries while a request runs, which only ever adds definitions.
public struct WorkspaceSnapshot: Sendable {
    public let roots: [WorkspaceRoot]
    public let progress: IndexProgress
    /// Changes whenever the set of files changes; caches of derived text key on it.
    public let generation: Int
    public let reader: WorkspaceFileReader
    let rootFiles: [RootFiles]
    let matchers: [IgnoreMatcher]
    let symbols: SymbolTable
    let treeCache: RepoTreeCache
    let outlineCache: OutlineCache

    /// The root and relative path of an absolute path, nil when it lies outside every root.
    public func location(ofPath path: String) -> FileKey? {
        Self.location(ofPath: path, roots: roots)
    }

    static func location(ofPath path: String, roots: [WorkspaceRoot]) -> FileKey? {
        // The deepest root wins when roots nest.
        var best: FileKey?
        var bestLength = -1
        for (index, root) in roots.enumerated() {
            if let relative = root.relativePath(of: path), root.path.count > bestLength, !relative.isEmpty {
                best = FileKey(root: index, relativePath: relative)
                bestLength = root.path.count
            }
        }
        return best
    }

    public func file(_ key: FileKey) -> IndexedFile? {
        guard key.root < rootFiles.count else { return nil }
        return rootFiles[key.root].files[key.relativePath]
    }

    public func absolutePath(_ key: FileKey) -> String {
        roots[key.root].path + "/" + key.relativePath
    }

    public func uri(_ key: FileKey) -> String {
        FileURI.uri(fromPath: roots[key.root].givenPath + "/" + key.relativePath)
    }

    /// The path shown to the model: relative to the root, prefixed with the root's name when there are several.
    public func displayPath(_ key: FileKey) -> String {
        roots.count > 1 ? roots[key.root].name + "/" + key.relativePath : key.relativePath
    }

    public var fileCount: Int { rootFiles.reduce(0) { $0 + $1.files.count } }

    /// Every indexed file, sorted by root and path.
    public func allFiles() -> [IndexedFile] {
        rootFiles.flatMap { $0.files.values }.sorted { $0.key < $1.key }
    }

    func filesDirectly(in directory: String, root: Int) -> [FileKey] {
        rootFiles[root].filesDirectly(in: directory).map { FileKey(root: root, relativePath: $0) }
    }

    func filesUnder(_ directory: String, root: Int) -> [FileKey] {
        rootFiles[root].filesUnder(directory).map { FileKey(root: root, relativePath: $0) }
    }

    func hasDirectory(_ directory: String, root: Int) -> Bool {
        rootFiles[root].hasDirectory(directory)
    }

    func directories(endingWith suffix: String, root: Int) -> [String] {
        rootFiles[root].directories(endingWith: suffix)
    }

    /// Files with this name anywhere in the root, sorted.
    func files(named name: String, root: Int) -> [FileKey] {
        (rootFiles[root].basenames[name] ?? []).sorted().map { FileKey(root: root, relativePath: $0) }
    }

    /// The declarations of a name recorded in the symbol index.
    public func definitions(of name: String) -> [SymbolLocation] {
        symbols.locations(of: name)
    }

    /// Why a path that exists on disk is not in the index (ignored, secret, too large), nil when it does not exist
    /// or would be indexed.
    func exclusionReason(_ key: FileKey) -> ContextSkipReason? {
        switch diskEntry(key) {
        case .skipped(let entry): return ContextSkipReason(entry.reason)
        case .file, .directory, .missing: return nil
        }
    }

    /// What the walk would say about one path now, from the disk (for paths the index has not seen yet).
    func diskEntry(_ key: FileKey) -> ListedEntry {
        let lister = WorkspaceFileLister(matcher: matchers[key.root], secretFilter: reader.secretFilter, maxFileBytes: reader.maxFileBytes)
        return lister.entry(relativePath: key.relativePath)
    }

    /// Whether an ignore file of the k2 family (`.k2ignore`, `.cursorignore`, …) excludes a path.
    func isExcludedByAssistantRules(_ key: FileKey) -> IgnoreReason? {
        guard let reason = matchers[key.root].ignoreReason(relativePath: key.relativePath, isDirectory: false),
            reason.isAssistantRule
        else { return nil }
        return reason
    }

    func ignoreReason(_ key: FileKey) -> IgnoreReason? {
        matchers[key.root].ignoreReason(relativePath: key.relativePath, isDirectory: false)
    }
}
