// The workspace a headless command works in, and how paths given on the command line map into it.
import Foundation
import K2Workspace

struct CLIWorkspace: Sendable {
    /// Absolute, with symbolic links resolved.
    let root: String
    /// Absolute; relative paths on the command line start here.
    let currentDirectory: String

    /// `--workspace DIR`, else the nearest folder from the current directory upwards that holds `.git`, else the
    /// current directory.
    static func locate(explicit: String?, currentDirectory: String) throws(CLIFailure) -> CLIWorkspace {
        if let explicit {
            let absolute = lexicallyNormalized(explicit, relativeTo: currentDirectory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue,
                let real = WorkspacePaths.realPath(absolute)
            else {
                throw CLIFailure(.usage, "The workspace \(explicit) is not a folder; pass an existing folder to --workspace.")
            }
            return CLIWorkspace(root: real, currentDirectory: currentDirectory)
        }
        let start = WorkspacePaths.realPath(currentDirectory) ?? currentDirectory
        var candidate = start
        while true {
            if FileManager.default.fileExists(atPath: candidate + (candidate == "/" ? ".git" : "/.git")) {
                return CLIWorkspace(root: candidate, currentDirectory: currentDirectory)
            }
            guard candidate != "/", let slash = candidate.lastIndex(of: "/") else { break }
            candidate = slash == candidate.startIndex ? "/" : String(candidate[..<slash])
        }
        return CLIWorkspace(root: start, currentDirectory: currentDirectory)
    }

    /// The absolute path of a path given on the command line. Folders on the way are resolved so that the path
    /// compares with `root`; the last component is kept, so a symbolic link stays the link (the writer follows it).
    func absolutePath(_ given: String) -> String {
        let absolute = Self.lexicallyNormalized(given, relativeTo: currentDirectory)
        guard let slash = absolute.lastIndex(of: "/"), slash != absolute.startIndex else { return absolute }
        let folder = String(absolute[..<slash])
        guard let realFolder = WorkspacePaths.realPath(folder) else { return absolute }
        return (realFolder == "/" ? "" : realFolder) + absolute[slash...]
    }

    /// The absolute path of a file named on the command line, refused when it lies outside the workspace.
    func absolutePathInside(_ given: String) throws(CLIFailure) -> String {
        let absolute = absolutePath(given)
        guard WorkspacePaths.isInside(absolute, root: root) else {
            throw CLIFailure(
                .usage,
                "\(given) is outside the workspace \(root); run k2lsp from inside the project or pass --workspace.")
        }
        return absolute
    }

    /// The path relative to the workspace, as diffs and reports show it; the absolute path when it lies outside.
    func displayPath(_ absolute: String) -> String {
        if let relative = WorkspacePaths.relativePath(of: absolute, inside: root), !relative.isEmpty { return relative }
        if let real = WorkspacePaths.realPath(absolute),
            let relative = WorkspacePaths.relativePath(of: real, inside: root), !relative.isEmpty
        {
            return relative
        }
        return absolute
    }

    /// `path` made absolute against `base`, with `.` and `..` removed by text (no file system access).
    static func lexicallyNormalized(_ path: String, relativeTo base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var components: [Substring] = []
        for component in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }
}
