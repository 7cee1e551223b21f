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

/// Names to locations, keyed by the names' 64-bit hashes so that a large workspace's millions of declarations cost
/// a few bytes each. A collision could only point at a file that does not declare the name, and the builder checks
/// the line it is sent to.
final class SymbolTable: Sendable {
    private struct Entry {
        var file: Int32
        var line: Int32
    }

    private struct Storage {
        var fileIDs: [FileKey: Int32] = [:]
        var files: [FileKey?] = []
        var hashesByFile: [[UInt64]] = []
        /// Most names are declared once; those with more locations move to `shared`.
        var single: [UInt64: Entry] = [:]
        var shared: [UInt64: [Entry]] = [:]

        mutating func add(_ hash: UInt64, _ entry: Entry) {
            if var list = shared[hash] {
                shared[hash] = nil
                list.append(entry)
                shared[hash] = list
            } else if let existing = single.removeValue(forKey: hash) {
                shared[hash] = [existing, entry]
            } else {
                single[hash] = entry
            }
        }

        mutating func removeEntries(of id: Int32) {
            for hash in Set(hashesByFile[Int(id)]) {
                if let entry = single[hash], entry.file == id {
                    single[hash] = nil
                } else if var list = shared[hash] {
                    list.removeAll { $0.file == id }
                    if list.count == 1 {
                        single[hash] = list[0]
                        shared[hash] = nil
                    } else {
                        shared[hash] = list.isEmpty ? nil : list
                    }
                }
            }
            hashesByFile[Int(id)] = []
        }
    }

    private let storage = Mutex(Storage())

    /// Records the declarations of files. With `replacing` false a file already recorded is left alone: the
    /// background pass must not overwrite what a change notification recorded in the meantime.
    func record(_ batch: [(FileKey, [SymbolEntry])], replacing: Bool) {
        storage.withLock { storage in
            for (file, entries) in batch {
                if let existing = storage.fileIDs[file] {
                    guard replacing else { continue }
                    storage.removeEntries(of: existing)
                }
                let id = storage.fileIDs[file] ?? Int32(storage.files.count)
                if Int(id) == storage.files.count {
                    storage.files.append(file)
                    storage.hashesByFile.append([])
                    storage.fileIDs[file] = id
                }
                for entry in entries { storage.add(entry.nameHash, Entry(file: id, line: entry.line)) }
                storage.hashesByFile[Int(id)] = entries.map(\.nameHash)
            }
        }
    }

    func remove(_ file: FileKey) {
        storage.withLock { storage in
            guard let id = storage.fileIDs.removeValue(forKey: file) else { return }
            storage.removeEntries(of: id)
            storage.files[Int(id)] = nil
        }
    }

    /// Every recorded declaration of a name, sorted by file and line.
    func locations(of name: String) -> [SymbolLocation] {
        let hash = NameHash.of(name)
        return storage.withLock { storage in
            let entries = storage.single[hash].map { [$0] } ?? storage.shared[hash] ?? []
            return entries.compactMap { entry in
                storage.files[Int(entry.file)].map { SymbolLocation(file: $0, line: Int(entry.line)) }
            }
        }.sorted()
    }

    /// The hashes (`NameHash`) of the names a file declares, as last recorded.
    func nameHashes(in file: FileKey) -> [UInt64] {
        storage.withLock { storage in storage.fileIDs[file].map { storage.hashesByFile[Int($0)] } ?? [] }
    }

    var fileCount: Int { storage.withLock { $0.fileIDs.count } }
}
