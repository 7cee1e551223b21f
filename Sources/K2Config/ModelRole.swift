// The two model roles K2 offers and the sampling defaults Moonshot recommends for each.
public enum ModelRole: String, CaseIterable, Sendable, Codable {
    case instruct
    case thinking

    /// Moonshot recommends 0.6 for Instruct and 1.0 for Thinking (its accepted range is [0, 1]).
    public var defaultTemperature: Double {
        switch self {
        case .instruct: 0.6
        case .thinking: 1.0
        }
    }

    /// The name shown to people, e.g. in a fallback notice.
    public var displayName: String {
        switch self {
        case .instruct: "K2 Instruct"
        case .thinking: "K2 Thinking"
        }
    }
}
