// Builds the OpenAI-compatible `POST /chat/completions` body from a request and the model's profile: a pure function.
import AnyJSON
import Foundation
import K2Models

public enum ChatRequestEncoder {
    /// Sent as `reasoning_content` where the profile wants reasoning replayed but it is unknown: K2 Thinking
    /// rejects a tool-call message without it, and newer models reject an empty string.
    public static let reasoningPlaceholder = "(reasoning not recorded)"
    /// Sent as a tool result's content when the tool produced none: empty content is rejected.
    public static let emptyToolResultPlaceholder = "(no output)"
    /// Fields the client owns; configured extras never replace them.
    static let reservedFields: Set<String> = ["model", "messages", "stream", "stream_options", "tools", "tool_choice"]
    static let maximumStopSequences = 4

    /// - Parameter fixes: what earlier 400s taught about this model; applied last, so they win over the profile.
    public static func body(for request: ChatRequest, endpoint: ProviderEndpoint, fixes: [BodyFix] = []) -> JSONValue {
        let profile = endpoint.profile
        var history = endpoint.normalizesToolCallIDs ? ToolCallIDNormalizer.normalize(request.messages) : request.messages
        if !profile.partialMode || fixes.contains(.noPartialMode) {
            // A server without partial mode would take the prefix as a finished answer.
            history.removeAll { $0.partial }
        }
        let replay = fixes.contains(.replayReasoningEverywhere) ? .everyMessage : profile.reasoningReplay
        var body: [String: JSONValue] = [:]
        for (key, value) in endpoint.extraBody.merging(request.extraBody, uniquingKeysWith: { _, perRequest in perRequest })
        where !reservedFields.contains(key) {
            body[key] = value
        }
        body["model"] = .string(endpoint.model)
        body["messages"] = .array(history.map { encode($0, replay: replay) })
        body["stream"] = true
        body["stream_options"] = ["include_usage": true]
        var outputField = profile.outputLimitField
        var outputTokens = MaxTokensFitter.fit(
            requested: profile.outputTokens(forTask: request.maxTokens, at: endpoint.reasoning),
            promptTokenEstimate: request.promptTokenEstimate,
            contextWindow: endpoint.effectiveContextWindow
        )
        for fix in fixes {
            switch fix {
            case .renameOutputLimit(let field): outputField = field
            case .capOutputLimit(let limit): outputTokens = min(outputTokens, limit)
            case .drop, .noPartialMode, .replayReasoningEverywhere: break
            }
        }
        body[outputField] = .int(outputTokens)
        if let temperature = profile.sampling.temperature {
            body["temperature"] = .double(min(max(temperature, 0), 2))
        }
        if let field = profile.thinking.field, let value = profile.thinking.value(at: endpoint.reasoning) {
            body[field] = value
        }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map(encode))
        }
        if let stop = request.stop?.filter({ !$0.isEmpty }), !stop.isEmpty {
            body["stop"] = .array(stop.prefix(maximumStopSequences).map { .string($0) })
        }
        for case .drop(let field) in fixes where !BodyHealer.essentialFields.contains(field) {
            body[field] = nil
        }
        return .object(body)
    }

    static func encode(_ message: ChatMessage, replay: ReasoningReplay = .whenKnown) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
        switch message.role {
        case .assistant:
            if !message.toolCalls.isEmpty {
                object["tool_calls"] = .array(message.toolCalls.map(encode))
            }
            if let reasoning = replayedReasoning(of: message, replay: replay) {
                object["reasoning_content"] = .string(reasoning)
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

    /// The `reasoning_content` an assistant message goes back with, or nil for none. A partial prefill never
    /// carries any: it is the start of the answer being written.
    private static func replayedReasoning(of message: ChatMessage, replay: ReasoningReplay) -> String? {
        guard !message.partial else { return nil }
        let known = message.reasoningContent.flatMap {
            $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0
        }
        let required: Bool
        switch replay {
        case .everyMessage: required = true
        case .toolCallMessages: required = !message.toolCalls.isEmpty
        case .whenKnown: required = !message.toolCalls.isEmpty
        }
        if required { return known ?? reasoningPlaceholder }
        return replay == .whenKnown ? known : nil
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
