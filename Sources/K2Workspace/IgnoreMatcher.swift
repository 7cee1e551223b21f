// Whether a workspace path is ignored: built-in skips, .gitignore at every level, .git/info/exclude, assistant ignore files.
import Synchronization

/// Which family of ignore files a rule came from. Each family is decided on its own, the git way; a path is ignored
/// when any family ignores it, so an assistant ignore file can hide more than git does, never less.
public enum IgnoreFamily: String, Sendable, Hashable {
    /// `.gitignore` files and `.git/info/exclude`.
    case git
    /// `.k2ignore`, `.aiderignore`, `.cursorignore`, `.continueignore` and any configured names.
    case assistant
}

/// Why a path is ignored.
public indirect enum IgnoreReason: Sendable, Hashable, CustomStringConvertible {
    /// The `.git` directory (or a `.git` file of a worktree or submodule).
    case gitDirectory
    /// A build-output or tool directory skipped by name (`node_modules`, `.build`, …).
    case builtInDirectory(name: String)
    /// A pattern in an ignore file.
    case pattern(family: IgnoreFamily, sourcePath: String, lineNumber: Int, pattern: String)
    /// A directory above the path is ignored; git never looks inside it, so nothing below can be re-included.
    case insideIgnoredDirectory(directory: String, reason: IgnoreReason)

    public var description: String {
        switch self {
        case .gitDirectory:
            return "git metadata directory"
        case .builtInDirectory(let name):
            return "build output or tool directory `\(name)`"
        case .pattern(_, let sourcePath, let lineNumber, let pattern):
            return "ignored by \(sourcePath):\(lineNumber) (`\(pattern)`)"
        case .insideIgnoredDirectory(let directory, let reason):
            return "inside \(directory)/, which is \(reason)"
        }
    }

    /// The reason without the "inside an ignored directory" wrapping.
    public var underlying: IgnoreReason {
        if case .insideIgnoredDirectory(_, let reason) = self { return reason.underlying }
        return self
    }

    /// Whether an assistant ignore file (not git, not a built-in skip) decided it.
    public var isAssistantRule: Bool {
        if case .pattern(.assistant, _, _, _) = underlying { return true }
        return false
    }
}

/// The ignore rules found in one directory, per family.
public struct DirectoryIgnoreRules: Sendable, Hashable {
    public var git: IgnoreRules?
    public var assistant: IgnoreRules?
    public static let none = DirectoryIgnoreRules(git: nil, assistant: nil)
}

/// Decides whether workspace paths are ignored. Ignore files are read lazily per directory and cached;
/// `invalidate(directory:)` forgets a directory's files after one of them changed.
public final class IgnoreMatcher: Sendable {
    public static let gitIgnoreFileName = ".gitignore"
    public static let defaultAssistantIgnoreFileNames = [".k2ignore", ".aiderignore", ".cursorignore", ".continueignore"]
    /// Directories skipped by name at any depth, even without an ignore file: git metadata, build outputs,
    /// dependency caches and virtual environments.
    public static let defaultSkippedDirectoryNames: Set<String> = [
        ".build", ".swiftpm", "DerivedData", "node_modules", "bower_components", "target", "dist", "build",
        "__pycache__", ".venv", "venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".gradle",
        ".next", ".nuxt", ".svelte-kit", ".turbo", ".parcel-cache", ".cache", "coverage", ".terraform", "Pods",
        ".idea", ".vs", ".hg", ".svn", "vendor", "zig-cache", "zig-out", ".dart_tool", "_build",
    ]

    /// The workspace root, with symlinks resolved.
    public let root: String
    public let assistantIgnoreFileNames: [String]
    /// The names of the files that hold ignore rules in a directory.
    public let ignoreFileNames: [String]
    public let skippedDirectoryNames: Set<String>
    private let infoExclude: IgnoreRules?
    private let cache = Mutex<[String: DirectoryIgnoreRules]>([:])

    public init(
        root: String,
        assistantIgnoreFileNames: [String] = IgnoreMatcher.defaultAssistantIgnoreFileNames,
        skippedDirectoryNames: Set<String> = IgnoreMatcher.defaultSkippedDirectoryNames
    ) {
        let resolvedRoot = FileSystemCalls.realPath(root) ?? root
        self.root = resolvedRoot
        self.assistantIgnoreFileNames = assistantIgnoreFileNames.filter { $0 != Self.gitIgnoreFileName }
        self.ignoreFileNames = [Self.gitIgnoreFileName] + self.assistantIgnoreFileNames
        self.skippedDirectoryNames = skippedDirectoryNames
        let excludePath = resolvedRoot + "/.git/info/exclude"
        if let text = FileSystemCalls.readSmallFile(atPath: excludePath) {
            let rules = IgnoreRules(text: text, baseDirectory: "", sourcePath: ".git/info/exclude")
            infoExclude = rules.isEmpty ? nil : rules
        } else {
            infoExclude = nil
        }
    }

