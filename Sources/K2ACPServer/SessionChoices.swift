// A session's two choices, each listed once: the model (K2 Instruct or K2 Thinking) and the mode (ask or auto).
// Config options, the older `modes`, and what session/set_config_option and session/set_mode accept all come from here.
import ACP
import K2Config

/// Whether edits wait for the user.
enum SessionMode: String, CaseIterable, Sendable, Codable {
    /// Every change to a file asks first (`session/request_permission`).
    case ask
    /// Changes are applied as K2 makes them.
    case auto

    var name: String {
        switch self {
        case .ask: "Ask"
        case .auto: "Auto"
        }
    }

    var explanation: String {
        switch self {
        case .ask: "Ask before every change to a file"
        case .auto: "Apply K2's changes without asking (MCP tools still ask unless auto_approve covers them)"
        }
    }
}

/// What the user picked for one session.
struct SessionChoices: Sendable, Hashable, Codable {
    var model: ModelRole
    var mode: SessionMode

    static let modelOptionID = "model"
    static let modeOptionID = "mode"

    /// The model ids each role resolves to, shown next to the role's name.
    typealias ResolvedModels = [ModelRole: String]

    func configOptions(models: ResolvedModels) -> [SessionConfigOption] {
        [
            SessionConfigOption(
                id: Self.modelOptionID, name: "Model", description: "Which K2 model answers this session",
                category: "model", currentValue: model.rawValue,
                options: ModelRole.allCases.map { role in
                    SessionConfigOption.Value(
                        value: role.rawValue, name: "\(role.displayName) (\(models[role] ?? "not configured"))",
                        description: role.sessionDescription)
                }),
            SessionConfigOption(
                id: Self.modeOptionID, name: "Mode", description: "Whether K2 asks before it changes files",
                category: "mode", currentValue: mode.rawValue,
                options: SessionMode.allCases.map {
                    SessionConfigOption.Value(value: $0.rawValue, name: $0.name, description: $0.explanation)
                }),
        ]
    }

    var modes: SessionModeState {
        SessionModeState(
            currentModeId: mode.rawValue,
            availableModes: SessionMode.allCases.map {
                ACP.SessionMode(id: $0.rawValue, name: $0.name, description: $0.explanation)
            })
    }

    /// Applies `session/set_config_option`; the error names what is accepted.
    mutating func set(_ optionID: String, to value: String) throws(ACPFailure) {
        switch optionID {
        case Self.modelOptionID:
            guard let role = ModelRole(rawValue: value) else {
                throw .invalidParams(
                    "The model option takes \(ModelRole.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")), not '\(value)'.")
            }
            model = role
        case Self.modeOptionID:
            try setMode(value)
        default:
            throw .invalidParams("This session has no option '\(optionID)'; its options are 'model' and 'mode'.")
        }
    }

    mutating func setMode(_ value: String) throws(ACPFailure) {
        guard let mode = SessionMode(rawValue: value) else {
            throw .invalidParams(
                "The mode is \(SessionMode.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")), not '\(value)'.")
        }
        self.mode = mode
    }
}

extension ModelRole {
    var sessionDescription: String {
        switch self {
        case .instruct: "Fast answers and edits"
        case .thinking: "Reasons step by step first (shown as thoughts); slower"
        }
    }
}
