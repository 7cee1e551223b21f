// The workspace index: a stat-only listing built in the background, then a symbol index, kept current by change events.
import Foundation
import K2Workspace

/// Indexes workspace roots without blocking the caller. The listing (readdir + lstat, no file read) comes first and
/// makes `waitUntilIndexed` return; the symbol index then reads each source file once, in batches, and requests use
/// whatever part of it is ready. File events update both incrementally.
public actor WorkspaceIndex {
    public nonisolated let roots: [WorkspaceRoot]
    public nonisolated let options: ContextOptions
    nonisolated let matchers: [IgnoreMatcher]
    nonisolated let reader: WorkspaceFileReader
    nonisolated let symbols = SymbolTable()
    nonisolated let treeCache = RepoTreeCache()
    nonisolated let outlineCache = OutlineCache()
    private nonisolated let stopFlag = StopFlag()

    private var rootFiles: [RootFiles]
    private var skipped: [[SkippedEntry]]
    private var generation = 0
    private var progress = IndexProgress()
    private var isRunning = false
    private var lastListing: ContinuousClock.Instant?
    private var rescanRequested = false
    /// Paths changed while a listing was in flight, replayed once it lands.
    private var pendingChanges: [String] = []
    private var listingWaiters: [CheckedContinuation<Void, Never>] = []
    private var symbolWaiters: [CheckedContinuation<Void, Never>] = []

    public init(roots: [String], options: ContextOptions = ContextOptions()) {
        let workspaceRoots = roots.map(WorkspaceRoot.init(givenPath:))
        self.roots = workspaceRoots
        self.options = options
        self.reader = options.fileReader
        self.matchers = workspaceRoots.map {
            IgnoreMatcher(
                root: $0.path, assistantIgnoreFileNames: options.ignoreFileNames,
                skippedDirectoryNames: Set(options.skippedDirectoryNames))
        }
        self.rootFiles = workspaceRoots.map { _ in RootFiles() }
        self.skipped = workspaceRoots.map { _ in [] }
    }

    // MARK: - Indexing

    /// Starts indexing in the background and returns at once. Calling it again while it runs does nothing.
    public func startIndexing() {
        guard !isRunning else { return }
        isRunning = true
        progress.isListingComplete = false
        progress.isSymbolIndexComplete = false
        stopFlag.reset()
        Task { await self.runIndexing() }
    }

    /// Lists everything again (after an ignore file changed, or when the client sends no file events).
    public func rescan() {
        if isRunning {
            rescanRequested = true
        } else {
            startIndexing()
        }
    }

    /// For clients that send no file events: rescans in the background when the last listing is older than `maxAge`.
    /// Requests keep using the current index meanwhile; only files whose size or time changed are read again.
    public func rescanIfStale(maxAge: Duration) {
        guard let lastListing, !isRunning else { return }
        if ContinuousClock.now - lastListing > maxAge { rescan() }
    }

    /// Stops background work; the index keeps what it has.
    public func stop() {
        stopFlag.set()
    }

    /// Returns once the file listing is complete (the symbol index may still be filling).
    public func waitUntilIndexed() async {
        if progress.isListingComplete { return }
        await withCheckedContinuation { listingWaiters.append($0) }
    }

    /// Returns once the symbol index is complete too.
    public func waitUntilSymbolsIndexed() async {
        if progress.isSymbolIndexComplete { return }
        await withCheckedContinuation { symbolWaiters.append($0) }
    }

    public func currentProgress() -> IndexProgress {
        var result = progress
        result.symbolFileCount = symbols.fileCount
        return result
    }

    private func runIndexing() async {
        let listingStart = ContinuousClock.now
        let listers = matchers.map {
            WorkspaceFileLister(matcher: $0, secretFilter: reader.secretFilter, maxFileBytes: options.maxFileBytes)
        }
        let stopFlag = self.stopFlag
        let listings = await BackgroundWork.run {
            listers.enumerated().map { index, lister in
                let listing = lister.list(shouldStop: { stopFlag.isSet })
                return (RootFiles(root: index, listing: listing.files), listing.skipped)
            }
        }
        install(listings.map(\.0), skipped: listings.map(\.1), elapsed: ContinuousClock.now - listingStart)
        if options.indexSymbols {
            let symbolStart = ContinuousClock.now
            let files = rootFiles.flatMap { $0.files.values.map { ($0.key, $0.language) } }
            let roots = self.roots
            let reader = self.reader
            let symbols = self.symbols
            await BackgroundWork.run {
                Self.indexSymbols(files: files, roots: roots, reader: reader, symbols: symbols, stopFlag: stopFlag)
            }
            progress.symbolSeconds = (ContinuousClock.now - symbolStart).seconds
        }
        progress.isSymbolIndexComplete = true
        progress.symbolFileCount = symbols.fileCount
        for waiter in symbolWaiters { waiter.resume() }
        symbolWaiters = []
        isRunning = false
        if rescanRequested {
            rescanRequested = false
            matchers.forEach { $0.invalidateAll() }
            startIndexing()
        }
    }

    private func install(_ listed: [RootFiles], skipped: [[SkippedEntry]], elapsed: Duration) {
        // On a rescan, forget the symbols of files that went away or changed; the symbol pass records them again.
        for (root, old) in rootFiles.enumerated() where root < listed.count {
            for (path, file) in old.files where listed[root].files[path] != file {
                symbols.remove(file.key)
            }
        }
        rootFiles = listed
        lastListing = ContinuousClock.now
        self.skipped = skipped
        progress.skippedCount = skipped.reduce(0) { $0 + $1.count }
        generation += 1
        progress.isListingComplete = true
        progress.fileCount = rootFiles.reduce(0) { $0 + $1.files.count }
        progress.listingSeconds = elapsed.seconds
        let changes = pendingChanges
        pendingChanges = []
        for path in changes { applyChange(path) }
        for waiter in listingWaiters { waiter.resume() }
        listingWaiters = []
    }

    /// Reads every source file once and records its declarations; files recorded meanwhile by change events win.
    private static func indexSymbols(
        files: [(FileKey, SourceLanguage)], roots: [WorkspaceRoot], reader: WorkspaceFileReader, symbols: SymbolTable,
        stopFlag: StopFlag
    ) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var batch: [(FileKey, [SymbolEntry])] = []
        batch.reserveCapacity(256)
        for (file, language) in files {
            if let declarations = declarations(of: file, language: language, roots: roots, reader: reader, buffer: &buffer) {
                batch.append((file, declarations))
            }
            if batch.count >= 256 {
                symbols.record(batch, replacing: false)
                batch.removeAll(keepingCapacity: true)
                if stopFlag.isSet { return }
            }
        }
        symbols.record(batch, replacing: false)
    }

    // MARK: - Change events

    /// A file or directory was created, changed or saved (`didSave`, `didChangeWatchedFiles`). Absolute path.
    public func fileChanged(path: String) {
        guard progress.isListingComplete else {
            pendingChanges.append(path)
            return
        }
        applyChange(path)
    }

    /// A file or directory was deleted. Absolute path.
    public func fileDeleted(path: String) {
        guard progress.isListingComplete else {
            pendingChanges.append(path)
            return
        }
        applyChange(path)
    }

    private func applyChange(_ path: String) {
        guard let key = WorkspaceSnapshot.location(ofPath: path, roots: roots) else { return }
        let matcher = matchers[key.root]
        let (directory, name) = RootFiles.split(key.relativePath)
        if matcher.ignoreFileNames.contains(name) {
            // An ignore file changed: what is ignored may have changed anywhere below it.
            matcher.invalidate(directory: directory)
            rescan()
            return
        }
        let lister = WorkspaceFileLister(matcher: matcher, secretFilter: reader.secretFilter, maxFileBytes: options.maxFileBytes)
        var files = rootFiles[key.root]
        files.remove(key.relativePath)
        symbols.remove(key)
        switch lister.entry(relativePath: key.relativePath) {
        case .file(let listed):
            let indexed = RootFiles.indexedFile(root: key.root, listed)
            files.insert(indexed)
            recordSymbols(of: [indexed.key])
        case .directory:
            let listing = lister.list(subdirectory: key.relativePath, shouldStop: { false })
            for listed in listing.files { files.insert(RootFiles.indexedFile(root: key.root, listed)) }
            recordSymbols(of: listing.files.map { FileKey(root: key.root, relativePath: $0.relativePath) })
        case .skipped, .missing:
            for path in files.filesUnder(key.relativePath) {
                symbols.remove(FileKey(root: key.root, relativePath: path))
            }
            files.removeAll(under: key.relativePath)
        }
        rootFiles[key.root] = files
        generation += 1
        progress.fileCount = rootFiles.reduce(0) { $0 + $1.files.count }
    }

    private func recordSymbols(of keys: [FileKey]) {
        guard options.indexSymbols else { return }
        var buffer: [UInt8] = []
        let batch = keys.compactMap { key in
            let language = SourceLanguage(path: key.relativePath)
            return Self.declarations(of: key, language: language, roots: roots, reader: reader, buffer: &buffer).map { (key, $0) }
        }
        symbols.record(batch, replacing: true)
    }

    /// The declarations of a source file, nil for other files and files the reader refuses.
    private static func declarations(
        of key: FileKey, language: SourceLanguage, roots: [WorkspaceRoot], reader: WorkspaceFileReader, buffer: inout [UInt8]
    ) -> [SymbolEntry]? {
        guard DeclarationScanner.rules(for: language) != nil else { return nil }
        let result = reader.inspect(
            absolutePath: roots[key.root].path + "/" + key.relativePath, relativePath: key.relativePath, buffer: &buffer
        ) { DeclarationScanner.symbolEntries(in: $0, language: language) }
        return try? result.get()
    }

    // MARK: - Queries

    /// Every indexed file, sorted by root and path.
    public func files() -> [IndexedFile] {
        snapshot().allFiles()
    }

    /// Where a name is declared, from the symbol index.
    public nonisolated func definitions(of identifier: String) -> [SymbolLocation] {
        symbols.locations(of: identifier)
    }

    /// The root and relative path of an absolute path, nil outside every root.
    public nonisolated func location(ofPath path: String) -> FileKey? {
        WorkspaceSnapshot.location(ofPath: path, roots: roots)
    }

    /// Entries the last walk of a root left out, with reasons. An ignored directory appears once.
    public func skippedEntries(root: Int = 0) -> [SkippedEntry] {
        root < skipped.count ? skipped[root] : []
    }

    /// A consistent view for one request.
    public func snapshot() -> WorkspaceSnapshot {
        var current = progress
        current.symbolFileCount = symbols.fileCount
        return WorkspaceSnapshot(
            roots: roots, progress: current, generation: generation, reader: reader, rootFiles: rootFiles,
            matchers: matchers, symbols: symbols, treeCache: treeCache, outlineCache: outlineCache)
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
