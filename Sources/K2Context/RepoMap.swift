// The repository map: a file tree that fits a byte budget, and an outline of the declarations of related files.
import K2Workspace
import Synchronization

/// A rendered file tree.
struct RepoTree: Sendable {
    let text: String
    /// Files named in the tree (the others are counted under collapsed directories).
    let listedFiles: Int
    let totalFiles: Int
}

/// The tree depends only on the set of files, so it is rendered once per index generation and budget.
final class RepoTreeCache: Sendable {
    private struct Key: Hashable {
        let generation: Int
        let maxBytes: Int
    }

    private let entries = Mutex<[Key: RepoTree]>([:])

    func tree(generation: Int, maxBytes: Int, build: () -> RepoTree) -> RepoTree {
        let key = Key(generation: generation, maxBytes: maxBytes)
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let tree = build()
        entries.withLock { entries in
            if entries.count > 8 { entries.removeAll() }
            entries[key] = tree
        }
        return tree
    }
}

/// Outline blocks of files on disk, keyed by size and modification time, so that moving the cursor or asking again
/// does not rescan the related files.
final class OutlineCache: Sendable {
    private struct Entry {
        let size: Int
        let modificationTime: Int64
        let block: String?
    }

    private let entries = Mutex<[FileKey: Entry]>([:])
    private static let limit = 4_096

    func block(for file: IndexedFile, build: () -> String?) -> String? {
        if let entry = entries.withLock({ $0[file.key] }), entry.size == file.size, entry.modificationTime == file.modificationTime {
            return entry.block
        }
        let block = build()
        entries.withLock { entries in
            if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
            entries[file.key] = Entry(size: file.size, modificationTime: file.modificationTime, block: block)
        }
        return block
    }
}

enum RepoMap {
    // MARK: - Tree

    private struct Node: Hashable {
        let root: Int
        let path: String
    }

    /// Top-level entries first; directories are expanded breadth-first, shallow and alphabetical first, while the
    /// tree fits. A directory left collapsed shows how many files it holds.
    static func tree(_ snapshot: WorkspaceSnapshot, maxBytes: Int) -> RepoTree {
        snapshot.treeCache.tree(generation: snapshot.generation, maxBytes: maxBytes) {
            buildTree(snapshot, maxBytes: maxBytes)
        }
    }

    private static func buildTree(_ snapshot: WorkspaceSnapshot, maxBytes: Int) -> RepoTree {
        var counts: [Node: Int] = [:]
        func count(_ node: Node) -> Int {
            let entries = snapshot.rootFiles[node.root].directories[node.path] ?? DirectoryEntries()
            var total = entries.files.count
            for name in entries.subdirectories { total += count(Node(root: node.root, path: join(node.path, name))) }
            counts[node] = total
            return total
        }
        let multipleRoots = snapshot.roots.count > 1
        var expanded: Set<Node> = []
        var used = 0
        var queue: [(depth: Int, node: Node)] = []
        for root in snapshot.roots.indices {
            let node = Node(root: root, path: "")
            _ = count(node)
            expanded.insert(node)
            let depth = multipleRoots ? 1 : 0
            if multipleRoots { used += snapshot.roots[root].name.utf8.count + 2 }
            used += childrenBytes(node, depth: depth, snapshot: snapshot, counts: counts)
            queue += subdirectories(node, snapshot: snapshot).map { (depth + 1, $0) }
        }
        // Breadth-first: a shallow directory is expanded before any deeper one.
        var position = 0
        queue.sort { ($0.depth, $0.node.root, $0.node.path) < ($1.depth, $1.node.root, $1.node.path) }
        while position < queue.count {
            let (depth, node) = queue[position]
            position += 1
            let collapsedBytes = collapsedSuffix(counts[node] ?? 0).utf8.count
            let cost = childrenBytes(node, depth: depth, snapshot: snapshot, counts: counts) - collapsedBytes
            guard used + cost <= maxBytes else { continue }
            used += cost
            expanded.insert(node)
            let children = subdirectories(node, snapshot: snapshot).map { (depth + 1, $0) }
            queue.append(contentsOf: children)
        }
        var lines: [String] = []
        var listed = 0
        func render(_ node: Node, depth: Int) {
            let entries = snapshot.rootFiles[node.root].directories[node.path] ?? DirectoryEntries()
            let indent = String(repeating: "  ", count: depth)
            for name in entries.subdirectories.sorted() {
                let child = Node(root: node.root, path: join(node.path, name))
                if expanded.contains(child) {
                    lines.append(indent + name + "/")
                    render(child, depth: depth + 1)
                } else {
                    lines.append(indent + name + "/" + collapsedSuffix(counts[child] ?? 0))
                }
            }
            for name in entries.files.sorted() {
                lines.append(indent + name)
                listed += 1
            }
        }
        for (index, root) in snapshot.roots.enumerated() {
            if multipleRoots { lines.append(root.name + "/") }
            render(Node(root: index, path: ""), depth: multipleRoots ? 1 : 0)
        }
        let total = counts.filter { $0.key.path.isEmpty }.values.reduce(0, +)
        return RepoTree(text: cut(lines, maxBytes: maxBytes), listedFiles: listed, totalFiles: total)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
    }

