// Builds the OpenAI-compatible `POST /chat/completions` body for a request: a pure function of its inputs.
import AnyJSON
import Foundation

public enum ChatRequestEncoder {
    /// Sent as `reasoning_content` on a tool-call message whose reasoning is unknown: K2 Thinking rejects such a
    /// message without it, and newer models reject an empty string.
    public static let reasoningPlaceholder = "(reasoning not recorded)"
    /// Sent as a tool result's content when the tool produced none: empty content is rejected.
    public static let emptyToolResultPlaceholder = "(no output)"
    /// Fields the client owns; configured extras never replace them.
    static let reservedFields: Set<String> = ["model", "messages", "stream", "stream_options", "tools", "tool_choice"]
    static let maximumStopSequences = 4

    public static func body(for request: ChatRequest, endpoint: ProviderEndpoint) -> JSONValue {
        let history = endpoint.normalizesToolCallIDs ? ToolCallIDNormalizer.normalize(request.messages) : request.messages
        var body: [String: JSONValue] = [:]
        for (key, value) in endpoint.extraBody.merging(request.extraBody, uniquingKeysWith: { _, perRequest in perRequest })
        where !reservedFields.contains(key) {
            body[key] = value
        }
        body["model"] = .string(endpoint.model)
        body["messages"] = .array(history.map(encode))
        body["stream"] = true
        body["stream_options"] = ["include_usage": true]
        body["max_tokens"] = .int(
            MaxTokensFitter.fit(
                requested: request.maxTokens,
                promptTokenEstimate: request.promptTokenEstimate,
                contextWindow: endpoint.contextWindow
            )
        )
        body["temperature"] = .double(min(max(request.temperature, 0), 1))
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map(encode))
        }
        if let stop = request.stop?.filter({ !$0.isEmpty }), !stop.isEmpty {
            body["stop"] = .array(stop.prefix(maximumStopSequences).map { .string($0) })
        }
        return .object(body)
    }

    static func encode(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
        switch message.role {
        case .assistant:
            if !message.toolCalls.isEmpty {
                object["tool_calls"] = .array(message.toolCalls.map(encode))
                let reasoning = message.reasoningContent ?? ""
                object["reasoning_content"] = .string(
                    reasoning.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? reasoningPlaceholder : reasoning
                )
            }
            if message.partial { object["partial"] = true }
            if let name = message.name { object["name"] = .string(name) }
        case .tool:
            if message.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                object["content"] = .string(emptyToolResultPlaceholder)
            }
            if let id = message.toolCallID { object["tool_call_id"] = .string(id) }
            if let name = message.name { object["name"] = .string(name) }
        case .system, .user:
            if let name = message.name { object["name"] = .string(name) }
        }
        return .object(object)
    }

    static func encode(_ call: ToolCall) -> JSONValue {
        let arguments = call.arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        return [
            "id": .string(call.id),
            "type": "function",
            "function": ["name": .string(call.name), "arguments": .string(arguments.isEmpty ? "{}" : call.arguments)],
        ]
    }

    static func encode(_ tool: ToolDefinition) -> JSONValue {
        var function: [String: JSONValue] = ["name": .string(tool.name), "parameters": tool.parameters]
        if !tool.description.isEmpty { function["description"] = .string(tool.description) }
        return ["type": "function", "function": .object(function)]
    }
}
