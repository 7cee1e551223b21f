// The model a task will use, why, and the notices to show when it is not the one the configuration asked for.
import K2Models

public struct ModelChoice: Sendable, Hashable {
    public var role: ModelRole
    /// Where the role is served; `provider.model` is the id that is sent (after discovery, the resolved one).
    public var provider: ProviderSettings
    /// Why this role, for logs and explanations, e.g. `profiles.enterprise.rules[0] sends agent to Thinking`.
    public var reason: String
    /// One line for the user when Thinking was wanted but Instruct is used; the same text each time, so the
    /// server can show it once.
    public var notice: String?
    /// The window to budget for: `context.context_window` when set, else the provider's, else the model's.
    public var contextWindow: Int
    /// How the id is asked (from the catalog with the configuration's `models:` applied).
    public var profile: ModelProfile
    /// Why this id: "set by K2_INSTRUCT_MODEL_ID", "the first K2 Instruct preference that GET /models lists".
    public var modelReason: String
    /// Whether the key's listing chose the id (then a 404 for it means the listing is out of date).
    public var modelFromListing: Bool
    /// Shown once when the id is not what the user might expect (the K3 fallback, a retired id replaced).
    public var modelNotice: String?

    public init(
        role: ModelRole, provider: ProviderSettings, reason: String, notice: String?, contextWindow: Int,
        profile: ModelProfile = .conservative, modelReason: String = "configured", modelNotice: String? = nil
    ) {
        self.role = role
        self.provider = provider
        self.reason = reason
        self.notice = notice
        self.contextWindow = contextWindow
        self.profile = profile
        self.modelReason = modelReason
        self.modelFromListing = false
        self.modelNotice = modelNotice
    }

    /// The reasoning the role asks of the model: none (or the least) for Instruct, full for Thinking.
    public var reasoningLevel: ReasoningLevel { role.reasoningLevel }

    /// "kimi-k2.6 (thinking off)": the id and how it is asked, for notices and `k2lsp models`.
    public var modelSummary: String {
        "\(provider.model) (\(profile.requestSummary(at: reasoningLevel)))"
    }
}
