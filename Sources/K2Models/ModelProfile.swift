// How one model family is asked: thinking switch, sampling, output-limit field, reasoning replay, window.
import AnyJSON

/// Everything the request body depends on for one model. Values come from the catalog (and the user's
/// `models:` section); nothing about a particular model is written in code.
public struct ModelProfile: Sendable, Hashable {
    /// Prompt plus output may not exceed this many tokens (a hard 400 on the hosted API).
    public var contextWindow: Int
    public var sampling: Sampling
    /// The body field that carries the output limit: `max_tokens` or `max_completion_tokens`.
    public var outputLimitField: String
    public var thinking: ThinkingControl
    /// Which earlier assistant messages must carry their `reasoning_content` when history is sent back.
    public var reasoningReplay: ReasoningReplay
    /// Output tokens a reasoning reply typically spends before its answer; added to the task's output limit
    /// whenever the reply will reason, so a small task (a completion) is not cut off while the model thinks.
    public var reasoningAllowance: Int
    /// Whether `tool_choice: "required"` is accepted (k2lsp itself never sends it; shown by `k2lsp models`).
    public var allowsRequiredToolChoice: Bool
    /// Moonshot's partial mode: a final assistant message marked `partial` is continued by the model.
    public var partialMode: Bool

    public init(
        contextWindow: Int, sampling: Sampling, outputLimitField: String, thinking: ThinkingControl,
        reasoningReplay: ReasoningReplay, reasoningAllowance: Int = 0, allowsRequiredToolChoice: Bool = false,
        partialMode: Bool = false
    ) {
        self.contextWindow = contextWindow
        self.sampling = sampling
        self.outputLimitField = outputLimitField
        self.thinking = thinking
        self.reasoningReplay = reasoningReplay
        self.reasoningAllowance = reasoningAllowance
        self.allowsRequiredToolChoice = allowsRequiredToolChoice
        self.partialMode = partialMode
    }

    /// For ids the catalog does not know: no sampling fields (the server's defaults are right more often than a
    /// guess), `max_tokens` (every server reads it), reasoning replayed whenever it arrived, and the smaller window
    /// (overshooting the real one is a hard 400; undershooting only leaves room unused).
    public static let conservative = ModelProfile(
        contextWindow: 131_072, sampling: .serverDefault, outputLimitField: "max_tokens", thinking: .never,
        reasoningReplay: .whenKnown)

    /// The output limit to ask for a task that needs `taskTokens`, at `level`.
    public func outputTokens(forTask taskTokens: Int, at level: ReasoningLevel) -> Int {
        thinking.reasons(at: level) ? taskTokens + reasoningAllowance : taskTokens
    }

    /// A few words on how a request at `level` is shaped: "thinking off", "reasoning_effort low".
    public func requestSummary(at level: ReasoningLevel) -> String {
        thinking.summary(at: level)
    }

    /// One line for `k2lsp models`.
    public var description: String {
        var parts = [thinking.description, "\(contextWindow) tokens"]
        switch sampling {
        case .serverDefault: parts.append("fixed sampling (none sent)")
        case .temperature(let value): parts.append("temperature \(value)")
        }
        parts.append(outputLimitField)
        parts.append("replays reasoning on \(reasoningReplay.description)")
        if partialMode { parts.append("partial mode") }
        return parts.joined(separator: ", ")
    }
}

/// Whether sampling fields are sent.
public enum Sampling: Sendable, Hashable {
    /// Send no `temperature`, `top_p`, `n` or penalties: the server fixes them (any other value is a 400), or its
    /// defaults are best.
    case serverDefault
    /// Send this temperature (self-hosted K2 Instruct wants 0.6, K2 Thinking 1.0).
    case temperature(Double)

    public var temperature: Double? {
        if case .temperature(let value) = self { return value }
        return nil
    }
}

/// Which assistant messages of the history carry `reasoning_content`.
public enum ReasoningReplay: String, Sendable, Hashable, CaseIterable {
    /// Every earlier assistant message, as it was (kimi-k2.7-code, K3); a placeholder where it is unknown.
    case everyMessage = "every_message"
    /// Assistant messages that carry tool calls (K2 Thinking): a placeholder where it is unknown.
    case toolCallMessages = "tool_calls"
    /// Wherever it is known, plus a placeholder on tool-call messages (unknown models).
    case whenKnown = "when_known"

    public var description: String {
        switch self {
        case .everyMessage: "every assistant message"
        case .toolCallMessages: "tool-call messages"
        case .whenKnown: "messages where it is known"
        }
    }
}

/// How a model's reasoning is switched or tuned, as body fields.
public struct ThinkingControl: Sendable, Hashable {
    /// Whether the model reasons when the request says nothing about it.
    public var thinksByDefault: Bool
    /// The top-level body field that switches or tunes reasoning (`thinking`, `reasoning_effort`); nil when nothing
    /// does.
    public var field: String?
    /// The value of `field` that turns reasoning off; nil when it cannot be turned off.
    public var off: JSONValue?
    /// The lowest effort, for models that always reason.
    public var low: JSONValue?
    /// The value for full reasoning; nil sends nothing (the model's default).
    public var on: JSONValue?

    public init(thinksByDefault: Bool, field: String? = nil, off: JSONValue? = nil, low: JSONValue? = nil, on: JSONValue? = nil) {
        self.thinksByDefault = thinksByDefault
        self.field = field
        self.off = off
        self.low = low
        self.on = on
    }

    /// Never reasons; nothing to send.
    public static let never = ThinkingControl(thinksByDefault: false)
    /// Always reasons; nothing switches it.
    public static let always = ThinkingControl(thinksByDefault: true)

    /// The value to send in `field` for `level`; nil sends nothing.
    public func value(at level: ReasoningLevel) -> JSONValue? {
        guard field != nil else { return nil }
        switch level {
        case .least: return off ?? low
        case .full: return on
        }
    }

    /// Whether a reply at `level` carries reasoning.
    public func reasons(at level: ReasoningLevel) -> Bool {
        switch level {
        case .least: return field != nil && off != nil ? false : thinksByDefault
        case .full: return thinksByDefault || (field != nil && on != nil)
        }
    }

    /// Whether this model can answer without reasoning.
    public var canAnswerWithoutReasoning: Bool { !reasons(at: .least) }

    func summary(at level: ReasoningLevel) -> String {
        guard reasons(at: level) else { return "thinking off" }
        if let field, let value = value(at: level) {
            if let text = value.stringValue { return "\(field) \(text)" }
            if let effort = value["effort"]?.stringValue { return "\(field) effort \(effort)" }
        }
        return "thinking on"
    }

    public var description: String {
        switch (thinksByDefault, field, off) {
        case (false, nil, _): return "never thinks"
        case (true, nil, _): return "always thinks"
        case (_, let field?, _?): return "thinking switchable (\(field))"
        case (_, let field?, nil): return "always thinks (\(field) tunes it)"
        }
    }
}
