// Test bench for the MCP client: the test server program as configured servers, a pool, captured logs and events.
import AnyJSON
import Foundation
import K2Config
import K2Engine
import K2TestSupport
import K2Workspace
import Logging
import Synchronization

@testable import K2MCP

/// A pool over a scratch workspace, its log lines and the engine events a run would see.
final class MCPBench: Sendable {
    let folder: TemporaryDirectory
    let pool: MCPServerPool
    let log = LogCapture()
    let events = Mutex<[EngineEvent]>([])

    init(environment: [String: String] = [:]) throws {
        folder = try TemporaryDirectory(prefix: "k2lsp-mcp")
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": folder.path]
        base.merge(environment) { _, new in new }
        let log = self.log
        let logger = Logger(label: "k2lsp-test") { _ in log }
        pool = MCPServerPool(environment: base, clientVersion: "test", logger: logger)
    }

    var canary: String { folder.path + "/canary" }

    /// How many times the canary server started.
    var starts: Int {
        ((try? String(contentsOfFile: canary, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// The test server program, with `--canary` so its starts are counted.
    func testServer(
        _ name: String = "test", arguments: [String] = [], environment: [String: String] = [:],
        autoApprove: MCPServerSettings.AutoApprove = .all, timeout: Double = 600, startupTimeout: Double = 600
    ) throws -> MCPServerSettings {
        MCPServerSettings(
            name: name,
            transport: .stdio(
                command: try BinaryLocator.testMCPServerPath(), arguments: ["--canary", canary] + arguments,
                environment: environment, workingDirectory: nil),
            autoApprove: autoApprove, callTimeoutSeconds: timeout, startupTimeoutSeconds: startupTimeout)
    }

    func source(_ servers: [MCPServerSettings]) -> MCPToolSource {
        MCPToolSource(pool: pool, additionalServers: servers)
    }

    func context() -> AgentToolContext {
        AgentToolContext(
            configuration: .defaults, workspaceRoot: folder.path, events: { [self] event in record(event) })
    }

    func record(_ event: EngineEvent) {
        events.withLock { $0.append(event) }
    }

    func tools(_ servers: [MCPServerSettings]) async -> [any AgentTool] {
        await source(servers).tools(for: context())
    }

    func tool(_ name: String, in servers: [MCPServerSettings]) async throws -> any AgentTool {
        let tools = await tools(servers)
        guard let tool = tools.first(where: { $0.definition.name == name }) else {
            throw TestSupportError("no tool \(name) among \(tools.map(\.definition.name))")
        }
        return tool
    }

    var notices: [String] {
        events.withLock { $0.compactMap { if case .notice(let text) = $0 { return text } else { return nil } } }
    }

    func finish() async {
        await pool.shutdown()
    }
}

/// Runs a tool as the agent loop does: its text, or "Error: …".
func run(_ tool: any AgentTool, _ arguments: JSONValue, in folder: String) async throws -> String {
    let workspace = AgentWorkspace(root: folder, documents: DocumentStore())
    do {
        return try await tool.run(arguments, in: workspace)
    } catch let error as ToolError {
        return "Error: " + error.message
    }
}

/// Keeps every log line (level and text). A value, as log handlers must be: a copy's level is its own.
struct LogCapture: LogHandler, Sendable {
    private final class Lines: Sendable {
        let lines = Mutex<[String]>([])
    }

    private let storage = Lines()
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    var text: String { storage.lines.withLock { $0.joined(separator: "\n") } }

    func log(event: LogEvent) {
        storage.lines.withLock { $0.append("\(event.level): \(event.message)") }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}
