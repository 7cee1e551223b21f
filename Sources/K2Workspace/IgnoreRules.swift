// The patterns of the ignore files of one directory, and which of them decides a path.

/// The ignore patterns that apply from one directory down, read from one or more files in that directory.
/// Within one set, the last matching pattern decides, as in a single .gitignore.
public struct IgnoreRules: Sendable, Hashable {
    /// One pattern with the file and line it came from, for reports.
    public struct Entry: Sendable, Hashable {
        public let pattern: GitIgnorePattern
        public let sourcePath: String
        public let lineNumber: Int
    }

    /// The directory the patterns are relative to, relative to the workspace root ("" for the root).
    public let baseDirectory: String
    public private(set) var entries: [Entry]
    let baseBytes: [UInt8]

    public init(baseDirectory: String, entries: [Entry] = []) {
        self.baseDirectory = baseDirectory
        self.entries = entries
        self.baseBytes = Array(baseDirectory.utf8)
    }

    /// Parses the text of an ignore file found in `baseDirectory`; `sourcePath` names it in reports.
    public init(text: String, baseDirectory: String, sourcePath: String) {
        self.init(baseDirectory: baseDirectory)
        append(text: text, sourcePath: sourcePath)
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Adds the patterns of another file of the same directory; they take precedence over earlier ones.
    public mutating func append(text: String, sourcePath: String) {
        var lineNumber = 0
        var content = Substring(text)
        if content.hasPrefix("\u{FEFF}") { content = content.dropFirst() }
        // Split on bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
        for line in content.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard let pattern = GitIgnorePattern(line: String(decoding: line, as: UTF8.self)) else { continue }
            entries.append(Entry(pattern: pattern, sourcePath: sourcePath, lineNumber: lineNumber))
        }
    }

    /// The last entry that matches the path, or nil when none does.
    /// - Parameters:
    ///   - path: the path relative to the workspace root, as UTF-8 bytes.
    ///   - basenameStart: where its last component starts.
    public func lastMatch(path: UnsafeBufferPointer<UInt8>, basenameStart: Int, isDirectory: Bool) -> Entry? {
        var index = entries.count - 1
        while index >= 0 {
            let entry = entries[index]
            if entry.pattern.matches(path: path, basenameStart: basenameStart, base: baseBytes, isDirectory: isDirectory) {
                return entry
            }
            index -= 1
        }
        return nil
    }

    /// The last entry that matches a root-relative path, or nil.
    public func lastMatch(relativePath: String, isDirectory: Bool) -> Entry? {
        var path = relativePath
        return path.withUTF8 { bytes in
            lastMatch(path: bytes, basenameStart: Self.basenameStart(of: bytes), isDirectory: isDirectory)
        }
    }

    /// Where the last component of a slash-separated path starts.
    static func basenameStart(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var index = bytes.count
        while index > 0 && bytes[index - 1] != UInt8(ascii: "/") { index -= 1 }
        return index
    }
}
