// The limits of one agent run and the checks that enforce them: turns, tokens, repeated calls, output size.
import AnyJSON
import K2Config
import K2Provider

/// How far one run may go. From `agent.*` in the configuration.
public struct AgentLimits: Sendable, Hashable {
    /// Model turns (requests) per run.
    public var maxTurns: Int
    /// Prompt plus completion tokens summed over the run's turns.
    public var maxTokensPerRun: Int
    /// Characters of one tool result sent to the model.
    public var toolOutputLimit: Int
    /// The same call this many times gets a warning in its result …
    public var repeatWarningCount: Int
    /// … and this many times stops the run.
    public var repeatStopCount: Int

    public init(
        maxTurns: Int = 25, maxTokensPerRun: Int = 400_000, toolOutputLimit: Int = 100_000, repeatWarningCount: Int = 3,
        repeatStopCount: Int = 5
    ) {
        self.maxTurns = maxTurns
        self.maxTokensPerRun = maxTokensPerRun
        self.toolOutputLimit = toolOutputLimit
        self.repeatWarningCount = repeatWarningCount
        self.repeatStopCount = repeatStopCount
    }

    public init(_ settings: AgentSettings) {
        self.init(
            maxTurns: settings.maxTurns, maxTokensPerRun: settings.maxTokensPerRun,
            toolOutputLimit: settings.toolOutputLimit)
    }
}

/// Why a run stopped before the model finished. The run then returns no edit: a half-done change is not what the
/// user asked for.
public enum AgentStopReason: Sendable, Hashable, CustomStringConvertible {
    case turnLimit(turns: Int)
    case tokenBudget(used: Int, limit: Int)
    case repeatedCall(tool: String, times: Int)

    public var description: String {
        let tail = "Nothing was changed."
        switch self {
        case .turnLimit(let turns):
            return "The agent stopped: K2 was still calling tools after \(turns) turns (agent.max_turns). \(tail) Give a narrower instruction, or raise agent.max_turns."
        case .tokenBudget(let used, let limit):
            return "The agent stopped: the run used \(used) tokens, over its budget of \(limit) (agent.max_tokens_per_run). \(tail) Give a narrower instruction, or raise agent.max_tokens_per_run."
        case .repeatedCall(let tool, let times):
            return "The agent stopped: K2 made the same \(tool) call \(times) times without getting further. \(tail) Rephrase the instruction or give K2 the missing information."
        }
    }

    var error: EngineError { .refused(description) }
}

/// Counts identical calls (same tool, same arguments) over a run.
struct RepeatTracker {
    private var counts: [String: Int] = [:]

    /// Records a call and returns how many times it has now been made.
    mutating func record(_ call: ToolCall) -> Int {
        // Parsed and re-serialized with sorted keys, so spacing and key order do not hide a repeat.
        let arguments = call.parsedArguments?.serialized() ?? call.arguments
        let key = call.name + "\u{0}" + arguments
        counts[key, default: 0] += 1
        return counts[key] ?? 1
    }
}

enum ToolOutput {
    /// How to ask a workspace tool for less (the default `AgentTool.outputCutAdvice`).
    static let workspaceToolAdvice = "Ask for less, e.g. read_file with start_line and end_line, or a narrower path."

    /// Output over `limit` characters, cut at a line break where one is near, with a note saying so.
    static func capped(_ text: String, limit: Int, advice: String) -> String {
        guard text.count > limit, limit > 0 else { return text }
        var kept = text.prefix(limit)
        if let lastBreak = kept.lastIndex(of: "\n"), kept.distance(from: kept.startIndex, to: lastBreak) > limit / 2 {
            kept = kept[...lastBreak]
        }
        return String(kept)
            + "\n[Output cut: showing \(kept.count) of \(text.count) characters (agent.tool_output_limit). \(advice)]"
    }

    /// One line for progress and the result's steps.
    static func preview(_ text: String, limit: Int = 200) -> String {
        let firstLines = text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: true).prefix(3)
        let joined = firstLines.joined(separator: " ⏎ ")
        return joined.count > limit ? String(joined.prefix(limit)) + "…" : joined
    }
}
