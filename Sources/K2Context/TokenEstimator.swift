// Token estimates from character counts, calibrated per workspace from the prompt sizes providers report.
import Synchronization

/// Whether text is code (denser in tokens) or prose.
public enum TextKind: Sendable, Hashable {
    case code, prose
}

/// Characters per token for code and prose. Estimates are linear in UTF-8 length, so a cut can be computed in bytes.
public struct TokenRates: Sendable, Hashable {
    public var codeCharactersPerToken: Double
    public var proseCharactersPerToken: Double

    /// K2's tokenizer: about 3 characters per token for code and 4 for English prose.
    public static let k2Default = TokenRates(codeCharactersPerToken: 3.0, proseCharactersPerToken: 4.0)

    public init(codeCharactersPerToken: Double, proseCharactersPerToken: Double) {
        self.codeCharactersPerToken = codeCharactersPerToken
        self.proseCharactersPerToken = proseCharactersPerToken
    }

    public func charactersPerToken(_ kind: TextKind) -> Double {
        kind == .code ? codeCharactersPerToken : proseCharactersPerToken
    }

    public func estimate(_ text: String, kind: TextKind = .code) -> Int {
        estimate(byteCount: text.utf8.count, kind: kind)
    }

    /// Tokens for a text of this many UTF-8 bytes (a CJK character is three bytes and about one token).
    public func estimate(byteCount: Int, kind: TextKind = .code) -> Int {
        guard byteCount > 0 else { return 0 }
        return Int((Double(byteCount) / charactersPerToken(kind)).rounded(.up))
    }

    /// The most bytes whose estimate stays within `tokens`.
    public func byteCount(forTokens tokens: Int, kind: TextKind = .code) -> Int {
        guard tokens > 0 else { return 0 }
        return Int((Double(tokens) * charactersPerToken(kind)).rounded(.down))
    }
}

/// Shared estimator. `calibrate` moves the rates towards what the provider reported, as a moving average with the
/// correction bounded to [0.5, 2] of the defaults, so that one odd reply cannot wreck the budget.
public final class TokenEstimator: Sendable {
    public static let calibrationWeight = 0.2
    public static let correctionBounds: ClosedRange<Double> = 0.5...2.0

    private struct State {
        var base: TokenRates
        /// Tokens reported / tokens estimated; above 1 means the text was denser than assumed.
        var correction: Double
    }

    private let state: Mutex<State>

    public init(rates: TokenRates = .k2Default) {
        state = Mutex(State(base: rates, correction: 1.0))
    }

    /// The rates in force now; the builder takes them once per bundle so that one bundle is consistent.
    public var rates: TokenRates {
        state.withLock { state in
            TokenRates(
                codeCharactersPerToken: state.base.codeCharactersPerToken / state.correction,
                proseCharactersPerToken: state.base.proseCharactersPerToken / state.correction)
        }
    }

    public func estimate(_ text: String, kind: TextKind = .code) -> Int {
        rates.estimate(text, kind: kind)
    }

    /// Feeds back a real reply: the prompt's size in UTF-8 bytes and `usage.prompt_tokens`.
    public func calibrate(promptCharacters: Int, reportedPromptTokens: Int) {
        guard promptCharacters > 0, reportedPromptTokens > 0 else { return }
        state.withLock { state in
            let estimated = Double(promptCharacters) / state.base.codeCharactersPerToken
            let observed = Double(reportedPromptTokens) / estimated
            let weight = Self.calibrationWeight
            let blended = state.correction * (1 - weight) + observed * weight
            state.correction = min(max(blended, Self.correctionBounds.lowerBound), Self.correctionBounds.upperBound)
        }
    }
}
