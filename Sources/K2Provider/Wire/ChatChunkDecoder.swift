// Decodes one SSE `data:` payload (or a whole non-streamed completion) into the fields a turn is built from.
import AnyJSON
import Foundation

/// What one `data:` payload meant.
enum DecodedChunk: Sendable, Hashable {
    /// `[DONE]`: the stream is complete.
    case done
    case chunk(ChatChunk)
    /// `{"error": …}` inside a 200 stream.
    case error(JSONValue)
    /// An empty payload or one that is not JSON: ignored, like a comment.
    case ignorable
}

/// The parts of a `chat.completion.chunk` that matter, from choice 0 (k2lsp always asks for one choice).
struct ChatChunk: Sendable, Hashable {
    var model: String?
    var content: String?
    var reasoning: String?
    var toolCalls: [ToolCallDelta] = []
    var finishReason: String?
    /// Top-level `usage` or Moonshot's `choices[0].usage`.
    var usage: TokenUsage?
}

/// One entry of `delta.tool_calls`: the first for a call carries `id` and `function.name`; later ones only
/// `function.arguments` fragments.
struct ToolCallDelta: Sendable, Hashable {
    var index: Int?
    var id: String?
    var name: String?
    var arguments: String?
}

enum ChatChunkDecoder {
    static func decode(_ data: String) -> DecodedChunk {
        let trimmed = data.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .ignorable }
        if trimmed == "[DONE]" { return .done }
        guard let json = try? JSONValue(parsing: Data(trimmed.utf8)), json.objectValue != nil else { return .ignorable }
        if let error = json["error"], !error.isNull { return .error(json) }
        return .chunk(chunk(from: json, messageKey: "delta"))
    }

    /// Reads a non-streamed `chat.completion` (a server that ignored `stream: true`) as one big chunk.
    static func decodeCompletion(_ body: Data) -> DecodedChunk {
        guard let json = try? JSONValue(parsing: body), json.objectValue != nil else { return .ignorable }
        if let error = json["error"], !error.isNull { return .error(json) }
        return .chunk(chunk(from: json, messageKey: "message"))
    }

    private static func chunk(from json: JSONValue, messageKey: String) -> ChatChunk {
        var chunk = ChatChunk()
        chunk.model = json["model"]?.stringValue
        chunk.usage = usage(from: json["usage"])
        let choice = json["choices"]?.arrayValue?.first { ($0["index"]?.intValue ?? 0) == 0 }
        guard let choice else { return chunk }
        if chunk.usage == nil { chunk.usage = usage(from: choice["usage"]) }
        chunk.finishReason = choice["finish_reason"]?.stringValue
        guard let delta = choice[messageKey] else { return chunk }
        chunk.content = delta["content"]?.stringValue
        chunk.reasoning = reasoning(from: delta)
        chunk.toolCalls = (delta["tool_calls"]?.arrayValue ?? []).map { entry in
            ToolCallDelta(
                index: entry["index"]?.intValue,
                id: entry["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                name: entry["function"]?["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                arguments: entry["function"]?["arguments"]?.stringValue
            )
        }
        return chunk
    }

    /// `reasoning_content` (Moonshot, vLLM), else `reasoning` (newer vLLM, OpenRouter), else the text of
    /// OpenRouter's `reasoning_details` — never more than one, since OpenRouter repeats the same text in both.
    private static func reasoning(from delta: JSONValue) -> String? {
        if let text = delta["reasoning_content"]?.stringValue { return text }
        if let text = delta["reasoning"]?.stringValue { return text }
        guard let details = delta["reasoning_details"]?.arrayValue else { return nil }
        let texts = details.compactMap { detail -> String? in
            guard detail["type"]?.stringValue != "reasoning.encrypted" else { return nil }
            return detail["text"]?.stringValue ?? detail["summary"]?.stringValue
        }
        return texts.isEmpty ? nil : texts.joined()
    }

    private static func usage(from json: JSONValue?) -> TokenUsage? {
        guard let json, json.objectValue != nil else { return nil }
        guard let prompt = json["prompt_tokens"]?.intValue, let completion = json["completion_tokens"]?.intValue else {
            return nil
        }
        let cached = json["cached_tokens"]?.intValue ?? json["prompt_tokens_details"]?["cached_tokens"]?.intValue
        let reasoningTokens = json["completion_tokens_details"]?["reasoning_tokens"]?.intValue
        return TokenUsage(
            promptTokens: prompt,
            completionTokens: completion,
            cachedTokens: cached,
            reasoningTokens: reasoningTokens
        )
    }
}
