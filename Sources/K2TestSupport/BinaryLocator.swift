// Finds the built `k2lsp` executable for end-to-end tests.
import Foundation

public enum BinaryLocator {
    /// `$K2LSP_BINARY`, else `k2lsp` next to the running test bundle (SwiftPM puts both in the same build folder).
    public static func k2lspPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["K2LSP_BINARY"], !path.isEmpty { return path }
        var candidates: [URL] = []
        let testExecutable = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var directory = testExecutable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("k2lsp"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("k2lsp"))
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/k2lsp"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        throw TestSupportError("Could not find the k2lsp binary (looked in \(candidates.map(\.path))); run `swift build` or set K2LSP_BINARY.")
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
