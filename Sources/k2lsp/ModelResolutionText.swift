// The text `k2lsp models` and `k2lsp doctor` print about models: what a key lists and what each role resolved to.
import K2Config
import K2Engine
import K2Models

/// One role's resolution, as both commands show it.
struct ResolvedRole: Encodable, Sendable {
    var role: String
    var model: String
    var family: String?
    /// "thinking off", "reasoning_effort low".
    var request: String
    var reason: String
    /// Whether the active profile sends any task to this role.
    var usedByProfile: Bool

    init(_ choice: ModelChoice, catalog: ModelCatalog, usedByProfile: Bool) {
        role = choice.role.rawValue
        model = choice.provider.model
        family = catalog.family(for: choice.provider.model)?.name
        request = choice.profile.requestSummary(at: choice.reasoningLevel)
        reason = choice.modelReason
        self.usedByProfile = usedByProfile
    }

    var line: String {
        let name = (ModelRole(rawValue: role)?.displayName ?? role).padding(toLength: 12, withPad: " ", startingAt: 0)
        let unused = usedByProfile ? "" : " [not used by this profile]"
        return "  \(name) \(model) (\(request)): \(reason)\(unused)"
    }
}

enum ModelResolutionText {
    /// The roles the active profile uses: Instruct always, Thinking when the profile enables it.
    static func rolesInUse(_ configuration: K2Configuration) -> [ModelRole] {
        configuration.activeProfile.thinkingEnabled && configuration.providers.thinking.enabled
            ? [.instruct, .thinking] : [.instruct]
    }

    static func rolesSection(_ roles: [ResolvedRole], profile: Profile) -> String {
        (["Roles (profile \(profile.rawValue)):"] + roles.map(\.line)).joined(separator: "\n")
    }
}
