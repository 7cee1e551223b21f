// Diagnostics the editor has shown the server (in code action requests or k2/didChangeDiagnostics), per document.
import LSP
import Synchronization

final class DiagnosticsStore: Sendable {
    private let byURI = Mutex<[String: [Diagnostic]]>([:])

    func set(_ diagnostics: [Diagnostic], for uri: String) {
        byURI.withLock { $0[uri] = diagnostics }
    }

    /// Remembers diagnostics seen in a code action request, without forgetting those outside its range.
    func merge(_ diagnostics: [Diagnostic], for uri: String) {
        guard !diagnostics.isEmpty else { return }
        byURI.withLock { store in
            var current = store[uri] ?? []
            for diagnostic in diagnostics where !current.contains(diagnostic) { current.append(diagnostic) }
            store[uri] = current
        }
    }

    func diagnostics(for uri: String) -> [Diagnostic] {
        byURI.withLock { $0[uri] ?? [] }
    }

    func all() -> [String: [Diagnostic]] {
        byURI.withLock { $0 }
    }

    func clear(_ uri: String) {
        _ = byURI.withLock { $0.removeValue(forKey: uri) }
    }
}
