// The path sandbox: turns a path a model or a user gave into an absolute path that stays inside the workspace.

/// Why a path was refused.
public enum PathRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case containsNUL
    case rootUnavailable(root: String)
    case escapesRoot(path: String)
    case symlinkLeavesRoot(path: String, target: String)
    case danglingSymlink(path: String)

    public var description: String {
        switch self {
        case .empty:
            return "The path is empty; give a path relative to the workspace root."
        case .containsNUL:
            return "The path contains a NUL byte; give a plain path relative to the workspace root."
        case .rootUnavailable(let root):
            return "The workspace root \(root) does not exist or cannot be read; check the workspace folder."
        case .escapesRoot(let path):
            return "The path \(path) leads outside the workspace; only files inside the workspace can be used."
        case .symlinkLeavesRoot(let path, let target):
            return "The path \(path) goes through a symlink to \(target), outside the workspace; use a path inside it."
        case .danglingSymlink(let path):
            return "The path \(path) goes through a symlink whose target does not exist; fix or remove the link."
        }
    }
}

public enum WorkspacePaths {
    /// Resolves a path against a workspace root and refuses anything that ends up outside it: `..` that climbs
    /// above the root, absolute paths elsewhere, symlinks whose targets lie outside. Works for files that do not
    /// exist yet: the existing part of the path is resolved and the rest is appended.
    /// - Returns: the absolute path with every symlink of its existing part resolved.
    public static func resolveInside(root: String, relativePath: String) -> Result<String, PathRefusal> {
        guard !relativePath.isEmpty else { return .failure(.empty) }
        guard !relativePath.utf8.contains(0) else { return .failure(.containsNUL) }
        guard let realRoot = FileSystemCalls.realPath(root) else { return .failure(.rootUnavailable(root: root)) }
        let isAbsolute = relativePath.hasPrefix("/")
        var current = isAbsolute ? "" : (realRoot == "/" ? "" : realRoot)
        var followedLinks = 0
        for component in relativePath.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                current = parent(of: current)
                if !isAbsolute && !isInside(current, root: realRoot) { return .failure(.escapesRoot(path: relativePath)) }
                continue
            }
            let candidate = current + "/" + component
            guard let status = FileSystemCalls.status(atPath: candidate) else {
                current = candidate  // Does not exist: nothing below it can be a symlink.
                continue
            }
            guard status.kind == .symlink else {
                current = candidate
                continue
            }
            followedLinks += 1
            guard followedLinks <= 40, let target = FileSystemCalls.realPath(candidate) else {
                return .failure(.danglingSymlink(path: relativePath))
            }
            if !isAbsolute && !isInside(target, root: realRoot) {
                return .failure(.symlinkLeavesRoot(path: relativePath, target: target))
            }
            current = target
        }
        if current.isEmpty { current = "/" }
        guard isInside(current, root: realRoot) else { return .failure(.escapesRoot(path: relativePath)) }
        return .success(current)
    }

    /// The path relative to `root` when `path` lies inside it (lexically), nil otherwise; "" for the root itself.
    public static func relativePath(of path: String, inside root: String) -> String? {
        let trimmedRoot = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        if path == trimmedRoot { return "" }
        let prefix = trimmedRoot == "/" ? "/" : trimmedRoot + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    /// Whether `path` is `root` or lies below it (lexically).
    public static func isInside(_ path: String, root: String) -> Bool {
        relativePath(of: path, inside: root) != nil
    }

    /// `a/./b/../c` → `a/c` and `/a/../b` → `/b`, by text alone; a `..` above the start is dropped.
    public static func lexicallyNormalized(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            if component == "." { continue }
            if component == ".." {
                _ = components.popLast()
                continue
            }
            components.append(component)
        }
        return (path.hasPrefix("/") ? "/" : "") + components.joined(separator: "/")
    }

    /// The canonical path with every symlink resolved, nil when the path does not exist.
    public static func realPath(_ path: String) -> String? {
        FileSystemCalls.realPath(path)
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}
