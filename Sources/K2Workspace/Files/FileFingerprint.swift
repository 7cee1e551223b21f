// What a file looked like when it was read: size, modification time and a hash of its bytes.

public struct FileFingerprint: Sendable, Hashable, CustomStringConvertible {
    public var size: Int
    public var modificationSeconds: Int
    public var modificationNanoseconds: Int
    /// SHA-256 of the file's bytes, as hex.
    public var contentHash: String

    public init(size: Int, modificationSeconds: Int, modificationNanoseconds: Int, contentHash: String) {
        self.size = size
        self.modificationSeconds = modificationSeconds
        self.modificationNanoseconds = modificationNanoseconds
        self.contentHash = contentHash
    }

    /// A fingerprint of bytes that did not come from disk (no modification time).
    public init(bytes: [UInt8]) {
        self.init(size: bytes.count, modificationSeconds: 0, modificationNanoseconds: 0,
                  contentHash: SHA256.hexDigest(bytes))
    }

    init(bytes: [UInt8], status: POSIXFileStatus) {
        self.init(
            size: bytes.count, modificationSeconds: status.modificationSeconds,
            modificationNanoseconds: status.modificationNanoseconds, contentHash: SHA256.hexDigest(bytes))
    }

    /// Whether the bytes are the same. The modification time alone (a `touch`) does not count as a change:
    /// what must not be lost is content, and the hash says whether the content we would replace is what we read.
    public func hasSameContent(as other: FileFingerprint) -> Bool {
        size == other.size && contentHash == other.contentHash
    }

    public var description: String {
        "\(size) bytes, mtime \(modificationSeconds).\(modificationNanoseconds), sha256 \(contentHash.prefix(12))"
    }
}
