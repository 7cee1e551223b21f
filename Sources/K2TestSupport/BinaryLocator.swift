// Finds the built executables end-to-end tests start: `k2lsp` and the test MCP server.
import Foundation

public enum BinaryLocator {
    /// `$K2LSP_BINARY`, else `k2lsp` next to the running test bundle (SwiftPM puts both in the same build folder).
    public static func k2lspPath() throws -> String {
        try path(of: "k2lsp", override: "K2LSP_BINARY")
    }

    /// The test MCP server program (`TestMCPServer`), built next to the tests.
    public static func testMCPServerPath() throws -> String {
        try path(of: "k2-test-mcp-server", override: "K2LSP_TEST_MCP_SERVER")
    }

    private static func path(of name: String, override variable: String) throws -> String {
        if let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty { return path }
        var candidates: [URL] = []
        let testExecutable = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var directory = testExecutable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent(name))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(name))
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/\(name)"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        throw TestSupportError("Could not find the \(name) binary (looked in \(candidates.map(\.path))); run `swift build` or set \(variable).")
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
