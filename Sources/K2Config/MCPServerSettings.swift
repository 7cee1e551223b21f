// One configured MCP server: how to reach it, which of its tools may run without asking, and its deadlines.

/// A Model Context Protocol server the agent may use. Values are kept as written: `${VAR}` references are expanded
/// only when the server is started, so an expanded secret never sits in the configuration (or in `k2lsp config`).
public struct MCPServerSettings: Sendable, Hashable {
    public enum Transport: Sendable, Hashable {
        /// A program k2lsp starts, speaking JSON-RPC lines on its stdin/stdout.
        case stdio(command: String, arguments: [String], environment: [String: String], workingDirectory: String?)
        /// Streamable HTTP: JSON-RPC POSTed to `url`, answered with JSON or an event stream.
        case http(url: String, headers: [String: String])
        /// The HTTP+SSE transport of the 2024-11-05 revision (`type: sse`). Recognised so that it is reported as
        /// unsupported by name instead of failing in a confusing way.
        case legacySSE(url: String, headers: [String: String])
    }

    /// Which tools run without asking. Only the user's own configuration may grant this (never a workspace file).
    public enum AutoApprove: Sendable, Hashable {
        case none
        case all
        /// The server's own tool names (not the `mcp__…` names the model sees).
        case tools([String])

        public func covers(_ tool: String) -> Bool {
            switch self {
            case .none: false
            case .all: true
            case .tools(let names): names.contains(tool)
            }
        }
    }

    /// The key under `mcp_servers` (or `mcpServers`): part of every tool name the model sees.
    public var name: String
    public var transport: Transport
    public var autoApprove: AutoApprove
    /// `enabled: false` (or `disabled: true` in the JSON form) keeps a server configured but never started.
    public var enabled: Bool
    /// Seconds one tool call may take before it is cancelled.
    public var callTimeoutSeconds: Double
    /// Seconds the start (launch, handshake, tool list) may take.
    public var startupTimeoutSeconds: Double

    public static let defaultCallTimeoutSeconds: Double = 60
    public static let defaultStartupTimeoutSeconds: Double = 30

    public init(
        name: String, transport: Transport, autoApprove: AutoApprove = .none, enabled: Bool = true,
        callTimeoutSeconds: Double = MCPServerSettings.defaultCallTimeoutSeconds,
        startupTimeoutSeconds: Double = MCPServerSettings.defaultStartupTimeoutSeconds
    ) {
        self.name = name
        self.transport = transport
        self.autoApprove = autoApprove
        self.enabled = enabled
        self.callTimeoutSeconds = callTimeoutSeconds
        self.startupTimeoutSeconds = startupTimeoutSeconds
    }

    /// How the server is reached, in words safe to show: the command without its arguments (they may hold a
    /// token), the URL without credentials or query.
    public var displayTransport: String {
        switch transport {
        case .stdio(let command, _, _, _): "stdio: \(command)"
        case .http(let url, _): "http: \(Self.displayURL(url))"
        case .legacySSE(let url, _): "sse: \(Self.displayURL(url))"
        }
    }

    /// A URL without its query (tokens often ride there) and without credentials.
    public static func displayURL(_ url: String) -> String {
        let withoutQuery = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        return URLDisplay.redactingCredentials(withoutQuery)
    }
}
