// The model a task will use, why, and the notice to show when it is not the one the rules asked for.
public struct ModelChoice: Sendable, Hashable {
    public var role: ModelRole
    public var provider: ProviderSettings
    /// Why this role, for logs and explanations, e.g. `profiles.enterprise.rules[0] sends agent to Thinking`.
    public var reason: String
    /// One line for the user when Thinking was wanted but Instruct is used; the same text each time, so the
    /// server can show it once.
    public var notice: String?
    /// The window to budget for: `context.context_window` when set, else the provider's.
    public var contextWindow: Int

    public init(role: ModelRole, provider: ProviderSettings, reason: String, notice: String?, contextWindow: Int) {
        self.role = role
        self.provider = provider
        self.reason = reason
        self.notice = notice
        self.contextWindow = contextWindow
    }

    /// Moonshot's recommendation for the role: 0.6 Instruct, 1.0 Thinking.
    public var temperature: Double { role.defaultTemperature }
}
