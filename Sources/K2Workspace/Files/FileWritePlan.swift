// One file to write: its path, its new bytes, and what must be on disk for the write to go ahead.

public struct FileWritePlan: Sendable, Hashable {
    public enum Expectation: Sendable, Hashable {
        /// The file must still hold the bytes it had when it was read.
        case unchangedSince(FileFingerprint)
        /// Nothing may exist at the path yet; missing parent directories are created.
        case absent
    }

    public var path: String
    public var bytes: [UInt8]
    public var expectation: Expectation

    public init(path: String, bytes: [UInt8], expectation: Expectation) {
        self.path = path
        self.bytes = bytes
        self.expectation = expectation
    }

    /// Replaces a file that was read with `TextFileReader`, keeping its line endings, BOM and final newline.
    public init(updating file: LoadedTextFile, to newText: String) {
        self.init(path: file.path, bytes: file.encode(newText), expectation: .unchangedSince(file.fingerprint))
    }

    /// Creates a new UTF-8 file with exactly `text`.
    public init(creating path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8), expectation: .absent)
    }
}
