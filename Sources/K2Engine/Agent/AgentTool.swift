// What a tool of the agent is: a definition the model sees, and a run that validates its own arguments.
import AnyJSON
import K2Provider

/// A tool the agent offers the model. Built-in tools work on an `AgentWorkspace`; tools from elsewhere (MCP servers)
/// conform the same way. A tool validates its arguments itself (`ToolArguments` does it for simple schemas) and
/// reports every problem the model should hear about as a `ToolError`.
public protocol AgentTool: Sendable {
    /// Name, description and JSON schema, as sent in the request's `tools`. Must not change between calls: the tool
    /// list is part of the prompt prefix the provider caches.
    var definition: ToolDefinition { get }

    /// What a call can do and where the tool comes from; the run's permission policy reads it.
    var traits: ToolTraits { get }

    /// The advice appended when a result is cut at `agent.tool_output_limit`: how to ask this tool for less.
    var outputCutAdvice: String { get }

    /// Runs one call. `arguments` is the model's JSON, parsed but not validated. The returned text goes back to the
    /// model as the tool result. Throw `ToolError` for a failure the model should see; `CancellationError` ends
    /// the run.
    func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String
}

extension AgentTool {
    public var outputCutAdvice: String { ToolOutput.workspaceToolAdvice }
}

/// A failed tool call, in words for the model (and the user, who sees them in the steps).
public struct ToolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
