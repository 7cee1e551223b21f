// Server-sent events a scripted K2 server can send, with builders for K2-shaped `chat.completion.chunk`s.
import AnyJSON

/// One piece of an event stream as it goes on the wire.
public indirect enum SSEEvent: Sendable, Hashable {
    /// A `data:` event (a multi-line payload becomes several `data:` lines), ended by a blank line.
    case data(String)
    /// An event with an `event:` name.
    case named(event: String, data: String)
    /// A comment line (`: OPENROUTER PROCESSING`, keep-alives); `text` is written after ": ".
    case comment(String)
    /// Bytes exactly as given, for odd framing (CRLF, a missing blank line, a split UTF-8 sequence).
    case raw(String)
    /// Several events; the server sends them one by one, with the stream's chunk delay between them.
    case group([SSEEvent])

    /// The events this one stands for, groups flattened.
    public var flattened: [SSEEvent] {
        if case .group(let events) = self { return events.flatMap(\.flattened) }
        return [self]
    }

    /// The bytes of this event on the wire.
    public var wireText: String {
        switch self {
        case .data(let payload):
            return payload.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
        case .named(let event, let payload):
            return "event: \(event)\n" + SSEEvent.data(payload).wireText
        case .comment(let text):
            return ": \(text)\n\n"
        case .raw(let text):
            return text
        case .group(let events):
            return events.map(\.wireText).joined()
        }
    }
}

/// Defaults for fixture chunks.
public enum SSEFixtures {
    public static let model = "kimi-k2-scripted"
    /// What a plain scripted server's `GET /models` lists: Moonshot's live K2 ids and K3, so a key alone resolves
    /// K2 Instruct to kimi-k2.6 and K2 Thinking to kimi-k2.7-code.
    public static let listedModels = ["kimi-k2.6", "kimi-k2.7-code", "kimi-k3"]
    public static let chunkID = "chatcmpl-scripted"
}

extension SSEEvent {
    /// A `chat.completion.chunk` with one choice carrying `delta`.
    public static func chunk(
        delta: JSONValue,
        finishReason: String? = nil,
        choiceUsage: JSONValue? = nil,
        model: String = SSEFixtures.model
    ) -> SSEEvent {
        var choice: [String: JSONValue] = [
            "index": 0, "delta": delta, "finish_reason": finishReason.map { .string($0) } ?? .null,
        ]
        if let choiceUsage { choice["usage"] = choiceUsage }
        return .data(chunkEnvelope(choices: [.object(choice)], model: model).serialized())
    }

    /// The first delta most servers send: the role and empty content.
    public static var roleDelta: SSEEvent { .chunk(delta: ["role": "assistant", "content": ""]) }

    public static func content(_ text: String) -> SSEEvent { .chunk(delta: ["content": .string(text)]) }

    /// Moonshot's and vLLM's reasoning field.
    public static func reasoning(_ text: String) -> SSEEvent { .chunk(delta: ["reasoning_content": .string(text)]) }

    /// OpenRouter's reasoning: `reasoning` plus the same text again in `reasoning_details`.
    public static func openRouterReasoning(_ text: String) -> SSEEvent {
        .chunk(delta: [
            "role": "assistant", "content": "", "reasoning": .string(text),
            "reasoning_details": [["type": "reasoning.text", "text": .string(text), "format": "unknown", "index": 0]],
        ])
    }

    /// One tool call as K2 streams it: the first delta carries index, id and name; the rest carry fragments.
    public static func toolCall(index: Int, id: String, name: String, argumentsFragments: [String]) -> SSEEvent {
        let first = SSEEvent.chunk(delta: [
            "tool_calls": [[
                "index": .int(index), "id": .string(id), "type": "function",
                "function": ["name": .string(name), "arguments": ""],
            ]],
        ])
        let rest = argumentsFragments.map { fragment in
            SSEEvent.chunk(delta: ["tool_calls": [["index": .int(index), "function": ["arguments": .string(fragment)]]]])
        }
        return .group([first] + rest)
    }

    /// The chunk that ends a choice: empty delta plus `finish_reason` (`stop`, `tool_calls`, `length`).
    public static func finish(_ reason: String) -> SSEEvent { .chunk(delta: [:], finishReason: reason) }

    /// Usage in a final chunk with no choices (OpenAI, OpenRouter, vLLM), or inside `choices[0].usage` together
    /// with the finish reason (Moonshot) when `moonshotStyleFinish` is given.
    public static func usage(
        prompt: Int,
        completion: Int,
        cached: Int? = nil,
        moonshotStyleFinish: String? = nil
    ) -> SSEEvent {
        var usage: [String: JSONValue] = [
            "prompt_tokens": .int(prompt), "completion_tokens": .int(completion), "total_tokens": .int(prompt + completion),
        ]
        if let moonshotStyleFinish {
            if let cached { usage["cached_tokens"] = .int(cached) }
            return .chunk(delta: [:], finishReason: moonshotStyleFinish, choiceUsage: .object(usage))
        }
        if let cached { usage["prompt_tokens_details"] = ["cached_tokens": .int(cached)] }
        var envelope = chunkEnvelope(choices: [], model: SSEFixtures.model)
        if case .object(var object) = envelope {
            object["usage"] = .object(usage)
            envelope = .object(object)
        }
        return .data(envelope.serialized())
    }

    public static var done: SSEEvent { .data("[DONE]") }

    /// An OpenRouter-style error event inside a 200 stream.
    public static func errorEvent(message: String, code: JSONValue = 502) -> SSEEvent {
        .data(
            JSONValue.object([
                "id": .string(SSEFixtures.chunkID), "object": "chat.completion.chunk",
                "error": ["code": code, "message": .string(message)],
                "choices": [["index": 0, "delta": ["content": ""], "finish_reason": "error"]],
            ]).serialized()
        )
    }

    private static func chunkEnvelope(choices: [JSONValue], model: String) -> JSONValue {
        [
            "id": .string(SSEFixtures.chunkID), "object": "chat.completion.chunk", "created": 1_760_000_000,
            "model": .string(model), "choices": .array(choices),
        ]
    }
}