    /// Whether a path relative to the root is ignored, its parent directories included.
    public func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
        ignoreReason(relativePath: relativePath, isDirectory: isDirectory) != nil
    }

    /// Why a path relative to the root is ignored, nil when it is not. A path inside an ignored directory is ignored
    /// whatever a deeper pattern says.
    public func ignoreReason(relativePath: String, isDirectory: Bool) -> IgnoreReason? {
        let components = relativePath.split(separator: "/").map(String.init)
        guard !components.isEmpty else { return nil }
        var levels: [DirectoryIgnoreRules] = [rules(forDirectory: "")]
        var prefix = ""
        for (index, component) in components.enumerated() {
            prefix = prefix.isEmpty ? component : prefix + "/" + component
            let isLast = index == components.count - 1
            if let reason = decide(path: prefix, isDirectory: isLast ? isDirectory : true, levels: levels) {
                return isLast ? reason : .insideIgnoredDirectory(directory: prefix, reason: reason)
            }
            if !isLast { levels.append(rules(forDirectory: prefix)) }
        }
        return nil
    }

    /// Forgets the cached ignore files of a directory (relative to the root) after one of them changed.
    public func invalidate(directory: String) {
        _ = cache.withLock { $0.removeValue(forKey: directory) }
    }

    public func invalidateAll() {
        cache.withLock { $0.removeAll() }
    }


    /// The rules of one directory, read on first use. `presentNames`, when given, lists the directory's entries,
    /// which spares opening files that do not exist.
    public func rules(forDirectory directory: String, presentNames: Set<String>? = nil) -> DirectoryIgnoreRules {
        if let cached = cache.withLock({ $0[directory] }) { return cached }
        let loaded = loadRules(forDirectory: directory, presentNames: presentNames)
        cache.withLock { $0[directory] = loaded }
        return loaded
    }

    private func loadRules(forDirectory directory: String, presentNames: Set<String>?) -> DirectoryIgnoreRules {
        let directoryPath = directory.isEmpty ? root : root + "/" + directory
        func read(_ name: String) -> String? {
            if let presentNames, !presentNames.contains(name) { return nil }
            return FileSystemCalls.readSmallFile(atPath: directoryPath + "/" + name)
        }
        func sourcePath(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
        var result = DirectoryIgnoreRules.none
        if let text = read(Self.gitIgnoreFileName) {
            let rules = IgnoreRules(text: text, baseDirectory: directory, sourcePath: sourcePath(Self.gitIgnoreFileName))
            if !rules.isEmpty { result.git = rules }
        }
        var assistant = IgnoreRules(baseDirectory: directory)
        for name in assistantIgnoreFileNames {
            if let text = read(name) { assistant.append(text: text, sourcePath: sourcePath(name)) }
        }
        if !assistant.isEmpty { result.assistant = assistant }
        return result
    }

    /// Decides one path given the rules of its ancestor directories (root first), assuming those are not ignored.
    public func decide(path: String, isDirectory: Bool, levels: [DirectoryIgnoreRules]) -> IgnoreReason? {
        var path = path
        return path.withUTF8 { bytes in
            decide(path: bytes, basenameStart: IgnoreRules.basenameStart(of: bytes), isDirectory: isDirectory, levels: levels)
        }
    }

    func decide(path: UnsafeBufferPointer<UInt8>, basenameStart: Int, isDirectory: Bool, levels: [DirectoryIgnoreRules])
        -> IgnoreReason?
    {
        let basename = UnsafeBufferPointer(rebasing: path[basenameStart...])
        if Self.isGitName(basename) { return .gitDirectory }
        if isDirectory && !skippedDirectoryNames.isEmpty {
            let name = String(decoding: basename, as: UTF8.self)
            if skippedDirectoryNames.contains(name) { return .builtInDirectory(name: name) }
        }
        if let reason = decideFamily(.git, path: path, basenameStart: basenameStart, isDirectory: isDirectory, levels: levels) {
            return reason
        }
        return decideFamily(.assistant, path: path, basenameStart: basenameStart, isDirectory: isDirectory, levels: levels)
    }

    /// Git's precedence: the deepest ignore file with a matching pattern decides, then `.git/info/exclude`.
    private func decideFamily(
        _ family: IgnoreFamily, path: UnsafeBufferPointer<UInt8>, basenameStart: Int, isDirectory: Bool,
        levels: [DirectoryIgnoreRules]
    ) -> IgnoreReason? {
        var index = levels.count - 1
        while index >= 0 {
            let rules = family == .git ? levels[index].git : levels[index].assistant
            if let rules, let entry = rules.lastMatch(path: path, basenameStart: basenameStart, isDirectory: isDirectory) {
                return Self.reason(entry, family: family)
            }
            index -= 1
        }
        if family == .git, let infoExclude,
            let entry = infoExclude.lastMatch(path: path, basenameStart: basenameStart, isDirectory: isDirectory)
        {
            return Self.reason(entry, family: family)
        }
        return nil
    }

    private static func reason(_ entry: IgnoreRules.Entry, family: IgnoreFamily) -> IgnoreReason? {
        if entry.pattern.isNegated { return nil }
        return .pattern(family: family, sourcePath: entry.sourcePath, lineNumber: entry.lineNumber, pattern: entry.pattern.source)
    }

    private static func isGitName(_ basename: UnsafeBufferPointer<UInt8>) -> Bool {
        basename.count == 4 && basename[0] == UInt8(ascii: ".") && basename[1] == UInt8(ascii: "g")
            && basename[2] == UInt8(ascii: "i") && basename[3] == UInt8(ascii: "t")
    }
}
