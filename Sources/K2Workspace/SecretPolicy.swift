// The secret list: files that are never context, and the filter that applies it and redacts key-like text.

/// The files that are never sent to a model, whatever an ignore file or a setting says.
public enum SecretPolicy {
    /// Gitignore-style patterns, matched case-insensitively against every path component (a pattern with a slash
    /// against the whole workspace-relative path). Configuration may add patterns; nothing removes these.
    public static let builtInSecretFilePatterns: [String] = [
        ".env", ".env.*", "*.pem", "*.key", "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*", "*.p12", "*.pfx",
        "*.keystore", "*.jks", "*.ppk", ".npmrc", ".pypirc", ".netrc", "_netrc", ".git-credentials", ".htpasswd",
        ".pgpass", "**/.docker/config.json", "**/.kube/config", "credentials*", "*secret*",
    ]

    /// Folders whose files are never sent to a model, though the agent may write there when the user allows it
    /// (`ProtectedPaths`): git metadata, where `.git/config` keeps the token a CI checkout persists
    /// (`extraheader = AUTHORIZATION: basic …`) and remote URLs with passwords.
    public static let neverSentFolderNames: Set<String> = [".git"]

    /// The folder of `neverSentFolderNames` that `relativePath` lies in (or is), as `.git/`; nil when none.
    /// ASCII case is ignored, as on case-insensitive file systems.
    public static func neverSentFolder(in relativePath: String) -> String? {
        for component in relativePath.split(separator: "/") {
            let lowered = SecretFilter.asciiLowercased(String(component))
            if neverSentFolderNames.contains(lowered) { return lowered + "/" }
        }
        return nil
    }

    /// What replaces a secret in text that is sent.
    public static let redactionMarker = "[REDACTED by k2lsp]"
}

/// Applies the secret list to paths and redacts key-like text. Cheap to copy; build one per configuration.
public struct SecretFilter: Sendable, Hashable {
    /// A pattern sorted by the cheapest test that decides it; most of the list are plain names, prefixes and
    /// suffixes, checked on bytes without allocating.
    private enum Matcher: Sendable, Hashable {
        case exact([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case infix([UInt8])
        case general(GitIgnorePattern)
    }

    /// The patterns in force: the built-in ones, then the extra ones that were accepted.
    public let patterns: [String]
    private let matchers: [Matcher]

    /// - Parameter extraPatterns: more gitignore-style patterns. Negations (`!…`) are dropped: the list only grows.
    public init(extraPatterns: [String] = []) {
        let accepted = extraPatterns.filter { pattern in
            let trimmed = pattern.drop { $0 == " " }
            return !trimmed.isEmpty && !trimmed.hasPrefix("!") && !trimmed.hasPrefix("#")
        }
        var kept: [String] = []
        var matchers: [Matcher] = []
        for pattern in SecretPolicy.builtInSecretFilePatterns + accepted {
            guard let matcher = Self.matcher(for: Self.asciiLowercased(pattern)) else { continue }
            kept.append(pattern)
            matchers.append(matcher)
        }
        self.patterns = kept
        self.matchers = matchers
    }

    private static func matcher(for pattern: String) -> Matcher? {
        let bytes = Array(pattern.utf8)
        let special = bytes.contains { "/\\[?! ".utf8.contains($0) }
        let stars = bytes.count { $0 == UInt8(ascii: "*") }
        if !special {
            let star = UInt8(ascii: "*")
            if stars == 0 && !bytes.isEmpty { return .exact(bytes) }
            if stars == 1 && bytes.first == star && bytes.count > 1 { return .suffix(Array(bytes.dropFirst())) }
            if stars == 1 && bytes.last == star && bytes.count > 1 { return .prefix(Array(bytes.dropLast())) }
            if stars == 2 && bytes.first == star && bytes.last == star && bytes.count > 2 {
                return .infix(Array(bytes.dropFirst().dropLast()))
            }
        }
        return GitIgnorePattern(line: pattern).map { .general($0) }
    }

    /// Whether a workspace-relative path is a secret file or lies inside a secret directory.
    public func isSecretFile(relativePath: String) -> Bool {
        matchingPattern(relativePath: relativePath) != nil
    }

    /// The pattern that makes a path secret, nil when none does. Every component is checked, so that a file inside
    /// a secret directory is secret too.
    public func matchingPattern(relativePath: String) -> String? {
        var lowered = Array(relativePath.utf8)
        Self.lowercase(&lowered)
        return lowered.withUnsafeBufferPointer { path -> String? in
            var componentStart = 0
            var index = 0
            while index <= path.count {
                if index == path.count || path[index] == UInt8(ascii: "/") {
                    if index > componentStart,
                        let hit = matchingPattern(path: path, end: index, basenameStart: componentStart, isDirectory: index < path.count)
                    {
                        return hit
                    }
                    componentStart = index + 1
                }
                index += 1
            }
            return nil
        }
    }

    /// Whether one entry is secret by its own name, its parent directories assumed not secret (for walks).
    public func isSecretEntry(relativePath: String, isDirectory: Bool) -> Bool {
        var lowered = Array(relativePath.utf8)
        Self.lowercase(&lowered)
        return lowered.withUnsafeBufferPointer { path in
            matchingPattern(path: path, end: path.count, basenameStart: IgnoreRules.basenameStart(of: path), isDirectory: isDirectory) != nil
        }
    }

    /// Tests the component `path[basenameStart..<end]` (and, for general patterns, the path up to `end`).
    private func matchingPattern(path: UnsafeBufferPointer<UInt8>, end: Int, basenameStart: Int, isDirectory: Bool) -> String? {
        let component = UnsafeBufferPointer(rebasing: path[basenameStart..<end])
        for (index, matcher) in matchers.enumerated() {
            let hit: Bool
            switch matcher {
            case .exact(let literal): hit = component.elementsEqual(literal)
            case .prefix(let literal): hit = component.starts(with: literal)
            case .suffix(let literal): hit = component.count >= literal.count && component.suffix(literal.count).elementsEqual(literal)
            case .infix(let literal): hit = Self.contains(component, literal)
            case .general(let pattern):
                hit = pattern.matches(
                    path: UnsafeBufferPointer(rebasing: path[0..<end]), basenameStart: basenameStart, base: [], isDirectory: isDirectory)
            }
            if hit { return patterns[index] }
        }
        return nil
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return needle.isEmpty }
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }

    private static func lowercase(_ bytes: inout [UInt8]) {
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A { bytes[index] |= 0x20 }
    }

    /// Replaces key-like text with `SecretPolicy.redactionMarker`; see `redactLines` for what counts.
    public func redact(_ text: String) -> (text: String, redactedLineCount: Int) {
        let result = redactLines(text)
        return (result.text, result.redactedLines.count)
    }

    /// Redacts API keys (`sk-…`, `AKIA…`, GitHub, GitLab, Slack, Google keys), whole private-key blocks, passwords in
    /// URLs and long values assigned to names that end like `password`, `secret`, `token` or `api_key`.
    /// The line structure is kept: every line of the result corresponds to the same line of the input.
    public func redactLines(_ text: String) -> SecretRedaction {
        SecretScanner.redact(text)
    }

    static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

/// Text after redaction.
public struct SecretRedaction: Sendable, Hashable {
    public let text: String
    /// Zero-based numbers of the lines that were changed, ascending.
    public let redactedLines: [Int]
    /// How many lines the text has (line breaks + 1, as `LineIndex` counts).
    public let lineCount: Int
}
