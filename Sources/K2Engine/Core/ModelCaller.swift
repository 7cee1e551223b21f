// One model turn for a task: choose the model, stream the reply, report progress, fall back from Thinking to Instruct.
import K2Config
import K2Provider
import Synchronization

struct ModelTurn: Sendable {
    var turn: ChatTurn
    var choice: ModelChoice
}

extension Engine {
    /// Runs one chat turn for `task`. `makeRequest` builds the request for the chosen model (temperature and
    /// max_tokens depend on it). When K2 Thinking is not available at the provider (404), the task is retried once
    /// on Instruct and the user is told, once.
    func callModel(
        task: K2Task, estimatedContextTokens: Int?, requestedRole: ModelRole? = nil, events: @escaping EngineEventSink,
        makeRequest: (ModelChoice) -> ChatRequest
    ) async throws -> ModelTurn {
        var choice = chooseModel(for: task, estimatedContextTokens: estimatedContextTokens, requestedRole: requestedRole)
        while true {
            noticeOnce(choice.notice, events: events)
            let client = try client(for: choice)
            let request = makeRequest(choice)
            events(.stage(.waitingForModel, detail: choice.provider.model))
            do {
                let turn = try await client.complete(request, onEvent: Self.forwarding(to: events))
                try Task.checkCancellation()
                if let usage = turn.usage {
                    // Real token counts correct the estimator that sizes future contexts.
                    let promptBytes = request.messages.reduce(0) { $0 + $1.content.utf8.count }
                    estimator.calibrate(promptCharacters: promptBytes, reportedPromptTokens: usage.promptTokens)
                    events(.usage(promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, cachedTokens: usage.cachedTokens))
                }
                return ModelTurn(turn: turn, choice: choice)
            } catch let error as ProviderError {
                if error.code == .cancelled { throw CancellationError() }
                if choice.role == .thinking, error.code == .modelNotFound {
                    markUnavailable(.thinking, reason: error.userMessage)
                    let fallback = chooseModel(
                        for: task, estimatedContextTokens: estimatedContextTokens, requestedRole: requestedRole)
                    if fallback.role != .thinking {
                        choice = fallback
                        continue
                    }
                }
                throw EngineError.provider(error)
            }
        }
    }

    /// Translates provider stream events into engine events.
    static func forwarding(to events: @escaping EngineEventSink) -> @Sendable (ChatStreamEvent) -> Void {
        let counter = CharacterCounter()
        return { event in
            switch event {
            case .firstByte:
                events(.stage(.receiving, detail: nil))
            case .contentDelta(let text):
                events(.receiving(characters: counter.add(text.count)))
                events(.replyText(text))
            case .reasoningDelta(let text):
                events(.reasoning(text))
            case .retrying(let attempt, _, let reason):
                events(.retrying(attempt: attempt, reason: reason))
            case .toolCallStarted, .toolCallArgumentsDelta, .usage:
                break
            }
        }
    }
}

/// Counts streamed characters across callbacks.
final class CharacterCounter: Sendable {
    private let total = Mutex(0)
    func add(_ count: Int) -> Int {
        total.withLock { value in
            value += count
            return value
        }
    }
}
