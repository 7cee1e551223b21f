// Thin wrappers over the POSIX calls the workspace walk and reads need (lstat, realpath, readdir, read).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `lstat` says about a path, without following a final symlink.
struct FileStatus: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case file, directory, symlink, other }
    var kind: Kind
    var size: Int
    /// Modification time in nanoseconds since 1970.
    var modificationTime: Int64
}

enum FileSystemCalls {
    static func status(atPath path: String, followSymlinks: Bool = false) -> FileStatus? {
        var info = stat()
        let result = followSymlinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { return nil }
        return FileStatus(info)
    }

    /// `fstatat` relative to an open directory; cheaper than a full path lookup during a walk.
    static func status(directoryDescriptor: Int32, name: String) -> FileStatus? {
        var info = stat()
        guard fstatat(directoryDescriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return FileStatus(info)
    }

    /// The canonical absolute path with every symlink resolved, nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The whole content of a small text file, nil when it cannot be read.
    static func readSmallFile(atPath path: String, limit: Int = 1 << 20) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = min(Int(info.st_size), limit)
        var bytes = [UInt8](repeating: 0, count: size)
        let count = bytes.withUnsafeMutableBytes { readFully(descriptor, $0.baseAddress, size) }
        guard count >= 0 else { return nil }
        return String(decoding: bytes[0..<count], as: UTF8.self)
    }

    /// Reads up to `count` bytes, retrying short reads; returns how many were read, or -1 on error.
    static func readFully(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        guard let buffer else { return 0 }
        var total = 0
        while total < count {
            let got = read(descriptor, buffer + total, count - total)
            if got < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if got == 0 { break }
            total += got
        }
        return total
    }

    static func errorMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func lastErrorMessage() -> String { errorMessage(errno) }
}

/// One entry of a directory listing, as `readdir` reports it.
struct RawDirectoryEntry {
    enum Kind { case file, directory, symlink, other, unknown }
    var name: String
    var kind: Kind
}

/// An open directory; entries are read with `readdir`, and `fstatat` can stat them relative to it.
final class OpenDirectory {
    private let handle: OpaquePointer
    let descriptor: Int32

    init?(path: String) {
        guard let handle = opendir(path) else { return nil }
        self.handle = handle
        self.descriptor = dirfd(handle)
    }

    deinit { closedir(handle) }

    /// All entries except `.` and `..`.
    func entries() -> [RawDirectoryEntry] {
        var result: [RawDirectoryEntry] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let kind: RawDirectoryEntry.Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symlink
            case Int32(DT_UNKNOWN): kind = .unknown
            default: kind = .other
            }
            result.append(RawDirectoryEntry(name: name, kind: kind))
        }
        return result
    }
}

extension FileStatus {
    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        size = Int(info.st_size)
        #if canImport(Darwin)
            modificationTime = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
            modificationTime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
    }
}
