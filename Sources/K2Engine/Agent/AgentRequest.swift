// What the agent is asked to do and what it produced, in plain values.
import AnyJSON
import K2Config
import K2Provider
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
    /// The conversation this run continues (an ACP session's earlier turns: the messages `EngineEvent.message`
    /// reported, in order, without the system prompt). Calls left unanswered by a stopped turn are answered as not
    /// run; the oldest turns are left out when the whole would not fit the model's window.
    public var history: [ChatMessage]
    /// The role the user picked for this run (ACP's `model` option); nil lets the profile's rules decide.
    public var modelRole: ModelRole?
    /// Set to write each change as it is made (`AgentChangeDelivery.asMade`), reading files through it too; nil
    /// keeps every change in the overlay and returns them as `AgentOutcome.edits`.
    public var fileAccess: (any AgentFileAccess)?
    /// What the user attached to the instruction (files they mentioned, text they pasted from the editor).
    public var attachments: [AgentAttachment]
    /// Offers the `update_plan` tool, for front ends that show the model's plan (`EngineEvent.plan`).
    public var offersPlan: Bool

    public init(
        instruction: String, workspaceRoot: String, document: DocumentSnapshot? = nil, selection: TextRange? = nil,
        diagnostics: [String: [DiagnosticInfo]] = [:], permissions: any ToolPermissionPolicy = .unattended,
        toolSources: [any AgentToolSource]? = nil, history: [ChatMessage] = [], modelRole: ModelRole? = nil,
        fileAccess: (any AgentFileAccess)? = nil, attachments: [AgentAttachment] = [], offersPlan: Bool = false
    ) {
        self.instruction = instruction
        self.workspaceRoot = workspaceRoot
        self.document = document
        self.selection = selection
        self.diagnostics = diagnostics
        self.permissions = permissions
        self.toolSources = toolSources
        self.history = history
        self.modelRole = modelRole
        self.fileAccess = fileAccess
        self.attachments = attachments
        self.offersPlan = offersPlan
    }

    var changeDelivery: AgentChangeDelivery { fileAccess == nil ? .atTheEnd : .asMade }
}

/// Something the user attached to an instruction.
public struct AgentAttachment: Sendable, Hashable {
    /// An absolute path (a workspace file), or a URI for something that is not a local file.
    public var location: String
    /// The text the user attached (a selection, an unsaved buffer); nil for a file the agent reads with its tools.
    public var text: String?

    public init(location: String, text: String? = nil) {
        self.location = location
        self.text = text
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
    /// Why the model's last turn ended, as the server said (`stop`, `content_filter`, …).
    public var finishReason: String?

    public init(
        edits: [FileEdit], summary: String, steps: [AgentStep], model: String, usage: UsageTotals,
        finishReason: String? = nil
    ) {
        self.edits = edits
        self.summary = summary
        self.steps = steps
        self.model = model
        self.usage = usage
        self.finishReason = finishReason
    }
}
