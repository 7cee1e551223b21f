// The conversation values the engine builds: messages, tool calls and tool definitions, free of wire details.
import AnyJSON
import Foundation

/// One message of a chat conversation.
public struct ChatMessage: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case system, user, assistant, tool
    }

    public var role: Role
    public var content: String
    /// The model's reasoning for an assistant message (K2 Thinking). Sent back with every assistant message that
    /// carries tool calls; the encoder substitutes a placeholder when it is unknown.
    public var reasoningContent: String?
    /// Calls an assistant message asked for.
    public var toolCalls: [ToolCall]
    /// For `.tool` messages: the exact id of the call this answers.
    public var toolCallID: String?
    /// For `.tool` messages: the tool's name.
    public var name: String?
    /// Moonshot partial mode: a final assistant message the model continues. Other servers may not support it.
    public var partial: Bool

    public init(
        role: Role,
        content: String,
        reasoningContent: String? = nil,
        toolCalls: [ToolCall] = [],
        toolCallID: String? = nil,
        name: String? = nil,
        partial: Bool = false
    ) {
        self.role = role
        self.content = content
        self.reasoningContent = reasoningContent
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
        self.partial = partial
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }

    public static func assistant(_ content: String, reasoning: String? = nil, toolCalls: [ToolCall] = []) -> ChatMessage {
        ChatMessage(role: .assistant, content: content, reasoningContent: reasoning, toolCalls: toolCalls)
    }

    /// The answer to one tool call; `content` should say what happened, errors included.
    public static func tool(callID: String, name: String, content: String) -> ChatMessage {
        ChatMessage(role: .tool, content: content, toolCallID: callID, name: name)
    }

    /// A prefix the model should continue (Moonshot partial mode).
    public static func partialAssistant(_ prefix: String) -> ChatMessage {
        ChatMessage(role: .assistant, content: prefix, partial: true)
    }
}

/// A function call the model asked for.
public struct ToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Raw JSON text exactly as the model sent it; it may be invalid or truncated, so validate before use.
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    /// The arguments parsed as JSON, or `nil` when the model sent invalid JSON.
    public var parsedArguments: JSONValue? {
        let trimmed = arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        return try? JSONValue(parsing: Data((trimmed.isEmpty ? "{}" : trimmed).utf8))
    }
}

/// A function the model may call. Keep schemas simple for K2 (no `format`, numeric bounds or `minItems`).
public struct ToolDefinition: Sendable, Hashable {
    public var name: String
    public var description: String
    /// A JSON schema object.
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue = ["type": "object", "properties": [:]]) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}
