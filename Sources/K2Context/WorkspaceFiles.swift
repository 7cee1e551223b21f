// The indexed files of one workspace root, with the lookups imports and the repo map need (by path, directory, name).
import K2Workspace

/// A workspace folder.
public struct WorkspaceRoot: Sendable, Hashable {
    /// The path as given (what editors send in URIs).
    public let givenPath: String
    /// The same path with symlinks resolved.
    public let path: String
    /// Its last component, used to tell roots apart in paths shown to the model.
    public let name: String

    init(givenPath: String) {
        let trimmed = givenPath.count > 1 && givenPath.hasSuffix("/") ? String(givenPath.dropLast()) : givenPath
        self.givenPath = trimmed
        self.path = WorkspacePaths.realPath(trimmed) ?? trimmed
        self.name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

    /// The path relative to this root, nil when outside. Both the given and the resolved form are accepted.
    func relativePath(of absolutePath: String) -> String? {
        if let relative = WorkspacePaths.relativePath(of: absolutePath, inside: path) { return relative }
        if givenPath != path, let relative = WorkspacePaths.relativePath(of: absolutePath, inside: givenPath) { return relative }
        return nil
    }
}

/// A file the index knows.
public struct IndexedFile: Sendable, Hashable {
    public let key: FileKey
    public let size: Int
    /// Nanoseconds since 1970.
    public let modificationTime: Int64
    public let language: SourceLanguage

    public var relativePath: String { key.relativePath }
}

/// The names in one directory.
struct DirectoryEntries: Sendable {
    var files: Set<String> = []
    var subdirectories: Set<String> = []
}

/// The files of one root with lookups by path, by directory and by file name.
struct RootFiles: Sendable {
    private(set) var files: [String: IndexedFile] = [:]
    private(set) var directories: [String: DirectoryEntries] = ["": DirectoryEntries()]
    private(set) var basenames: [String: [String]] = [:]

    init() {}

    init(root: Int, listing: [ListedFile]) {
        files.reserveCapacity(listing.count)
        basenames.reserveCapacity(listing.count)
        for listed in listing { insert(Self.indexedFile(root: root, listed)) }
    }

    static func indexedFile(root: Int, _ listed: ListedFile) -> IndexedFile {
        IndexedFile(
            key: FileKey(root: root, relativePath: listed.relativePath), size: listed.size,
            modificationTime: listed.modificationTime, language: SourceLanguage(path: listed.relativePath))
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    mutating func insert(_ file: IndexedFile) {
        let path = file.relativePath
        let isNew = files.updateValue(file, forKey: path) == nil
        guard isNew else { return }
        let (fileDirectory, name) = Self.split(path)
        var directory = fileDirectory
        basenames[name, default: []].append(path)
        directories[fileDirectory, default: DirectoryEntries()].files.insert(name)
        // Link each new directory into its parent, stopping at the first one already known.
        while !directory.isEmpty {
            let (parent, directoryName) = Self.split(directory)
            let inserted = directories[parent, default: DirectoryEntries()].subdirectories.insert(directoryName).inserted
            if !inserted { break }
            directory = parent
        }
    }

    mutating func remove(_ path: String) {
        guard files.removeValue(forKey: path) != nil else { return }
        let (directory, name) = Self.split(path)
        basenames[name]?.removeAll { $0 == path }
        if basenames[name]?.isEmpty == true { basenames.removeValue(forKey: name) }
        directories[directory]?.files.remove(name)
        pruneEmpty(directory)
    }

    /// Removes every file at or below a directory.
    mutating func removeAll(under directory: String) {
        for path in filesUnder(directory) { remove(path) }
    }

    private mutating func pruneEmpty(_ directory: String) {
        var current = directory
        while !current.isEmpty, let entries = directories[current], entries.files.isEmpty, entries.subdirectories.isEmpty {
            directories.removeValue(forKey: current)
            let (parent, name) = Self.split(current)
            directories[parent]?.subdirectories.remove(name)
            current = parent
        }
    }

    /// Files directly in a directory, sorted.
    func filesDirectly(in directory: String) -> [String] {
        guard let entries = directories[directory] else { return [] }
        return entries.files.sorted().map { directory.isEmpty ? $0 : directory + "/" + $0 }
    }

    /// Files at any depth below a directory, sorted.
    func filesUnder(_ directory: String) -> [String] {
        guard directories[directory] != nil else { return [] }
        var result: [String] = []
        var pending = [directory]
        while let current = pending.popLast() {
            guard let entries = directories[current] else { continue }
            result += entries.files.map { current.isEmpty ? $0 : current + "/" + $0 }
            pending += entries.subdirectories.map { current.isEmpty ? $0 : current + "/" + $0 }
        }
        return result.sorted()
    }

    func hasDirectory(_ directory: String) -> Bool { directories[directory] != nil }

    /// Every directory whose path ends with the given components (`Sources/K2Workspace`), sorted.
    func directories(endingWith suffix: String) -> [String] {
        directories.keys.filter { $0 == suffix || $0.hasSuffix("/" + suffix) }.sorted()
    }
}
