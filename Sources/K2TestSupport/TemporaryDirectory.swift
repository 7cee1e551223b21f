// The one scratch directory of the tests: files (with modes and raw bytes), folders, symlinks, removed afterwards.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A temporary directory tree for one test, removed when the value is released.
public final class TemporaryDirectory: Sendable {
    /// The directory, with symlinks resolved (so that paths compare equal to what the code under test reports).
    public let path: String

    public init(prefix: String = "k2lsp-test") throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.resolvingSymlinksInPath().path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The absolute path of a relative one.
    public func file(_ relativePath: String) -> String { path + "/" + relativePath }

    /// Writes a file (creating its folders) with `mode` whatever the umask; returns its absolute path.
    @discardableResult
    public func write(_ relativePath: String, _ contents: String = "", mode: Int = 0o644) throws -> String {
        try write(relativePath, bytes: Array(contents.utf8), mode: mode)
    }

    @discardableResult
    public func write(_ relativePath: String, bytes: [UInt8], mode: Int = 0o644) throws -> String {
        let url = URL(fileURLWithPath: file(relativePath))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        chmod(url.path, mode_t(mode))
        return url.path
    }

    public func read(_ relativePath: String) throws -> String {
        try String(contentsOfFile: file(relativePath), encoding: .utf8)
    }

    public func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: file(relativePath))))
    }

    /// Every entry of the directory (hidden ones included), to prove no temporary file or backup is left behind.
    public func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    public func makeDirectory(_ relativePath: String) throws {
        try FileManager.default.createDirectory(atPath: file(relativePath), withIntermediateDirectories: true)
    }

    /// A symlink at `relativePath` pointing to `target` (absolute, or relative to the link's directory).
    public func symlink(_ relativePath: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: file(relativePath), withDestinationPath: target)
    }

    public func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(atPath: file(relativePath))
    }

    public func uri(_ relativePath: String) -> String {
        URL(fileURLWithPath: path).appendingPathComponent(relativePath).absoluteString
    }

    /// Runs a program in the directory; returns its exit status. The environment keeps the user's git config out.
    public func run(_ arguments: [String]) throws -> Int32 {
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
