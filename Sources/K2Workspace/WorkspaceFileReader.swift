// The one place where file text bound for a model is read: secret, size and binary checks, then redaction.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file's text as read, for finding lines and names; what is sent comes out of `redacted(_:)`, so that only the
/// part that is sent pays for redaction. A file that holds a private-key block arrives already redacted whole, since
/// such a block spans lines and a slice could miss its start.
public struct FileText: Sendable, Hashable {
    /// The text to search and to cut into lines. Never send it as is: send `redacted(_:)` of the part you need.
    public let unredactedText: String
    /// Size of the text as read, before redaction.
    public let byteCount: Int

    init(text: String, byteCount: Int) {
        // Key blocks are redacted up front; every other pattern lies within one line.
        self.unredactedText = Self.mayHoldPrivateKey(text) ? SecretScanner.redact(text).text : text
        self.byteCount = byteCount
    }

    /// The lines of `byteRange` (UTF-8 offsets into `unredactedText`, at line boundaries) with secrets replaced by
    /// `SecretPolicy.redactionMarker`; line numbers in the result count from the start of the range.
    public func redacted(_ byteRange: Range<Int>) -> SecretRedaction {
        SecretScanner.redact(unredactedText.slice(TextRange(byteRange.lowerBound, byteRange.upperBound)))
    }

    /// The whole text, redacted.
    public func redactedWhole() -> SecretRedaction {
        SecretScanner.redact(unredactedText)
    }

    /// A PEM `PRIVATE KEY` block or a PuTTY key (`PuTTY-User-Key-File-`): both span lines.
    private static func mayHoldPrivateKey(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            let needles = [Array("PRIVATE KEY".utf8), Array("PuTTY-User-Key-File-".utf8)]
            let shortest = 11
            guard let base = bytes.baseAddress, bytes.count >= shortest else { return false }
            // Jump between capital Ps with memchr; they are rare enough in code.
            var position = 0
            while position + shortest <= bytes.count,
                let found = memchr(base + position, 0x50, bytes.count - position - shortest + 1)
            {
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                for needle in needles where index + needle.count <= bytes.count {
                    if UnsafeBufferPointer(rebasing: bytes[index..<(index + needle.count)]).elementsEqual(needle) { return true }
                }
                position = index + 1
            }
            return false
        }
    }
}

/// Why a file's text was not handed out.
public enum FileReadRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    case secretFile(path: String, pattern: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case binary(path: String)
    case notFound(path: String)
    case notRegularFile(path: String)
    case unreadable(path: String, message: String)

    public var description: String {
        switch self {
        case .secretFile(let path, let pattern):
            return "\(path) is a secret file (matches `\(pattern)`) and is never sent to the model."
        case .tooLarge(let path, let bytes, let limit):
            return "\(path) has \(bytes) bytes, over the \(limit)-byte limit; raise `max_file_bytes` to include it."
        case .binary(let path):
            return "\(path) looks binary (it contains NUL bytes) and is not sent."
        case .notFound(let path):
            return "\(path) does not exist."
        case .notRegularFile(let path):
            return "\(path) is not a regular file."
        case .unreadable(let path, let message):
            return "\(path) cannot be read: \(message)."
        }
    }

    /// A short stable code for reports and JSON.
    public var code: String {
        switch self {
        case .secretFile: return "secret"
        case .tooLarge: return "too-large"
        case .binary: return "binary"
        case .notFound: return "not-found"
        case .notRegularFile: return "not-regular-file"
        case .unreadable: return "unreadable"
        }
    }
}

/// Reads workspace files for a model. Every path through which file content reaches a prompt goes through
/// `read` (files on disk) or `prepare` (editor buffers), so the checks cannot be forgotten; the text then leaves
/// `FileText` through its redacting accessors.
public struct WorkspaceFileReader: Sendable {
    /// A NUL byte in this many leading bytes marks a file as binary (git's heuristic).
    public static let binaryProbeLength = 8192

    public let maxFileBytes: Int
    public let secretFilter: SecretFilter

    public init(maxFileBytes: Int = 1 << 20, secretFilter: SecretFilter = SecretFilter()) {
        self.maxFileBytes = maxFileBytes
        self.secretFilter = secretFilter
    }

