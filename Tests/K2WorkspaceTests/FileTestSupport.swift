// Scratch directories and byte-level file helpers for the file-writing tests.
import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fresh directory under the system's temporary directory, removed when the value goes away.
final class FileScratchDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/k2lsp-files-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8], mode: Int = 0o644) throws -> String {
        let filePath = file(name)
        try FileManager.default.createDirectory(
            atPath: (filePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: filePath))
        chmod(filePath, mode_t(mode))
        return filePath
    }

    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o644) throws -> String {
        try write(name, Array(text.utf8), mode: mode)
    }

    func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: file(name))))
    }

    /// Every entry of the directory (hidden ones included), to prove no temporary file or backup is left behind.
    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

struct FileMetadata: Equatable {
    var mode: Int
    var inode: UInt64
    var linkCount: Int
}

func metadata(of path: String) -> FileMetadata? {
    var raw = stat()
    guard stat(path, &raw) == 0 else { return nil }
    return FileMetadata(mode: Int(raw.st_mode) & 0o7777, inode: UInt64(raw.st_ino), linkCount: Int(raw.st_nlink))
}

func isSymbolicLink(_ path: String) -> Bool {
    var raw = stat()
    return lstat(path, &raw) == 0 && Int(raw.st_mode) & Int(S_IFMT) == Int(S_IFLNK)
}
