// What the agent is asked to do and what it produced, in plain values.
import AnyJSON
import K2Workspace

public struct AgentRequest: Sendable {
    public var instruction: String
    /// The workspace folder the agent works in; every tool path is relative to it and must stay inside it.
    public var workspaceRoot: String
    /// The document the user is in, if any (its buffer, unsaved text included).
    public var document: DocumentSnapshot?
    /// The selection in `document`, UTF-8 offsets.
    public var selection: TextRange?
    /// Diagnostics the editor has shown, by absolute path (for `get_diagnostics`).
    public var diagnostics: [String: [DiagnosticInfo]]
    /// Decides, per call, whether a tool may run: `.unattended` where nobody can be asked (LSP, CLI); a front end
    /// that can ask the user (ACP's `session/request_permission`) passes its own.
    public var permissions: any ToolPermissionPolicy
    /// Where tools beyond the built-in ones come from for this run; nil uses the engine's (`EngineSettings`). ACP
    /// passes a source that adds the session's `mcpServers` to the configured ones.
    public var toolSources: [any AgentToolSource]?

    public init(
        instruction: String, workspaceRoot: String, document: DocumentSnapshot? = nil, selection: TextRange? = nil,
        diagnostics: [String: [DiagnosticInfo]] = [:], permissions: any ToolPermissionPolicy = .unattended,
        toolSources: [any AgentToolSource]? = nil
    ) {
        self.instruction = instruction
        self.workspaceRoot = workspaceRoot
        self.document = document
        self.selection = selection
        self.diagnostics = diagnostics
        self.permissions = permissions
        self.toolSources = toolSources
    }
}

/// One tool call of a run, as reported in the result.
public struct AgentStep: Sendable, Hashable {
    public var tool: String
    public var arguments: JSONValue
    public var ok: Bool
    public var resultPreview: String

    public init(tool: String, arguments: JSONValue, ok: Bool, resultPreview: String) {
        self.tool = tool
        self.arguments = arguments
        self.ok = ok
        self.resultPreview = resultPreview
    }
}

public struct AgentOutcome: Sendable, Hashable {
    /// Every change the run made, against the texts it started from (nothing is written in LSP mode).
    public var edits: [FileEdit]
    /// The model's final answer.
    public var summary: String
    public var steps: [AgentStep]
    public var model: String
    public var usage: UsageTotals

    public init(edits: [FileEdit], summary: String, steps: [AgentStep], model: String, usage: UsageTotals) {
        self.edits = edits
        self.summary = summary
        self.steps = steps
        self.model = model
        self.usage = usage
    }
}
