// The agent's MCP tools: the configured servers (plus any a front end adds), started lazily, as named tools.
import K2Config
import K2Engine

/// An `AgentToolSource` over a shared `MCPServerPool`. The language server and the CLI use one for the configured
/// servers; an ACP session makes one with the editor's `mcpServers` added (`additionalServers`, under its own
/// `group`) over the same pool, so configured servers are not started twice.
public struct MCPToolSource: AgentToolSource {
    public let pool: MCPServerPool
    /// Servers beyond the configured ones; a name here replaces a configured server of that name.
    public let additionalServers: [MCPServerSettings]
    /// Who holds the servers in the pool; `release` stops the ones only this group used.
    public let group: String

    public static let configurationGroup = "configuration"

    public init(
        pool: MCPServerPool, additionalServers: [MCPServerSettings] = [],
        group: String = MCPToolSource.configurationGroup
    ) {
        self.pool = pool
        self.additionalServers = additionalServers
        self.group = group
    }

    /// The servers a run with this configuration uses, by name.
    public func servers(in configuration: K2Configuration) -> [MCPServerSettings] {
        var byName: [String: MCPServerSettings] = [:]
        for server in configuration.enabledMCPServers { byName[server.name] = server }
        for server in additionalServers { byName[server.name] = server }
        return byName.values.filter(\.enabled).sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    public func tools(for context: AgentToolContext) async -> [any AgentTool] {
        let servers = servers(in: context.configuration)
        if await pool.needsStart(servers, workspaceRoot: context.workspaceRoot) {
            context.events(.stage(.startingToolServers, detail: servers.map(\.name).joined(separator: ", ")))
        }
        let outcomes = await pool.connect(servers, workspaceRoot: context.workspaceRoot, group: group)
        var started: [(settings: MCPServerSettings, connection: MCPServerConnection)] = []
        for (settings, outcome) in zip(servers, outcomes) {
            switch outcome {
            case .running(let connection):
                started.append((settings, connection))
            case .failed(let failure, let firstReport):
                guard firstReport else { continue }
                let verb = failure.isUnsupported ? "is not used" : "did not start"
                context.events(.notice("MCP server '\(settings.name)' \(verb), so its tools are left out: \(failure)"))
            }
        }
        return Self.tools(of: started)
    }

    public func shutdown() async {
        await pool.release(group: group)
    }

    /// Every listed tool of the started servers, named for the model, in the stable order of the keys.
    static func tools(of started: [(settings: MCPServerSettings, connection: MCPServerConnection)]) -> [MCPAgentTool] {
        var entries: [(key: MCPToolKey, listed: MCPListedTool, settings: MCPServerSettings, connection: MCPServerConnection)] = []
        for (settings, connection) in started {
            var seen: Set<String> = []
            for listed in connection.tools where seen.insert(listed.name).inserted {
                entries.append((MCPToolKey(server: settings.name, tool: listed.name), listed, settings, connection))
            }
        }
        entries.sort { $0.key < $1.key }
        let names = MCPToolNames.assign(entries.map(\.key))
        return zip(entries, names).map { entry, name in
            MCPAgentTool(
                modelName: name, listed: entry.listed, server: entry.settings.name,
                preapproved: entry.settings.autoApprove.covers(entry.listed.name), connection: entry.connection)
        }
    }
}
