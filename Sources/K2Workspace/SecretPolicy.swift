// The secret list: files that are never context, and the filter that applies it and redacts key-like text.

/// The files that are never sent to a model, whatever an ignore file or a setting says.
public enum SecretPolicy {
    /// Gitignore-style patterns, matched case-insensitively against every path component (a pattern with a slash
    /// against the whole workspace-relative path). Configuration may add patterns; nothing removes these.
    public static let builtInSecretFilePatterns: [String] = [
        ".env", ".env.*", "*.pem", "*.key", "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*", "*.p12", "*.pfx",
        "*.keystore", "*.jks", ".npmrc", ".pypirc", ".netrc", "_netrc", ".git-credentials", ".htpasswd",
        "credentials*", "*secret*",
    ]

    /// What replaces a secret in text that is sent.
    public static let redactionMarker = "[REDACTED by k2lsp]"
}

/// Applies the secret list to paths and redacts key-like text. Cheap to copy; build one per configuration.
public struct SecretFilter: Sendable, Hashable {
    /// The patterns in force: the built-in ones, then the extra ones that were accepted.
    public let patterns: [String]
    private let compiled: [GitIgnorePattern]

    /// - Parameter extraPatterns: more gitignore-style patterns. Negations (`!…`) are dropped: the list only grows.
    public init(extraPatterns: [String] = []) {
        let accepted = extraPatterns.filter { pattern in
            let trimmed = pattern.drop { $0 == " " }
            return !trimmed.isEmpty && !trimmed.hasPrefix("!") && !trimmed.hasPrefix("#")
        }
        patterns = SecretPolicy.builtInSecretFilePatterns + accepted
        compiled = patterns.compactMap { GitIgnorePattern(line: Self.asciiLowercased($0)) }
    }

    /// Whether a workspace-relative path is a secret file or lies inside a secret directory.
    public func isSecretFile(relativePath: String) -> Bool {
        matchingPattern(relativePath: relativePath) != nil
    }

    /// The pattern that makes a path secret, nil when none does.
    public func matchingPattern(relativePath: String) -> String? {
        let lowered = Self.asciiLowercased(relativePath)
        let components = lowered.split(separator: "/")
        var prefix = ""
        for (index, component) in components.enumerated() {
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
            if let pattern = matchingPattern(loweredPath: prefix, isDirectory: index < components.count - 1) {
                return pattern
            }
        }
        return nil
    }

    /// Whether one entry is secret by its own name, its parent directories assumed not secret (for walks).
    public func isSecretEntry(relativePath: String, isDirectory: Bool) -> Bool {
        matchingPattern(loweredPath: Self.asciiLowercased(relativePath), isDirectory: isDirectory) != nil
    }

    private func matchingPattern(loweredPath: String, isDirectory: Bool) -> String? {
        var path = loweredPath
        return path.withUTF8 { bytes -> String? in
            let basenameStart = IgnoreRules.basenameStart(of: bytes)
            for (index, pattern) in compiled.enumerated()
            where pattern.matches(path: bytes, basenameStart: basenameStart, base: [], isDirectory: isDirectory) {
                return patterns[index]
            }
            return nil
        }
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
