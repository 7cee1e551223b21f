// Byte-level file helpers for the file-writing tests (scratch folders: K2TestSupport.TemporaryDirectory).
import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
