// One prompt turn's engine events as session/update notifications, sent as they happen and in order, and the
// conversation they add to the session. Once the turn is answered nothing more is sent.
import ACP
import K2Engine
import Synchronization

final class TurnUpdates: Sendable {
    private struct State {
        var open = true
        /// Each call's first report, by id, to store with its final state.
        var started: [String: ToolCallInfo] = [:]
        var modelsUsed: [String] = []
    }

    let sessionID: SessionID
    let conversation: ConversationLog
    /// The model's window, for usage updates.
    let contextWindow: Int
    private let sendUpdate: @Sendable (SessionUpdate) -> Void
    private let state = Mutex(State())

    init(
        sessionID: SessionID, conversation: ConversationLog, contextWindow: Int,
        send: @escaping @Sendable (SessionUpdate) -> Void
    ) {
        self.sessionID = sessionID
        self.conversation = conversation
        self.contextWindow = contextWindow
        self.sendUpdate = send
    }

    var sink: EngineEventSink {
        { [self] event in handle(event) }
    }

    /// Sends an update unless the turn is over.
    func send(_ update: SessionUpdate) {
        // The lock is held while sending so that updates leave in the order they were made and none after `close`.
        state.withLock { state in
            if state.open { sendUpdate(update) }
        }
    }

    /// The turn is answered: later events are dropped.
    func close() {
        state.withLock { $0.open = false }
    }

    /// A call the permission policy let run (calls the turn did not report, like plan updates, stay unreported).
    func started(callID: String) {
        guard state.withLock({ $0.started[callID] != nil }) else { return }
        send(.toolCallUpdate(ToolCallInfo(toolCallId: callID, status: .inProgress)))
    }

    /// The model ids the turn called, in order.
    var modelsUsed: [String] { state.withLock { $0.modelsUsed } }

    private func handle(_ event: EngineEvent) {
        switch event {
        case .reasoning(let delta):
            if !delta.isEmpty { send(.agentThoughtChunk(.text(delta))) }
        case .replyText(let delta):
            if !delta.isEmpty { send(.agentMessageChunk(.text(delta))) }
        case .toolCall(let progress):
            toolCall(progress)
        case .plan(let steps):
            send(.plan(steps.map { PlanEntry(content: $0.text, priority: .medium, status: PlanEntry.Status($0.status)) }))
        case .usage(let promptTokens, let completionTokens, _):
            send(.usage(used: promptTokens + completionTokens, size: contextWindow))
        case .message(let message):
            conversation.append(message)
        case .notice(let text):
            let shown = "> \(text)\n\n"
            send(.agentMessageChunk(.text(shown)))
            conversation.record(.agentText(shown))
        case .stage(.waitingForModel, let model?):
            state.withLock { $0.modelsUsed.append(model) }
        case .stage, .receiving, .retrying:
            break
        }
    }

    private func toolCall(_ progress: ToolCallProgress) {
        if progress.presentation?.isBookkeeping == true { return }
        let id = ToolCallRendering.id(progress)
        if progress.status == .started {
            let info = ToolCallRendering.started(progress)
            state.withLock { $0.started[id] = info }
            send(.toolCall(info))
            return
        }
        let finished = ToolCallRendering.finished(progress)
        let first = state.withLock { $0.started.removeValue(forKey: id) } ?? ToolCallRendering.started(progress)
        send(.toolCallUpdate(finished))
        conversation.record(.toolCall(ToolCallRendering.merged(first, finished)))
    }
}

extension PlanEntry.Status {
    init(_ status: PlanStep.Status) {
        switch status {
        case .pending: self = .pending
        case .inProgress: self = .inProgress
        case .completed: self = .completed
        }
    }
}