    /// Reads a file from disk. `relativePath` (workspace-relative) is what refusals name; the secret list is matched
    /// against it and against the file it leads to (`SecretFilter.secretPattern`).
    public func read(absolutePath: String, relativePath: String) -> Result<FileText, FileReadRefusal> {
        if let pattern = secretPattern(absolutePath: absolutePath, relativePath: relativePath) {
            return .failure(.secretFile(path: relativePath, pattern: pattern))
        }
        let descriptor = open(absolutePath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return .failure(.notFound(path: relativePath)) }
            return .failure(.unreadable(path: relativePath, message: FileSystemCalls.errorMessage(code)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            return .failure(.unreadable(path: relativePath, message: FileSystemCalls.lastErrorMessage()))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegularFile(path: relativePath)) }
        let size = Int(info.st_size)
        guard size <= maxFileBytes else {
            return .failure(.tooLarge(path: relativePath, bytes: size, limit: maxFileBytes))
        }
        var readFailed = false
        var isBinary = false
        // Read straight into the string's storage; the initializer validates UTF-8 and repairs what is invalid.
        let text = String(unsafeUninitializedCapacity: max(size, 1)) { buffer in
            let count = FileSystemCalls.readFully(descriptor, UnsafeMutableRawPointer(buffer.baseAddress), size)
            guard count >= 0 else {
                readFailed = true
                return 0
            }
            isBinary = Self.containsNUL(UnsafeBufferPointer(rebasing: buffer[0..<min(count, Self.binaryProbeLength)]))
            return isBinary ? 0 : count
        }
        if readFailed { return .failure(.unreadable(path: relativePath, message: FileSystemCalls.lastErrorMessage())) }
        if isBinary { return .failure(.binary(path: relativePath)) }
        return .success(FileText(text: text, byteCount: size))
    }

    /// Reads a file's bytes for local analysis (indexing), with the same size and binary checks but no redaction:
    /// what `body` sees must never be sent. The secret list is matched against `relativePath` only: callers pass
    /// files the lister or the agent's sandbox has already checked through their links. `buffer` is reused across calls to spare allocations.
    public func inspect<T>(
        absolutePath: String, relativePath: String, buffer: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> T
    ) -> Result<T, FileReadRefusal> {
        if let pattern = secretFilter.matchingPattern(relativePath: relativePath) {
            return .failure(.secretFile(path: relativePath, pattern: pattern))
        }
        let descriptor = open(absolutePath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.notFound(path: relativePath)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(.notRegularFile(path: relativePath))
        }
        let size = Int(info.st_size)
        guard size <= maxFileBytes else { return .failure(.tooLarge(path: relativePath, bytes: size, limit: maxFileBytes)) }
        if buffer.count < size { buffer = [UInt8](repeating: 0, count: max(size, buffer.count * 2)) }
        return buffer.withUnsafeMutableBytes { raw -> Result<T, FileReadRefusal> in
            let count = FileSystemCalls.readFully(descriptor, raw.baseAddress, size)
            guard count >= 0 else {
                return .failure(.unreadable(path: relativePath, message: FileSystemCalls.lastErrorMessage()))
            }
            let bytes = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count)
            if Self.containsNUL(UnsafeBufferPointer(rebasing: bytes.prefix(Self.binaryProbeLength))) {
                return .failure(.binary(path: relativePath))
            }
            return .success(body(bytes))
        }
    }

    /// Applies the same checks to an editor buffer. `absolutePath`, the buffer's file, is followed through its links
    /// for the secret check (a buffer of `settings.py -> .env` holds the secret). The size limit is for buffers other
    /// than the one being edited.
    public func prepare(
        text: String, relativePath: String, absolutePath: String? = nil, enforceSizeLimit: Bool = true
    ) -> Result<FileText, FileReadRefusal> {
        let pattern = absolutePath.map { secretPattern(absolutePath: $0, relativePath: relativePath) }
            ?? namePattern(relativePath)
        if let pattern {
            return .failure(.secretFile(path: relativePath, pattern: pattern))
        }
        let size = text.utf8.count
        if enforceSizeLimit && size > maxFileBytes {
            return .failure(.tooLarge(path: relativePath, bytes: size, limit: maxFileBytes))
        }
        var probe = text
        let isBinary = probe.withUTF8 { Self.containsNUL(UnsafeBufferPointer(rebasing: $0.prefix(Self.binaryProbeLength))) }
        if isBinary { return .failure(.binary(path: relativePath)) }
        return .success(FileText(text: text, byteCount: size))
    }

    /// The secret check for a file the caller names by `relativePath`: against the root the two paths imply, or,
    /// when the name is the caller's own, against the file's folder. Git metadata counts as secret here (it is never
    /// model text), though not for writes.
    private func secretPattern(absolutePath: String, relativePath: String) -> String? {
        if let folder = SecretPolicy.neverSentFolder(in: relativePath) { return folder }
        let suffix = Array(("/" + relativePath).utf8)
        let path = Array(absolutePath.utf8)
        if path.count > suffix.count, path.suffix(suffix.count).elementsEqual(suffix) {
            let root = String(decoding: path.dropLast(suffix.count), as: UTF8.self)
            return secretFilter.secretPattern(relativePath: relativePath, root: root.isEmpty ? "/" : root)
        }
        if let pattern = secretFilter.matchingPattern(relativePath: relativePath) { return pattern }
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        let folder = String(decoding: path[..<slash], as: UTF8.self)
        let name = String(decoding: path[(slash + 1)...], as: UTF8.self)
        return secretFilter.secretPattern(relativePath: name, root: folder.isEmpty ? "/" : folder)
    }

    /// The checks on the name alone: git metadata and the secret list.
    private func namePattern(_ relativePath: String) -> String? {
        SecretPolicy.neverSentFolder(in: relativePath) ?? secretFilter.matchingPattern(relativePath: relativePath)
    }

    private static func containsNUL(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return memchr(base, 0, bytes.count) != nil
    }
}
