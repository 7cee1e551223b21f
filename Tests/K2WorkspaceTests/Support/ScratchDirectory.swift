// A throwaway directory tree for one test: write files (with modes), make directories and symlinks, read bytes back;
// removed afterwards.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

final class ScratchDirectory {
    /// The directory, with symlinks resolved (so that paths compare equal to what the workspace code reports).
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("k2ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The absolute path of a relative one.
    func file(_ relativePath: String) -> String { path + "/" + relativePath }

    /// Writes a file at a relative path, creating its parent directories; returns its absolute path.
    @discardableResult
    func write(_ relativePath: String, _ content: String = "", mode: Int = 0o644) throws -> String {
        try write(relativePath, bytes: Array(content.utf8), mode: mode)
    }

    @discardableResult
    func write(_ relativePath: String, bytes: [UInt8], mode: Int = 0o644) throws -> String {
        let url = URL(fileURLWithPath: file(relativePath))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        chmod(url.path, mode_t(mode))
        return url.path
    }

    func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: file(relativePath))))
    }

    /// Every entry of the directory (hidden ones included), to prove no temporary file or backup is left behind.
    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func makeDirectory(_ relativePath: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relativePath, withIntermediateDirectories: true)
    }

    /// A symlink at `relativePath` pointing to `target` (absolute, or relative to the link's directory).
    func symlink(_ relativePath: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relativePath, withDestinationPath: target)
    }

    /// Runs a program in the directory; returns its exit status. The environment keeps the user's git config out.
    func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": path, "XDG_CONFIG_HOME": path + "/.config", "GIT_CONFIG_NOSYSTEM": "1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
