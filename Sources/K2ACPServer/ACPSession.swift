// One ACP session: where it works, its engine, its choices, its conversation, and the prompt turn it is running.
import ACP
import Foundation
import K2Config
import K2Engine
import K2Provider
import Synchronization

/// The conversation of a session: what the model sees next turn, kept in memory and appended to the session file.
final class ConversationLog: Sendable {
    private let messages: Mutex<[ChatMessage]>
    let file: SessionFile?

    init(messages: [ChatMessage], file: SessionFile?) {
        self.messages = Mutex(messages)
        self.file = file
    }

    var history: [ChatMessage] { messages.withLock { $0 } }

    func append(_ message: ChatMessage) {
        messages.withLock { $0.append(message) }
        file?.append(.message(message))
    }

    func record(_ record: SessionRecord) {
        file?.append(record)
    }
}

final class ACPSession: Sendable {
    private struct State {
        var choices: SessionChoices
        /// Tools the user allowed for the rest of the session (`allow_always`): built-in edits as a group, MCP tools
        /// by name.
        var alwaysAllowed: Set<String> = []
        /// Turns running or waiting, by number; the last one started runs after the others.
        var turns: [Int: Task<Result<StopReason, any Error>, Never>] = [:]
        var lastTurn: Task<Result<StopReason, any Error>, Never>?
        var nextTurn = 0
        var titled: Bool
    }

    let id: SessionID
    let cwd: String
    let additionalDirectories: [String]
    let engine: Engine
    let conversation: ConversationLog
    private let state: Mutex<State>

    init(
        id: SessionID, cwd: String, additionalDirectories: [String], engine: Engine, conversation: ConversationLog,
        choices: SessionChoices, titled: Bool
    ) {
        self.id = id
        self.cwd = cwd
        self.additionalDirectories = additionalDirectories
        self.engine = engine
        self.conversation = conversation
        state = Mutex(State(choices: choices, titled: titled))
    }

    var choices: SessionChoices { state.withLock { $0.choices } }

    /// Changes the choices and records them; returns the new ones.
    @discardableResult
    func updateChoices(_ change: (inout SessionChoices) throws(ACPFailure) -> Void) throws(ACPFailure) -> SessionChoices {
        let updated = try state.withLock { state throws(ACPFailure) -> SessionChoices in
            var choices = state.choices
            try change(&choices)
            state.choices = choices
            return choices
        }
        conversation.record(.choices(updated))
        return updated
    }

    func isAlwaysAllowed(_ key: String) -> Bool { state.withLock { $0.alwaysAllowed.contains(key) } }
    func allowAlways(_ key: String) { _ = state.withLock { $0.alwaysAllowed.insert(key) } }

    /// Marks the session titled; true the first time (the first prompt names the session).
    func takeTitle() -> Bool {
        state.withLock { state in
            defer { state.titled = true }
            return !state.titled
        }
    }

    typealias Turn = Task<Result<StopReason, any Error>, Never>

    /// Runs one prompt turn, after the one before it (if any) has finished. Cancelling the caller, `cancelTurn()`
    /// and `close()` cancel it.
    func runTurn(_ body: @escaping @Sendable () async throws -> StopReason) async throws -> StopReason {
        let turn = startTurn(body)
        let result = await withTaskCancellationHandler {
            await turn.value
        } onCancel: {
            turn.cancel()
        }
        return try result.get()
    }

    private func startTurn(_ body: @escaping @Sendable () async throws -> StopReason) -> Turn {
        state.withLock { state in
            let number = state.nextTurn
            state.nextTurn += 1
            let previous = state.lastTurn
            let turn = Turn { [self] in
                defer { self.state.withLock { _ = $0.turns.removeValue(forKey: number) } }
                _ = await previous?.value
                do {
                    try Task.checkCancellation()
                    return .success(try await body())
                } catch {
                    return .failure(error)
                }
            }
            state.turns[number] = turn
            state.lastTurn = turn
            return turn
        }
    }

    /// `session/cancel`: the running turn (and any waiting behind it) stops and answers `cancelled`.
    func cancelTurn() {
        for turn in state.withLock({ Array($0.turns.values) }) { turn.cancel() }
    }

    /// Cancels the turns, waits for them, and stops the engine.
    func close() async {
        cancelTurn()
        _ = await state.withLock { $0.lastTurn }?.value
        await engine.shutdown()
    }
}
