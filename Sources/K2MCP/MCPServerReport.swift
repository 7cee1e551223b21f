// What `k2lsp mcp list` shows: each configured server, whether it started, its revision, and its tools' names.
import K2Config

public struct MCPServerReport: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case started(protocolRevision: String, serverName: String)
        case failed(reason: String)
        /// A limit of k2lsp (a transport or revision it does not speak), not a fault of the server.
        case notSupported(reason: String)
        case disabled
    }

    public var name: String
    /// How it is reached, safe to show (no arguments, headers or credentials).
    public var transport: String
    public var state: State
    /// "all", "none" or the approved tool names.
    public var autoApprove: String
    public var tools: [MCPToolReport]
}

public struct MCPToolReport: Sendable, Hashable {
    /// The name the model sees.
    public var modelName: String
    /// The server's own name for it.
    public var name: String
    /// The first line of its description.
    public var summary: String
    public var autoApproved: Bool
    /// The server says the tool only reads.
    public var readOnlyHint: Bool
}

extension MCPToolSource {
    /// Starts every enabled server of the configuration (and the additional ones) and reports on all of them,
    /// disabled ones included, in name order.
    public func report(configuration: K2Configuration, workspaceRoot: String) async -> [MCPServerReport] {
        let enabled = servers(in: configuration)
        let outcomes = await pool.connect(enabled, workspaceRoot: workspaceRoot, group: group)
        var started: [(settings: MCPServerSettings, connection: MCPServerConnection)] = []
        var reports: [String: MCPServerReport] = [:]
        for (settings, outcome) in zip(enabled, outcomes) {
            var report = MCPServerReport(
                name: settings.name, transport: settings.displayTransport, state: .disabled,
                autoApprove: Self.describe(settings.autoApprove), tools: [])
            switch outcome {
            case .running(let connection):
                started.append((settings, connection))
                report.state = .started(protocolRevision: connection.protocolRevision, serverName: connection.serverName)
            case .failed(let failure, _):
                report.state = failure.isUnsupported ? .notSupported(reason: "\(failure)") : .failed(reason: "\(failure)")
            }
            reports[settings.name] = report
        }
        for tool in Self.tools(of: started) {
            let summary = tool.listed.description.split(separator: "\n").first.map(String.init) ?? ""
            reports[tool.server]?.tools.append(
                MCPToolReport(
                    modelName: tool.definition.name, name: tool.tool, summary: summary,
                    autoApproved: tool.traits.preapproved,
                    readOnlyHint: tool.listed.readOnlyHint))
        }
        let everyServer = Array(configuration.mcpServers.values) + additionalServers
        for settings in everyServer where reports[settings.name] == nil {
            reports[settings.name] = MCPServerReport(
                name: settings.name, transport: settings.displayTransport, state: .disabled,
                autoApprove: Self.describe(settings.autoApprove), tools: [])
        }
        return reports.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    static func describe(_ approval: MCPServerSettings.AutoApprove) -> String {
        switch approval {
        case .none: "none"
        case .all: "all"
        case .tools(let names): names.joined(separator: ", ")
        }
    }
}
