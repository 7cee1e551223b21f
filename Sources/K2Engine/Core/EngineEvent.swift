// What the engine reports while it works. LSP renders these as $/progress and k2/toolCall, ACP as session/update, the
// CLI as stderr lines; each front end takes what it shows and ignores the rest.
import AnyJSON
import K2Provider

public enum EngineStage: String, Sendable, Hashable {
    case gatheringContext = "Gathering context"
    case waitingForModel = "Waiting for K2"
    case receiving = "Receiving"
    case repairing = "Asking K2 to repair its edit"
    case runningTool = "Running a tool"
    case startingToolServers = "Starting MCP servers"
    case applying = "Applying"
}

public struct ToolCallProgress: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// `refused`: the run's permission policy did not let the call run (the model was told why).
        case started, done, failed, refused
    }
    public var step: Int
    public var tool: String
    public var arguments: JSONValue
    public var status: Status
    public var resultPreview: String?
    /// The tool's kind and origin (nil for a tool the model named that does not exist).
    public var traits: ToolTraits?
    /// The model's id for the call (the same in every event of one call).
    public var callID: String?
    /// What the call looks like to the user: a title, its files, the change it makes (see `ToolCallPresentation`).
    public var presentation: ToolCallPresentation?
    /// What the model was told when the call ended (capped like the tool result), for front ends that show it whole.
    public var output: String?

    public init(
        step: Int, tool: String, arguments: JSONValue, status: Status, resultPreview: String?,
        traits: ToolTraits? = nil, callID: String? = nil, presentation: ToolCallPresentation? = nil,
        output: String? = nil
    ) {
        self.step = step
        self.tool = tool
        self.arguments = arguments
        self.status = status
        self.resultPreview = resultPreview
        self.traits = traits
        self.callID = callID
        self.presentation = presentation
        self.output = output
    }
}

/// One step of the plan the model states with `update_plan`.
public struct PlanStep: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case pending
        case inProgress = "in_progress"
        case completed
    }

    public var text: String
    public var status: Status

    public init(text: String, status: Status) {
        self.text = text
        self.status = status
    }
}

public enum EngineEvent: Sendable, Hashable {
    /// A new stage began; `detail` says more (e.g. the model, or "12 files").
    case stage(EngineStage, detail: String?)
    /// Reasoning text streamed by K2 Thinking (a delta).
    case reasoning(String)
    /// How much reply text has arrived so far.
    case receiving(characters: Int)
    /// Reply text as it streams (a delta), for front ends that show the reply as it is written.
    case replyText(String)
    /// A model call is being retried after a transient failure.
    case retrying(attempt: Int, reason: String)
    /// A tool call of an agent run changed state.
    case toolCall(ToolCallProgress)
    /// Something the user should see once (a fallback, a configuration problem).
    case notice(String)
    /// A model turn finished with this usage.
    case usage(promptTokens: Int, completionTokens: Int, cachedTokens: Int?)
    /// A message joined an agent run's conversation (the user's instruction, each assistant turn, each tool result),
    /// for front ends that keep conversations: appended in order, they are the history a later run continues.
    case message(ChatMessage)
    /// The model stated or updated its plan.
    case plan([PlanStep])
}

/// Receives engine events. Called from any task; must not block.
public typealias EngineEventSink = @Sendable (EngineEvent) -> Void
