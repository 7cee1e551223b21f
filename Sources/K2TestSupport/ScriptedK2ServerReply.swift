// What the scripted K2 server answers to one request: a stream, a status, a stall, a drop, or a delay first.
import AnyJSON
import Synchronization

/// A tool call for `ScriptedReply.text`.
public struct ScriptedToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    /// JSON text; sent in a few fragments.
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A gate a scripted reply waits on until the test opens it.
public final class ReplyGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init() {}

    public func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state -> Bool in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if isOpen { continuation.resume() }
        }
    }
}

/// One scripted answer.
public indirect enum ScriptedReply: Sendable {
    /// `200 text/event-stream` with these events, waiting `chunkDelay` before each, then the end of the body.
    case stream([SSEEvent], chunkDelay: Duration = .zero)
    /// Sends the events, then sends nothing more and keeps the connection open until the client closes it.
    case streamThenStall([SSEEvent], chunkDelay: Duration = .zero)
    /// Sends the events, then closes the socket without ending the body.
    case streamThenDrop([SSEEvent], chunkDelay: Duration = .zero)
    /// A complete response with this status, body and headers (JSON content type unless given).
    case status(Int, body: String, headers: [String: String] = [:])
    /// Closes the connection before sending any byte.
    case dropConnection
    /// Waits, then answers with `reply`.
    case delayed(Duration, ScriptedReply)
    /// Waits until the test opens `gate`, then answers with `reply`: "the model is still working" without a clock.
    case afterGate(ReplyGate, ScriptedReply)

    /// An OpenAI-style error body: `{"error": {"type": …, "message": …}}`.
    public static func error(
        status: Int,
        type: String,
        message: String,
        headers: [String: String] = [:]
    ) -> ScriptedReply {
        let body: JSONValue = ["error": ["type": .string(type), "message": .string(message)]]
        return .status(status, body: body.serialized(), headers: headers)
    }

    /// A realistic stream: role delta, reasoning in a few deltas, content in several deltas, each tool call with
    /// its arguments in fragments, the finish chunk (`tool_calls` when there are calls), usage, `[DONE]`.
    public static func text(
        _ content: String,
        reasoning: String? = nil,
        toolCalls: [ScriptedToolCall] = [],
        usage: (prompt: Int, completion: Int, cached: Int?)? = (prompt: 12, completion: 7, cached: nil),
        finishReason: String? = nil,
        chunkDelay: Duration = .zero
    ) -> ScriptedReply {
        .stream(
            textEvents(content, reasoning: reasoning, toolCalls: toolCalls, usage: usage, finishReason: finishReason),
            chunkDelay: chunkDelay
        )
    }

    /// The events `text(…)` sends, for tests that want to alter them.
    public static func textEvents(
        _ content: String,
        reasoning: String? = nil,
        toolCalls: [ScriptedToolCall] = [],
        usage: (prompt: Int, completion: Int, cached: Int?)? = (prompt: 12, completion: 7, cached: nil),
        finishReason: String? = nil
    ) -> [SSEEvent] {
        var events: [SSEEvent] = [.roleDelta]
        if let reasoning { events += pieces(of: reasoning, count: 3).map { .reasoning($0) } }
        if !content.isEmpty { events += pieces(of: content, count: 4).map { .content($0) } }
        for (index, call) in toolCalls.enumerated() {
            events.append(
                .toolCall(index: index, id: call.id, name: call.name, argumentsFragments: pieces(of: call.arguments, count: 3))
            )
        }
        events.append(.finish(finishReason ?? (toolCalls.isEmpty ? "stop" : "tool_calls")))
        if let usage { events.append(.usage(prompt: usage.prompt, completion: usage.completion, cached: usage.cached)) }
        events.append(.done)
        return events
    }

    /// Splits text into up to `count` non-empty pieces of similar length.
    static func pieces(of text: String, count: Int) -> [String] {
        let characters = Array(text)
        guard !characters.isEmpty else { return [] }
        let size = max(1, (characters.count + count - 1) / count)
        return stride(from: 0, to: characters.count, by: size).map {
            String(characters[$0..<min($0 + size, characters.count)])
        }
    }
}
