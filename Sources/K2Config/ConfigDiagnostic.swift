// A problem found while loading the configuration, worded so the user knows what to change.
import Foundation

public struct ConfigDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case warning
        case error
    }

    public var severity: Severity
    /// A file path (home shown as `~`), `environment` or `editor settings`.
    public var origin: String
    /// 1-based; nil when the origin has no lines (environment) or the problem is the whole file.
    public var line: Int?
    /// Dotted key path such as `providers.instruct.base_url`; empty for whole-file problems.
    public var keyPath: String
    /// A full sentence that names the key and says what to do.
    public var message: String

    public init(severity: Severity, origin: String, line: Int?, keyPath: String, message: String) {
        self.severity = severity
        self.origin = origin
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `~/.config/k2lsp/config.yaml:7: 'providers.instruct.base_url' must be a string (got a list)`
    public var description: String {
        let location = line.map { "\(origin):\($0)" } ?? origin
        return "\(location): \(message)"
    }
}

extension ConfigDiagnostic {
    /// The same diagnostic with every occurrence of `secrets` replaced by `***`: a key pasted into a file (as a key
    /// name, say) must not come back out in a message.
    func redacting(_ secrets: [String]) -> ConfigDiagnostic {
        var redacted = self
        for secret in secrets {
            redacted.origin = redacted.origin.replacingOccurrences(of: secret, with: "***")
            redacted.keyPath = redacted.keyPath.replacingOccurrences(of: secret, with: "***")
            redacted.message = redacted.message.replacingOccurrences(of: secret, with: "***")
        }
        return redacted
    }
}

/// Collects diagnostics for one origin, so each reader only says what went wrong and where.
struct DiagnosticCollector {
    let origin: String
    var diagnostics: [ConfigDiagnostic] = []

    init(origin: String) {
        self.origin = origin
    }

    mutating func error(_ keyPath: String, line: Int?, _ message: String) {
        diagnostics.append(
            ConfigDiagnostic(severity: .error, origin: origin, line: line, keyPath: keyPath, message: message)
        )
    }

    mutating func warning(_ keyPath: String, line: Int?, _ message: String) {
        diagnostics.append(
            ConfigDiagnostic(severity: .warning, origin: origin, line: line, keyPath: keyPath, message: message)
        )
    }
}
