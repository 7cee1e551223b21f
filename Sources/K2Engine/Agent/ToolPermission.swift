// The permission hook of an agent run: what a tool call can do, and the policy that allows or refuses it.
import AnyJSON

/// What a call of a tool can do, for a policy to weigh and a front end to show (ACP's tool-call `kind`).
public enum ToolKind: String, Sendable, Hashable {
    /// Reads the workspace (read_file, list_files, get_diagnostics).
    case read
    /// Searches the workspace.
    case search
    /// Changes files (in the run's overlay; nothing is written until the user accepts the edit).
    case edit
    /// Runs outside k2lsp's sandbox: a tool of an MCP server can do anything that server can.
    case external
}

/// Where a tool comes from.
public enum ToolOrigin: Sendable, Hashable {
    case builtIn
    /// A tool of an MCP server: the configured server name and the tool's own name (not the model-facing one).
    case mcp(server: String, tool: String)
}

/// A tool's kind and origin, and whether the user's configuration lets it run without asking.
public struct ToolTraits: Sendable, Hashable {
    public var kind: ToolKind
    public var origin: ToolOrigin
    /// Set for MCP tools that `auto_approve` covers. Built-in tools need no approval to run; a front end that asks
    /// before edits (ACP's "ask" mode) decides that from `kind`.
    public var preapproved: Bool

    public init(kind: ToolKind, origin: ToolOrigin = .builtIn, preapproved: Bool = false) {
        self.kind = kind
        self.origin = origin
        self.preapproved = preapproved
    }
}

/// One call the agent is about to make, described for a policy (and for the person a policy may ask).
public struct ToolPermissionRequest: Sendable, Hashable {
    /// The step number the progress events use.
    public var step: Int
    /// The model's tool-call id.
    public var callID: String
    /// The model-facing tool name.
    public var tool: String
    public var arguments: JSONValue
    public var traits: ToolTraits

    public init(step: Int, callID: String, tool: String, arguments: JSONValue, traits: ToolTraits) {
        self.step = step
        self.callID = callID
        self.tool = tool
        self.arguments = arguments
        self.traits = traits
    }
}

public enum ToolPermissionDecision: Sendable, Hashable {
    case allow
    /// The call is not run; `reason` is what the model reads (after "Error: not run: ") and what the user sees in
    /// the step's result. Say what the user can do to allow it.
    case deny(reason: String)
}

/// Decides, before each tool call of a run, whether it may run. The engine asks once per call, after the call's
/// `started` event and before the tool runs; a denied call is answered to the model and reported with the status
/// `refused`. A policy that asks a person (ACP's `session/request_permission`) may take as long as that takes: the
/// run waits, and cancelling the run cancels the wait.
public protocol ToolPermissionPolicy: Sendable {
    func decide(_ request: ToolPermissionRequest) async -> ToolPermissionDecision
}

/// For front ends with nobody to ask (the language server, the command line): built-in tools run (their edits come
/// back for the user to review), MCP tools only when `auto_approve` covers them.
public struct UnattendedPermissionPolicy: ToolPermissionPolicy {
    public init() {}

    public func decide(_ request: ToolPermissionRequest) async -> ToolPermissionDecision {
        switch request.traits.origin {
        case .builtIn:
            return .allow
        case .mcp(let server, let tool):
            return request.traits.preapproved ? .allow : .deny(reason: Self.notApproved(server: server, tool: tool))
        }
    }

    /// Why an MCP call was refused, and how the user can allow it.
    public static func notApproved(server: String, tool: String) -> String {
        "the user has not allowed tool '\(tool)' of MCP server '\(server)' to run without asking, and k2lsp cannot ask here. Carry on without it, or tell the user they can allow it with 'auto_approve: [\(tool)]' (or 'auto_approve: true' for the whole server) under mcp_servers.\(server) in their k2lsp user configuration."
    }
}

extension ToolPermissionPolicy where Self == UnattendedPermissionPolicy {
    public static var unattended: UnattendedPermissionPolicy { UnattendedPermissionPolicy() }
}
