// What the engine asks of a chat model for one turn: messages, tools and the output budget.
import AnyJSON

/// One chat-completions request, independent of any server. How it is shaped for a model (sampling, thinking,
/// the output-limit field) comes from the endpoint's profile, not from here.
public struct ChatRequest: Sendable, Hashable {
    public var messages: [ChatMessage]
    /// Tools offered for this turn; tool calling is on whenever this is non-empty (`tool_choice` is left to "auto").
    public var tools: [ToolDefinition]
    /// The task's output budget. Always sent (some servers default to about 1024 otherwise, and rate limits count
    /// it, so size it to the task); a reasoning reply gets the profile's allowance on top, and the sum is clamped
    /// to what the context window leaves when `promptTokenEstimate` is known.
    public var maxTokens: Int
    /// Stop sequences; at most four are sent (the strictest servers' limit).
    public var stop: [String]?
    /// The caller's estimate of the prompt's size in tokens, used to fit the output limit into the window.
    public var promptTokenEstimate: Int?
    /// Extra body fields for this request only; they never replace fields the client owns.
    public var extraBody: [String: JSONValue]
    /// Whether the request may wait for a rate-limit pause or a free slot at the endpoint.
    public var queueing: Queueing

    public init(
        messages: [ChatMessage],
        tools: [ToolDefinition] = [],
        maxTokens: Int,
        stop: [String]? = nil,
        promptTokenEstimate: Int? = nil,
        extraBody: [String: JSONValue] = [:],
        queueing: Queueing = .waits
    ) {
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
        self.stop = stop
        self.promptTokenEstimate = promptTokenEstimate
        self.extraBody = extraBody
        self.queueing = queueing
    }

    public enum Queueing: Sendable, Hashable {
        /// Someone is waiting for the answer (a command, an invoked completion): wait out a rate limit within the
        /// retry policy's cap, queue for a slot, retry a 429.
        case waits
        /// Nobody waits (automatic inline completion): while the endpoint is paused or full, fail at once with
        /// `.rateLimited` and send nothing; never retry a 429.
        case failsFast
    }
}
