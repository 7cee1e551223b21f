// Removes API keys from any text before it can reach a log, an error or the editor.

/// Replaces known secrets, and anything shaped like a bearer token or an `sk-…` key, with `[redacted]`.
///
/// The pattern rules catch a key the server echoes back in a different form (another key of the account, a key
/// from another variable); the exact rule catches keys of any shape.
public struct KeyRedactor: Sendable {
    public static let replacement = "[redacted]"
    private let secrets: [String]

    public init(secrets: [String]) {
        // Longest first, so a key that contains another is removed whole. Very short "keys" would shred text.
        self.secrets = Set(secrets.flatMap(Self.forms)).filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// A key as it may appear in text: as is, escaped the way JSON and Swift descriptions escape control
    /// characters (a key pasted with its line break comes back as `sk-…\r\n`), and each line of it.
    static func forms(of secret: String) -> [String] {
        let controls: [Unicode.Scalar: String] = ["\r": "\\r", "\n": "\\n", "\t": "\\t"]
        guard secret.unicodeScalars.contains(where: { controls[$0] != nil }) else { return [secret] }
        var escaped = ""
        var lines: [String] = []
        var line = ""
        for scalar in secret.unicodeScalars {
            if let escape = controls[scalar] {
                escaped += escape
                lines.append(line)
                line = ""
            } else {
                escaped.unicodeScalars.append(scalar)
                line.unicodeScalars.append(scalar)
            }
        }
        lines.append(line)
        return [secret, escaped] + lines.filter { $0.count >= 8 }
    }

    public init(endpoint: ProviderEndpoint) {
        self.init(secrets: endpoint.secrets)
    }

    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.replacement)
        }
        result = result.replacing(/(?i)(bearer\s+)[A-Za-z0-9._~+\/=-]{8,}/) { match in
            match.output.1 + Self.replacement
        }
        result = result.replacing(/\bsk-[A-Za-z0-9_-]{8,}/) { _ in "sk-" + Self.replacement }
        return result
    }
}
