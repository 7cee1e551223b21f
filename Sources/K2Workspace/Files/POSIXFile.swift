// Thin wrappers over the POSIX calls that safe file writing needs, turning errno into messages.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `stat`/`lstat` says about a path, in portable types.
struct POSIXFileStatus: Sendable, Hashable {
    var permissionBits: UInt32
    var isRegularFile: Bool
    var isDirectory: Bool
    var isSymbolicLink: Bool
    var linkCount: Int
    var size: Int
    var modificationSeconds: Int
    var modificationNanoseconds: Int
    var ownerID: UInt32
    var groupID: UInt32

    init(_ raw: stat) {
        let mode = UInt32(raw.st_mode)
        permissionBits = mode & 0o7777
        isRegularFile = mode & UInt32(S_IFMT) == UInt32(S_IFREG)
        isDirectory = mode & UInt32(S_IFMT) == UInt32(S_IFDIR)
        isSymbolicLink = mode & UInt32(S_IFMT) == UInt32(S_IFLNK)
        linkCount = Int(raw.st_nlink)
        size = Int(raw.st_size)
        #if canImport(Darwin)
            modificationSeconds = Int(raw.st_mtimespec.tv_sec)
            modificationNanoseconds = Int(raw.st_mtimespec.tv_nsec)
        #else
            modificationSeconds = Int(raw.st_mtim.tv_sec)
            modificationNanoseconds = Int(raw.st_mtim.tv_nsec)
        #endif
        ownerID = UInt32(raw.st_uid)
        groupID = UInt32(raw.st_gid)
    }
}

/// A failed call: the errno and its text.
struct POSIXError: Error, Sendable, Hashable {
    var code: Int32
    var message: String { String(cString: strerror(code)) }
    var isNotFound: Bool { code == ENOENT || code == ENOTDIR }
    static func current() -> POSIXError { POSIXError(code: errno) }
}

enum POSIXFile {
    static func status(ofPath path: String, followingLinks: Bool) -> Result<POSIXFileStatus, POSIXError> {
        var raw = stat()
        let result = followingLinks ? stat(path, &raw) : lstat(path, &raw)
        return result == 0 ? .success(POSIXFileStatus(raw)) : .failure(.current())
    }

    static func status(ofDescriptor descriptor: Int32) -> Result<POSIXFileStatus, POSIXError> {
        var raw = stat()
        return fstat(descriptor, &raw) == 0 ? .success(POSIXFileStatus(raw)) : .failure(.current())
    }

    /// The absolute path with every symbolic link resolved.
    static func resolvedPath(_ path: String) -> Result<String, POSIXError> {
        guard let resolved = realpath(path, nil) else { return .failure(.current()) }
        defer { free(resolved) }
        return .success(String(cString: resolved))
    }

    static func open(_ path: String, flags: Int32, mode: UInt32 = 0) -> Result<Int32, POSIXError> {
        while true {
            let descriptor = systemOpen(path, flags | O_CLOEXEC, mode)
            if descriptor >= 0 { return .success(descriptor) }
            if errno != EINTR { return .failure(.current()) }
        }
    }

    static func readAll(descriptor: Int32) -> Result<[UInt8], POSIXError> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in read(descriptor, buffer.baseAddress, buffer.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                return .success(bytes)
            } else if errno != EINTR {
                return .failure(.current())
            }
        }
    }

    static func writeAll(descriptor: Int32, bytes: [UInt8]) -> Result<Void, POSIXError> {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if count > 0 {
                written += count
            } else if count < 0 && errno != EINTR {
                return .failure(.current())
            }
        }
        return .success(())
    }

    static func check(_ result: Int32) -> Result<Void, POSIXError> {
        result == 0 ? .success(()) : .failure(.current())
    }

    static func readFile(atPath path: String) -> Result<(bytes: [UInt8], status: POSIXFileStatus), POSIXError> {
        open(path, flags: O_RDONLY).flatMap { descriptor in
            defer { close(descriptor) }
            return status(ofDescriptor: descriptor).flatMap { fileStatus in
                readAll(descriptor: descriptor).map { (bytes: $0, status: fileStatus) }
            }
        }
    }

    /// Flushes a directory's entries (a rename) to disk; best effort, as some file systems refuse it.
    static func syncDirectory(_ path: String) {
        guard case .success(let descriptor) = open(path, flags: O_RDONLY) else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    static var isRoot: Bool { geteuid() == 0 }
}

/// `open` is variadic in C; Swift imports a fixed-arity form under the same name, which this calls.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: UInt32) -> Int32 {
    #if canImport(Darwin)
        return Darwin.open(path, flags, mode_t(mode))
    #elseif canImport(Musl)
        return Musl.open(path, flags, mode_t(mode))
    #else
        return Glibc.open(path, flags, mode_t(mode))
    #endif
}
