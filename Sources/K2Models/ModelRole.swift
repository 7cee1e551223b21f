// The two model roles k2lsp asks for: K2 Instruct (fast, no reasoning) and K2 Thinking.

public enum ModelRole: String, CaseIterable, Sendable, Codable {
    case instruct
    case thinking

    /// The name shown to people, e.g. in a fallback notice.
    public var displayName: String {
        switch self {
        case .instruct: "K2 Instruct"
        case .thinking: "K2 Thinking"
        }
    }

    /// How much reasoning the role asks of a model: Instruct work (and every inline completion) as little as the
    /// model allows, Thinking work the model's full reasoning.
    public var reasoningLevel: ReasoningLevel {
        switch self {
        case .instruct: .least
        case .thinking: .full
        }
    }
}

/// How much a request wants the model to reason.
public enum ReasoningLevel: String, Sendable, Hashable, CaseIterable {
    /// No reasoning where the model can switch it off, else its lowest effort.
    case least
    /// The reasoning the Thinking role asks for.
    case full
}
