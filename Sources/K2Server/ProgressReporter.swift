// Renders engine events for one request as LSP work-done progress ($/progress begin/report/end).
import AnyJSON
import Foundation
import JSONRPC
import K2Engine
import LSP
import Synchronization

/// Reports progress under the client's `workDoneToken`, or under a token the server creates when the client supports
/// `window/workDoneProgress/create`. Without either, events are dropped. Cancelling the progress in the editor
/// cancels the request.
final class ProgressReporter: Sendable {
    private struct State {
        var token: JSONValue?
        var begun = false
        var ended = false
        var lastStage: EngineStage?
        var reasoning = ""
        /// Streamed text arrives in many small deltas; reports about it go out a few times a second at most.
        var lastStreamReport = ContinuousClock.now

        mutating func mayReportStream() -> Bool {
            guard ContinuousClock.now - lastStreamReport > .milliseconds(250) else { return false }
            lastStreamReport = .now
            return true
        }
    }

    private let server: LanguageServer
    private let title: String
    private let state = Mutex(State())

    private init(server: LanguageServer, title: String, token: JSONValue?) {
        self.server = server
        self.title = title
        state.withLock { $0.token = token }
    }

    /// A reporter for a request. `clientToken` is the request's `workDoneToken` if it sent one. A token the server
    /// creates needs the editor's answer first; an editor that does not answer within `progressCreateTimeout` gets
    /// no progress for this request, and the request goes on.
    static func start(server: LanguageServer, requestID: RequestID, title: String, clientToken: JSONValue?) async
        -> ProgressReporter
    {
        var token = clientToken
        if token == nil, server.features.workDoneProgress {
            let created = JSONValue.string("k2lsp-progress-\(UUID().uuidString)")
            do {
                _ = try await server.connection.request(
                    WorkDoneProgressCreateRequest(token: created), timeout: server.options.progressCreateTimeout)
                token = created
            } catch OutgoingRequestError.timedOut(let waited) {
                server.logger.info(
                    "The editor did not answer window/workDoneProgress/create within \(waited); going on without progress.")
            } catch {
                server.logger.debug("No progress for this request: \(error)")
            }
        }
        if let token { server.progressTokens.register(token, for: requestID) }
        let reporter = ProgressReporter(server: server, title: title, token: token)
        reporter.send(.begin(title: title, message: "Starting", cancellable: true))
        return reporter
    }

    /// The sink to give the engine.
    var events: EngineEventSink {
        { [self] event in handle(event) }
    }

    private func handle(_ event: EngineEvent) {
        switch event {
        case .stage(let stage, let detail):
            let isNew = state.withLock { state -> Bool in
                defer { state.lastStage = stage }
                return state.lastStage != stage
            }
            if isNew { send(.report(message: detail.map { "\(stage.rawValue): \($0)" } ?? stage.rawValue)) }
        case .reasoning(let delta):
            let summary = state.withLock { state -> String? in
                state.reasoning += delta
                if state.reasoning.count > 4000 { state.reasoning = String(state.reasoning.suffix(2000)) }
                return state.mayReportStream() ? Self.lastSentence(of: state.reasoning) : nil
            }
            if let summary { send(.report(message: "Thinking: \(summary)")) }
        case .receiving(let characters):
            if state.withLock({ $0.mayReportStream() }) {
                send(.report(message: "Receiving (\(characters) characters)"))
            }
        case .retrying(let attempt, let reason):
            send(.report(message: "Retrying (attempt \(attempt)): \(reason)"))
        case .notice(let text):
            server.showMessage(.warning, text)
        case .toolCall(let progress):
            send(.report(message: "\(progress.tool) \(progress.status.rawValue)"))
        case .usage:
            break
        }
    }

    func finish(_ message: String? = nil) {
        let shouldSend = state.withLock { state -> Bool in
            defer { state.ended = true }
            return !state.ended
        }
        if shouldSend { send(.end(message: message)) }
        if let token = state.withLock({ $0.token }) { server.progressTokens.unregister(token) }
    }

    private func send(_ progress: WorkDoneProgress) {
        guard let token = state.withLock({ state -> JSONValue? in state.ended && progress.kind != .end ? nil : state.token })
        else { return }
        guard let value = try? JSONValue(encoding: progress) else { return }
        server.connection.notify(ProgressNotification(token: token, value: value))
    }

    static func lastSentence(of text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let sentences = trimmed.split(whereSeparator: { ".!?\n".contains($0) })
        let last = sentences.last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? trimmed
        return last.count > 120 ? String(last.suffix(120)) : last
    }
}

/// Which request each progress token belongs to, so `window/workDoneProgress/cancel` can cancel it.
final class ProgressTokens: Sendable {
    private let tokens = Mutex<[JSONValue: RequestID]>([:])

    func register(_ token: JSONValue, for id: RequestID) { tokens.withLock { $0[token] = id } }
    func unregister(_ token: JSONValue) { _ = tokens.withLock { $0.removeValue(forKey: token) } }
    func request(for token: JSONValue) -> RequestID? { tokens.withLock { $0[token] } }
}
