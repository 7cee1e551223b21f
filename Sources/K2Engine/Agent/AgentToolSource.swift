// Where tools beyond the built-in ones come from (MCP servers): asked for its tools at the start of each run.
import K2Config

/// What a tool source knows about the run it supplies.
public struct AgentToolContext: Sendable {
    /// The configuration in force for this run (sources read their servers from it).
    public var configuration: K2Configuration
    /// The run's workspace folder.
    public var workspaceRoot: String
    /// For notices (a server that failed to start) and stages (starting servers).
    public var events: EngineEventSink

    public init(configuration: K2Configuration, workspaceRoot: String, events: @escaping EngineEventSink) {
        self.configuration = configuration
        self.workspaceRoot = workspaceRoot
        self.events = events
    }
}

/// Supplies tools to agent runs. The engine asks each source once at the start of a run, after the built-in tools;
/// the answer must be in a stable order (the tool list is part of the cached prompt prefix). A source that starts
/// programs does so here, lazily, and stops them in `shutdown`.
public protocol AgentToolSource: Sendable {
    func tools(for context: AgentToolContext) async -> [any AgentTool]

    /// Called when the engine shuts down.
    func shutdown() async
}
