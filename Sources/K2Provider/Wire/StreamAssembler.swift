// Builds a `ChatTurn` from decoded chunks, reporting cleaned deltas as they arrive.

/// Accumulates content, reasoning and tool calls (by `index`), the finish reason and usage. A turn exists only
/// once the stream reached a terminal: `[DONE]` or a `finish_reason`.
struct StreamAssembler: Sendable {
    private struct PartialCall: Sendable {
        var id: String
        var name: String
        var arguments: String
        var announced: Bool
    }

    private let fallbackModel: String
    private var thinkStripper = ThinkTagStripper()
    private var markerStripper = RawMarkerStripper()
    private var content = ""
    private var reasoning = ""
    private var calls: [Int: PartialCall] = [:]
    private var callOrder: [Int] = []
    private var finishReason: String?
    private var usage: TokenUsage?
    private var model: String?
    private var sawDone = false

    /// Whether anything the user could see has been reported (then a retry would show it twice).
    private(set) var hasOutput = false

    init(fallbackModel: String) {
        self.fallbackModel = fallbackModel
    }

    var reachedTerminal: Bool { sawDone || finishReason != nil }

    var hasFinishAndUsage: Bool { finishReason != nil && usage != nil }

    mutating func markDone() {
        sawDone = true
    }

    mutating func consume(_ chunk: ChatChunk) -> [ChatStreamEvent] {
        var events: [ChatStreamEvent] = []
        if let name = chunk.model, !name.isEmpty { model = name }
        if let text = chunk.reasoning, !text.isEmpty {
            reasoning += text
            events.append(.reasoningDelta(text))
        }
        if let text = chunk.content, !text.isEmpty {
            events += cleanContent(thinkStripper.feed(text))
        }
        for delta in chunk.toolCalls {
            events += consume(delta)
        }
        if let reason = chunk.finishReason, !reason.isEmpty { finishReason = reason }
        if let reported = chunk.usage {
            usage = reported
            events.append(.usage(reported))
        }
        if events.contains(where: \.isOutput) { hasOutput = true }
        return events
    }

    private mutating func cleanContent(_ pieces: [ThinkTagStripper.Piece]) -> [ChatStreamEvent] {
        var events: [ChatStreamEvent] = []
        for piece in pieces {
            switch piece {
            case .reasoning(let text):
                reasoning += text
                events.append(.reasoningDelta(text))
            case .content(let text):
                let visible = markerStripper.feed(text)
                if !visible.isEmpty {
                    content += visible
                    events.append(.contentDelta(visible))
                }
            case .strayClose:
                if reasoning.isEmpty { reasoning = content }
                content = ""
            }
        }
        return events
    }

    private mutating func consume(_ delta: ToolCallDelta) -> [ChatStreamEvent] {
        let index = delta.index ?? indexForDeltaWithoutIndex(id: delta.id)
        var call = calls[index] ?? PartialCall(id: "", name: "", arguments: "", announced: false)
        if calls[index] == nil { callOrder.append(index) }
        if let id = delta.id, call.id.isEmpty { call.id = id }
        if let name = delta.name, call.name.isEmpty { call.name = name }
        var events: [ChatStreamEvent] = []
        if !call.announced, !call.name.isEmpty {
            call.announced = true
            events.append(.toolCallStarted(index: index, id: call.id, name: call.name))
            // Fragments that came before the name was known are reported now, in order.
            if !call.arguments.isEmpty { events.append(.toolCallArgumentsDelta(index: index, fragment: call.arguments)) }
        }
        if let fragment = delta.arguments, !fragment.isEmpty {
            call.arguments += fragment
            if call.announced { events.append(.toolCallArgumentsDelta(index: index, fragment: fragment)) }
        }
        calls[index] = call
        return events
    }

    /// Engines that omit `index` either repeat the id (same call) or send a new id (next call); with neither,
    /// the fragment belongs to the latest call.
    private func indexForDeltaWithoutIndex(id: String?) -> Int {
        if let id, let existing = callOrder.first(where: { calls[$0]?.id == id }) { return existing }
        if id != nil || callOrder.isEmpty { return (callOrder.max() ?? -1) + 1 }
        return callOrder[callOrder.count - 1]
    }

    /// The finished turn, or `nil` when the stream never reached a terminal (then nothing of it may be used).
    mutating func finish(streamed: Bool = true) -> ChatTurn? {
        guard reachedTerminal else { return nil }
        _ = cleanContent(thinkStripper.flush())
        let tail = markerStripper.flush()
        content += tail
        var toolCalls = callOrder.compactMap { index -> ToolCall? in
            guard let call = calls[index], !call.name.isEmpty else { return nil }
            let id = call.id.isEmpty ? ToolCallIDNormalizer.nativeID(name: call.name, counter: index) : call.id
            return ToolCall(id: id, name: call.name, arguments: call.arguments)
        }
        if toolCalls.isEmpty { toolCalls = markerStripper.leakedToolCalls() }
        return ChatTurn(
            content: content,
            reasoningContent: reasoning.isEmpty ? nil : reasoning,
            toolCalls: toolCalls,
            finishReason: finishReason,
            usage: usage,
            model: model ?? fallbackModel,
            streamed: streamed
        )
    }
}

extension ChatStreamEvent {
    /// Content, reasoning or a tool call: something a user may have seen.
    var isOutput: Bool {
        switch self {
        case .contentDelta, .reasoningDelta, .toolCallStarted, .toolCallArgumentsDelta: return true
        case .firstByte, .usage, .retrying, .rateLimited: return false
        }
    }
}
