// The symbol index: which files declare a name, and on which line. Shared between the index and background work.
import Synchronization

/// One file of the workspace: which root, which path under it.
public struct FileKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let root: Int
    public let relativePath: String

    public init(root: Int, relativePath: String) {
        self.root = root
        self.relativePath = relativePath
    }

    public static func < (lhs: FileKey, rhs: FileKey) -> Bool {
        (lhs.root, lhs.relativePath) < (rhs.root, rhs.relativePath)
    }

    public var description: String { root == 0 ? relativePath : "\(root):\(relativePath)" }
}

/// Where a name is declared, as the index last saw the file on disk.
public struct SymbolLocation: Sendable, Hashable, Comparable {
    public let file: FileKey
    /// Zero-based line.
    public let line: Int

    public static func < (lhs: SymbolLocation, rhs: SymbolLocation) -> Bool {
        (lhs.file, lhs.line) < (rhs.file, rhs.line)
    }
}

/// Names to locations, kept compact (8 bytes per declaration) because a large workspace declares millions of names.
final class SymbolTable: Sendable {
    private struct Entry {
        var file: Int32
        var line: Int32
    }

    private struct Storage {
        var fileIDs: [FileKey: Int32] = [:]
        var files: [FileKey?] = []
        var namesByFile: [[String]] = []
        var entries: [String: [Entry]] = [:]
    }

    private let storage = Mutex(Storage())

    /// Records the declarations of files. With `replacing` false a file already recorded is left alone: the
    /// background pass must not overwrite what a change notification recorded in the meantime.
    func record(_ batch: [(FileKey, [Declaration])], replacing: Bool) {
        storage.withLock { storage in
            for (file, declarations) in batch {
                if let existing = storage.fileIDs[file] {
                    guard replacing else { continue }
                    Self.removeEntries(of: existing, from: &storage)
                }
                let id = storage.fileIDs[file] ?? Int32(storage.files.count)
                if Int(id) == storage.files.count {
                    storage.files.append(file)
                    storage.namesByFile.append([])
                    storage.fileIDs[file] = id
                }
                var names: [String] = []
                names.reserveCapacity(declarations.count)
                for declaration in declarations where declaration.kind != .extension {
                    storage.entries[declaration.name, default: []].append(Entry(file: id, line: Int32(declaration.line)))
                    names.append(declaration.name)
                }
                storage.namesByFile[Int(id)] = names
            }
        }
    }

    func remove(_ file: FileKey) {
        storage.withLock { storage in
            guard let id = storage.fileIDs.removeValue(forKey: file) else { return }
            Self.removeEntries(of: id, from: &storage)
            storage.files[Int(id)] = nil
        }
    }

    func removeAll() {
        storage.withLock { $0 = Storage() }
    }

    private static func removeEntries(of id: Int32, from storage: inout Storage) {
        for name in Set(storage.namesByFile[Int(id)]) {
            storage.entries[name]?.removeAll { $0.file == id }
            if storage.entries[name]?.isEmpty == true { storage.entries.removeValue(forKey: name) }
        }
        storage.namesByFile[Int(id)] = []
    }

    /// Every recorded declaration of a name, sorted by file and line.
    func locations(of name: String) -> [SymbolLocation] {
        storage.withLock { storage in
            (storage.entries[name] ?? []).compactMap { entry in
                storage.files[Int(entry.file)].map { SymbolLocation(file: $0, line: Int(entry.line)) }
            }
        }.sorted()
    }

    /// The names a file declares, as last recorded.
    func names(in file: FileKey) -> [String] {
        storage.withLock { storage in storage.fileIDs[file].map { storage.namesByFile[Int($0)] } ?? [] }
    }

    var fileCount: Int { storage.withLock { $0.fileIDs.count } }
    var nameCount: Int { storage.withLock { $0.entries.count } }
}
