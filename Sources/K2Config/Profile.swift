// Profiles (user, pro, enterprise): whether Thinking may be used and which tasks go to it.
public enum Profile: String, CaseIterable, Sendable, Codable {
    case user
    case pro
    case enterprise
}

/// What a profile contributes to model choice.
public struct ProfileSettings: Sendable, Hashable {
    /// When false, every rule that names Thinking falls back to Instruct with a notice.
    public var thinkingEnabled: Bool
    /// Checked after the configuration's own `rules`; first match wins.
    public var rules: [RoutingRule]

    public init(thinkingEnabled: Bool, rules: [RoutingRule] = []) {
        self.thinkingEnabled = thinkingEnabled
        self.rules = rules
    }
}

/// One `ProfileSettings` per profile, so a lookup can never miss.
public struct ProfileTable: Sendable, Hashable {
    public var user: ProfileSettings
    public var pro: ProfileSettings
    public var enterprise: ProfileSettings

    public init(user: ProfileSettings, pro: ProfileSettings, enterprise: ProfileSettings) {
        self.user = user
        self.pro = pro
        self.enterprise = enterprise
    }

    public subscript(profile: Profile) -> ProfileSettings {
        get {
            switch profile {
            case .user: user
            case .pro: pro
            case .enterprise: enterprise
            }
        }
        set {
            switch profile {
            case .user: user = newValue
            case .pro: pro = newValue
            case .enterprise: enterprise = newValue
            }
        }
    }

    /// user and pro never think; enterprise sends the heavy tasks to Thinking.
    public static let defaults = ProfileTable(
        user: ProfileSettings(thinkingEnabled: false),
        pro: ProfileSettings(thinkingEnabled: false),
        enterprise: ProfileSettings(
            thinkingEnabled: true,
            rules: [RoutingRule(tasks: [.agent, .edit, .fix, .refactor, .tests, .explain], use: .thinking)]
        )
    )
}
