// What the engine reports while it works. LSP renders these as $/progress and k2/toolCall; the CLI as stderr lines.
import AnyJSON

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

    public init(
        step: Int, tool: String, arguments: JSONValue, status: Status, resultPreview: String?,
        traits: ToolTraits? = nil
    ) {
        self.step = step
        self.tool = tool
        self.arguments = arguments
        self.status = status
        self.resultPreview = resultPreview
        self.traits = traits
    }
}

public enum EngineEvent: Sendable, Hashable {
    /// A new stage began; `detail` says more (e.g. the model, or "12 files").
    case stage(EngineStage, detail: String?)
    /// Reasoning text streamed by K2 Thinking (a delta).
    case reasoning(String)
    /// How much reply text has arrived so far.
    case receiving(characters: Int)
    /// A model call is being retried after a transient failure.
    case retrying(attempt: Int, reason: String)
    /// A tool call of an agent run changed state.
    case toolCall(ToolCallProgress)
    /// Something the user should see once (a fallback, a configuration problem).
    case notice(String)
    /// A model turn finished with this usage.
    case usage(promptTokens: Int, completionTokens: Int, cachedTokens: Int?)
}

/// Receives engine events. Called from any task; must not block.
public typealias EngineEventSink = @Sendable (EngineEvent) -> Void
