// Shows what the engine is doing on stderr: a spinner with stage and elapsed time on a terminal, plain lines otherwise.
import AnyJSON
import Foundation
import K2Engine
import Synchronization

/// Renders `EngineEvent`s. On a terminal one line is redrawn in place (stage, elapsed time, characters received);
/// when stderr is a file or a pipe (CI logs) each stage change is one plain line. Retries, notices and tool calls
/// are always lines of their own; token counts come at the end.
final class ProgressReporter: Sendable {
    private struct State {
        var label: String?
        var stage = "Starting"
        var stageDetail: String?
        var characters = 0
        var reasoningCharacters = 0
        var started = ContinuousClock.now
        var frame = 0
        var spinnerLineShown = false
        var finished = false
        var promptTokens = 0
        var completionTokens = 0
        var cachedTokens: Int?
        var sawUsage = false
        var toolCallLines = 0
    }

    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    private let isTerminal: Bool
    private let state = Mutex(State())
    private let spinner = Mutex<Task<Void, Never>?>(nil)

    init(isTerminal: Bool = StandardStreams.errorIsTerminal) {
        self.isTerminal = isTerminal
        guard isTerminal else { return }
        spinner.withLock { task in
            task = Task { [weak self] in
                while !Task.isCancelled {
                    self?.redraw(advancing: true)
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
        }
    }

    /// Names what the next events are about (a file of a multi-file edit); nil for none.
    func begin(_ label: String?) {
        state.withLock { state in
            state.label = label
            state.stage = "Starting"
            state.stageDetail = nil
            state.characters = 0
            state.reasoningCharacters = 0
        }
    }

    var sink: EngineEventSink {
        { [self] event in handle(event) }
    }

    func handle(_ event: EngineEvent) {
        switch event {
        case .stage(let stage, let detail):
            let line = state.withLock { state -> String in
                state.stage = stage.rawValue
                state.stageDetail = detail
                state.characters = 0
                return Self.describeStage(state)
            }
            if isTerminal { redraw(advancing: false) } else { writeLine(line) }
        case .receiving(let characters):
            state.withLock { $0.characters = characters }
        case .reasoning(let delta):
            state.withLock { $0.reasoningCharacters += delta.count }
        case .retrying(let attempt, let reason):
            writeLine("Retrying (attempt \(attempt)): \(reason)")
        case .notice(let notice):
            writeLine("Note: \(notice)")
        case .toolCall(let progress):
            handleToolCall(progress)
        case .usage(let promptTokens, let completionTokens, let cachedTokens):
            state.withLock { state in
                state.sawUsage = true
                state.promptTokens += promptTokens
                state.completionTokens += completionTokens
                if let cachedTokens { state.cachedTokens = (state.cachedTokens ?? 0) + cachedTokens }
            }
        }
    }

    /// A line of its own (the spinner, if any, is redrawn below it).
    func writeLine(_ text: String) {
        state.withLock { state in
            let clear = state.spinnerLineShown ? "\r\u{1B}[2K" : ""
            state.spinnerLineShown = false
            StandardStreams.writeError(clear + text + "\n")
        }
    }

    /// How many tool calls were shown as they happened (the agent's step log).
    var toolCallLinesShown: Int { state.withLock { $0.toolCallLines } }

    /// Stops the spinner, clears its line and, when asked, prints the token counts and the elapsed time.
    func finish(showTotals: Bool) {
        spinner.withLock { task in
            task?.cancel()
            task = nil
        }
        let totals = state.withLock { state -> String? in
            state.finished = true
            if state.spinnerLineShown {
                StandardStreams.writeError("\r\u{1B}[2K")
                state.spinnerLineShown = false
            }
            guard showTotals, state.sawUsage else { return nil }
            var text = "Tokens: \(Self.grouped(state.promptTokens)) prompt"
            if let cached = state.cachedTokens, cached > 0 { text += " (\(Self.grouped(cached)) cached)" }
            text += " + \(Self.grouped(state.completionTokens)) completion"
            return text + " in \(Self.seconds(since: state.started))"
        }
        if let totals { StandardStreams.writeError(totals + "\n") }
    }

    private func handleToolCall(_ progress: ToolCallProgress) {
        switch progress.status {
        case .started:
            state.withLock { state in
                state.stage = "Step \(progress.step): \(progress.tool)"
                state.stageDetail = nil
            }
            redraw(advancing: false)
        case .done, .failed, .refused:
            let outcome = progress.status == .done ? "ok" : progress.status.rawValue
            var line = "  step \(progress.step) \(outcome): \(progress.tool)"
            line += " " + Self.clipped(progress.arguments.serialized(), to: 100)
            if let preview = progress.resultPreview?.split(separator: "\n").first, !preview.isEmpty {
                line += " -> " + Self.clipped(String(preview), to: 100)
            }
            state.withLock { $0.toolCallLines += 1 }
            writeLine(line)
        }
    }

    private func redraw(advancing: Bool) {
        guard isTerminal else { return }
        state.withLock { state in
            guard !state.finished else { return }
            if advancing { state.frame = (state.frame + 1) % Self.frames.count }
            var line = Self.frames[state.frame] + " " + Self.describeStage(state)
            line += " · " + Self.seconds(since: state.started)
            if state.reasoningCharacters > 0 && state.characters == 0 {
                line += " · thinking (\(Self.grouped(state.reasoningCharacters)) characters)"
            } else if state.characters > 0 {
                line += " · \(Self.grouped(state.characters)) characters"
            }
            let width = (StandardStreams.errorTerminalColumns ?? 80) - 1
            StandardStreams.writeError("\r\u{1B}[2K" + Self.clipped(line, to: max(width, 20)))
            state.spinnerLineShown = true
        }
    }

    private static func describeStage(_ state: State) -> String {
        var text = state.label.map { "\($0): " } ?? ""
        text += state.stage
        if let detail = state.stageDetail { text += " (\(detail))" }
        return text
    }

    private static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        return String(format: "%.1fs", Double(milliseconds) / 1000)
    }

    private static func clipped(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    /// 12345 -> "12,345", whatever the user's locale.
    static func grouped(_ value: Int) -> String {
        value.formatted(.number.locale(Locale(identifier: "en_US")))
    }
}
