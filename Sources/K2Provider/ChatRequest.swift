// What the engine asks of a chat model for one turn: messages, tools and sampling limits.
import AnyJSON

/// One chat-completions request, independent of any server.
public struct ChatRequest: Sendable, Hashable {
    public var messages: [ChatMessage]
    /// Tools offered for this turn; tool calling is on whenever this is non-empty (`tool_choice` is left to "auto").
    public var tools: [ToolDefinition]
    /// Output budget. Always sent: Moonshot defaults to about 1024 otherwise, and rate limits count it, so size it
    /// to the task. Clamped to what the context window leaves when the endpoint and `promptTokenEstimate` allow.
    public var maxTokens: Int
    /// K2 recommends 0.6 for Instruct and 1.0 for Thinking; clamped to Moonshot's range [0, 1].
    public var temperature: Double
    /// Stop sequences; at most four are sent (the strictest servers' limit).
    public var stop: [String]?
    /// The caller's estimate of the prompt's size in tokens, used to fit `max_tokens` into the window.
    public var promptTokenEstimate: Int?
    /// Extra body fields for this request only; they never replace fields the client owns.
    public var extraBody: [String: JSONValue]

    public init(
        messages: [ChatMessage],
        tools: [ToolDefinition] = [],
        maxTokens: Int,
        temperature: Double = ChatRequest.instructTemperature,
        stop: [String]? = nil,
        promptTokenEstimate: Int? = nil,
        extraBody: [String: JSONValue] = [:]
    ) {
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stop = stop
        self.promptTokenEstimate = promptTokenEstimate
        self.extraBody = extraBody
    }

    /// Moonshot's recommended temperature for K2 Instruct.
    public static let instructTemperature = 0.6
    /// Moonshot's recommended temperature for K2 Thinking.
    public static let thinkingTemperature = 1.0
}