    private static func collapsedSuffix(_ count: Int) -> String {
        count == 1 ? " (1 file)" : " (\(count) files)"
    }

    private static func subdirectories(_ node: Node, snapshot: WorkspaceSnapshot) -> [Node] {
        let entries = snapshot.rootFiles[node.root].directories[node.path] ?? DirectoryEntries()
        return entries.subdirectories.sorted().map { Node(root: node.root, path: join(node.path, $0)) }
    }

    /// Bytes of a directory's children as lines, subdirectories collapsed.
    private static func childrenBytes(_ node: Node, depth: Int, snapshot: WorkspaceSnapshot, counts: [Node: Int]) -> Int {
        let entries = snapshot.rootFiles[node.root].directories[node.path] ?? DirectoryEntries()
        var bytes = 0
        for name in entries.files { bytes += depth * 2 + name.utf8.count + 1 }
        for name in entries.subdirectories {
            let child = Node(root: node.root, path: join(node.path, name))
            bytes += depth * 2 + name.utf8.count + 2 + collapsedSuffix(counts[child] ?? 0).utf8.count
        }
        return bytes
    }

    /// Whole lines up to `maxBytes`, then a line that says how many were left out.
    private static func cut(_ lines: [String], maxBytes: Int) -> String {
        var result = ""
        for (index, line) in lines.enumerated() {
            if result.utf8.count + line.utf8.count + 1 > maxBytes {
                return result + "… (\(lines.count - index) more entries)\n"
            }
            result += line + "\n"
        }
        return result
    }

    // MARK: - Outline

    /// The declarations of files, sorted by path: `path` then `  line: signature` lines, within `maxBytes`.
    static func outline(files: [FileKey], source: inout ContextTextSource, maxBytes: Int)
        -> (text: String, listedFiles: Int, omittedFiles: Int)
    {
        var text = ""
        var listed = 0
        let sorted = files.sorted()
        for (index, key) in sorted.enumerated() {
            func build() -> String? { outlineBlock(key, source: &source) }
            let block: String?
            // Buffers may differ from disk on every request; files on disk are cached by size and time.
            if source.buffer(key) == nil, let indexed = source.snapshot.file(key) {
                block = source.snapshot.outlineCache.block(for: indexed, build: build)
            } else {
                block = build()
            }
            guard let block else { continue }
            if text.utf8.count + block.utf8.count > maxBytes { return (text, listed, sorted.count - index) }
            text += block
            listed += 1
        }
        return (text, listed, 0)
    }

    /// A file's path and its declarations, one per line; nil when it declares nothing worth showing.
    private static func outlineBlock(_ key: FileKey, source: inout ContextTextSource) -> String? {
        let language = SourceLanguage(path: key.relativePath)
        guard DeclarationScanner.rules(for: language) != nil, case .success(let file) = source.text(of: key) else { return nil }
        let declarations = DeclarationScanner.declarations(in: file.unredactedText, language: language, maxIndent: 4).prefix(40)
        guard !declarations.isEmpty else { return nil }
        let lines = TextLines(file.unredactedText)
        var block = source.snapshot.displayPath(key) + "\n"
        for declaration in declarations {
            let line = file.redacted(lines.byteRange(declaration.line..<(declaration.line + 1))).text
            block += "  \(declaration.line + 1): " + signature(line) + "\n"
        }
        return block
    }

    /// A declaration line trimmed for an outline: no indentation, no opening brace, at most 120 characters.
    private static func signature(_ line: String) -> String {
        var trimmed = Substring(line).trimmingCharacters(in: " \t\r\n")
        while trimmed.hasSuffix("{") || trimmed.hasSuffix(" ") { trimmed.removeLast() }
        return trimmed.count > 120 ? String(trimmed.prefix(117)) + "..." : trimmed
    }
}
