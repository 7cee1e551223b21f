// What one completed model turn produced: text, reasoning, tool calls, why it stopped and what it cost.

/// Token counts reported by the server.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// Prompt tokens served from the provider's prefix cache, when reported.
    public var cachedTokens: Int?
    /// Completion tokens spent on reasoning, when reported.
    public var reasoningTokens: Int?

    public init(promptTokens: Int, completionTokens: Int, cachedTokens: Int? = nil, reasoningTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
    }

    public var totalTokens: Int { promptTokens + completionTokens }
}

/// A finished assistant turn. Only a stream that reached its terminal chunk becomes a `ChatTurn`.
public struct ChatTurn: Sendable, Hashable {
    /// Visible text, with inline `<think>` blocks and leaked raw tool-call markers removed.
    public var content: String
    public var reasoningContent: String?
    public var toolCalls: [ToolCall]
    /// As the server reported it (`stop`, `tool_calls`, `length`, `content_filter`…); engines differ, so decide
    /// "tool turn" with `isToolTurn`.
    public var finishReason: String?
    public var usage: TokenUsage?
    /// The model that answered, as the server named it (falls back to the endpoint's model).
    public var model: String
    /// False when the server ignored `stream: true` and answered with one JSON document.
    public var streamed: Bool

    public init(
        content: String,
        reasoningContent: String? = nil,
        toolCalls: [ToolCall] = [],
        finishReason: String? = nil,
        usage: TokenUsage? = nil,
        model: String,
        streamed: Bool = true
    ) {
        self.content = content
        self.reasoningContent = reasoningContent
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
        self.streamed = streamed
    }

    /// Whether the model asked for tools, decided from the collected calls rather than `finish_reason`.
    public var isToolTurn: Bool { !toolCalls.isEmpty }

    /// Whether the output hit `max_tokens` (tool-call arguments may then be truncated).
    public var wasTruncatedByLength: Bool { finishReason == "length" }

    /// The message to append to the conversation history, reasoning included.
    public var assistantMessage: ChatMessage {
        ChatMessage(role: .assistant, content: content, reasoningContent: reasoningContent, toolCalls: toolCalls)
    }
}
