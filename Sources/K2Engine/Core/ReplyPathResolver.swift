// Turns a file name a reply gave into the one workspace file it means: `./`, `..`, absolute paths, symlinks and
// letter case all resolve to the same canonical path, so two spellings of a file are one file.
import Foundation
import K2Workspace

struct ReplyPathResolver: Sendable {
    let root: String

    /// The canonical absolute path of `name`: relative to the workspace root (or absolute inside it), every symlink
    /// of its existing part followed, and a component that does not exist as written but exists in other letter
    /// case, alone in its folder, spelled as on disk. Paths that leave the workspace are refused.
    func resolve(_ name: String) -> Result<String, PathRefusal> {
        let resolved: String
        switch WorkspacePaths.resolveInside(root: root, relativePath: name) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let path): resolved = path
        }
        if FileManager.default.fileExists(atPath: resolved) { return .success(resolved) }
        return .success(Self.spelledAsOnDisk(resolved))
    }

    /// The canonical path of a file the editor or the command line named (it may not exist yet).
    static func canonical(_ path: String) -> String {
        if let real = WorkspacePaths.realPath(path) { return real }
        let parent = (path as NSString).deletingLastPathComponent
        guard let realParent = WorkspacePaths.realPath(parent) else { return path }
        return (realParent as NSString).appendingPathComponent((path as NSString).lastPathComponent)
    }

    /// Walks down from `/`, replacing each missing component by its only case-insensitive match on disk.
    private static func spelledAsOnDisk(_ path: String) -> String {
        var current = ""
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for (index, component) in components.enumerated() {
            let candidate = current + "/" + component
            if FileManager.default.fileExists(atPath: candidate) {
                current = candidate
                continue
            }
            let folder = current.isEmpty ? "/" : current
            let lowered = component.lowercased()
            let matches = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
                $0.lowercased() == lowered
            }
            guard matches.count == 1, let match = matches.first else {
                // Nothing below a missing folder exists either: the rest is a new path, kept as written.
                return ([current] + components[index...]).joined(separator: "/")
            }
            current = folder == "/" ? "/" + match : folder + "/" + match
        }
        return current.isEmpty ? "/" : current
    }
}
