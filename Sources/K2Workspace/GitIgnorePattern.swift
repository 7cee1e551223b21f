// One line of a .gitignore file: parsed as git parses it and matched as git matches it.

/// A gitignore pattern. Parsing and matching follow git's `dir.c` (`parse_path_pattern`, `match_basename`,
/// `match_pathname`), including its shortcuts, so that results agree with `git check-ignore`.
public struct GitIgnorePattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written in the file, after trailing-space trimming.
    public let source: String
    /// `!pattern`: a match re-includes what an earlier pattern excluded.
    public let isNegated: Bool
    /// `pattern/`: matches directories only.
    public let mustBeDirectory: Bool
    /// No slash other than a trailing one: matches the last path component at any depth.
    public let matchesBasenameOnly: Bool
    /// The pattern bytes without `!` and the trailing slash (a leading slash is kept, as git keeps it).
    let bytes: [UInt8]
    /// How many leading bytes hold no glob character (git's `nowildcardlen`).
    let literalPrefixLength: Int
    /// `*literal` with no other glob character: a suffix comparison suffices.
    let isSuffixPattern: Bool

    public var description: String { source }

    /// Parses one line (without its line break). Nil for blank lines, comments and lines that hold no pattern.
    public init?(line: String) {
        var lineBytes = Array(line.utf8)
        if lineBytes.last == UInt8(ascii: "\r") { lineBytes.removeLast() }
        guard let first = lineBytes.first, first != UInt8(ascii: "#") else { return nil }
        Self.trimTrailingSpaces(&lineBytes)
        guard !lineBytes.isEmpty else { return nil }
        source = String(decoding: lineBytes, as: UTF8.self)
        var body = lineBytes[...]
        isNegated = body.first == UInt8(ascii: "!")
        if isNegated { body = body.dropFirst() }
        mustBeDirectory = body.last == UInt8(ascii: "/")
        if mustBeDirectory { body = body.dropLast() }
        guard !body.isEmpty else { return nil }
        bytes = Array(body)
        matchesBasenameOnly = !bytes.contains(UInt8(ascii: "/"))
        literalPrefixLength = Self.literalLength(bytes[...])
        isSuffixPattern = bytes.first == UInt8(ascii: "*") && Self.literalLength(bytes.dropFirst()) == bytes.count - 1
    }

    /// Git removes trailing spaces unless a backslash escapes them.
    private static func trimTrailingSpaces(_ bytes: inout [UInt8]) {
        var lastSpace: Int?
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "):
                if lastSpace == nil { lastSpace = index }
            case UInt8(ascii: "\\"):
                index += 1
                if index >= bytes.count { return }
                lastSpace = nil
            default:
                lastSpace = nil
            }
            index += 1
        }
        if let lastSpace { bytes.removeSubrange(lastSpace...) }
    }

    private static func literalLength(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        for byte in bytes {
            if Wildmatch.isGlobSpecial(byte) { break }
            count += 1
        }
        return count
    }

    /// Whether the pattern matches a path.
    /// - Parameters:
    ///   - path: the path relative to the workspace root, as UTF-8 bytes, no leading or trailing slash.
    ///   - basenameStart: where the last component of `path` starts.
    ///   - base: the directory of the file that holds the pattern, relative to the root ("" for the root).
    ///   - isDirectory: whether the path names a directory.
    func matches(path: UnsafeBufferPointer<UInt8>, basenameStart: Int, base: [UInt8], isDirectory: Bool) -> Bool {
        if mustBeDirectory && !isDirectory { return false }
        return bytes.withUnsafeBufferPointer { pattern in
            if matchesBasenameOnly {
                return matchBasename(pattern, UnsafeBufferPointer(rebasing: path[basenameStart...]))
            }
            return matchPathname(pattern, path, base: base)
        }
    }

    private func matchBasename(_ pattern: UnsafeBufferPointer<UInt8>, _ basename: UnsafeBufferPointer<UInt8>) -> Bool {
        if literalPrefixLength == pattern.count {
            return pattern.count == basename.count && memoryEqual(pattern, 0, basename, 0, count: pattern.count)
        }
        if isSuffixPattern {
            let suffixLength = pattern.count - 1
            return suffixLength <= basename.count
                && memoryEqual(pattern, 1, basename, basename.count - suffixLength, count: suffixLength)
        }
        return Wildmatch.matches(pattern, basename, pathname: false)
    }

    private func matchPathname(_ fullPattern: UnsafeBufferPointer<UInt8>, _ path: UnsafeBufferPointer<UInt8>, base: [UInt8])
        -> Bool
    {
        var pattern = fullPattern
        var prefix = literalPrefixLength
        if pattern.first == UInt8(ascii: "/") {
            pattern = UnsafeBufferPointer(rebasing: pattern[1...])
            prefix -= 1
        }
        let baseLength = base.count
        if path.count < baseLength + 1 { return false }
        if baseLength > 0 {
            if path[baseLength] != UInt8(ascii: "/") { return false }
            let baseMatches = base.withUnsafeBufferPointer { memoryEqual($0, 0, path, 0, count: baseLength) }
            if !baseMatches { return false }
        }
        var name = baseLength > 0 ? UnsafeBufferPointer(rebasing: path[(baseLength + 1)...]) : path
        if prefix > 0 {
            if prefix > name.count { return false }
            if !memoryEqual(pattern, 0, name, 0, count: prefix) { return false }
            pattern = UnsafeBufferPointer(rebasing: pattern[prefix...])
            name = UnsafeBufferPointer(rebasing: name[prefix...])
            if pattern.isEmpty && name.isEmpty { return true }
        }
        return Wildmatch.matches(pattern, name, pathname: true)
    }

    private func memoryEqual(
        _ lhs: UnsafeBufferPointer<UInt8>, _ lhsStart: Int, _ rhs: UnsafeBufferPointer<UInt8>, _ rhsStart: Int,
        count: Int
    ) -> Bool {
        var index = 0
        while index < count {
            if lhs[lhsStart + index] != rhs[rhsStart + index] { return false }
            index += 1
        }
        return true
    }
}
