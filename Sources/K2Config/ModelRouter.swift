// The one place that decides Instruct or Thinking for a task.
public enum ModelRouter {
    /// Inline completion is always Instruct. Otherwise the configuration's `rules`, then the active profile's, are
    /// checked in order and the first match decides; no match means Instruct. Thinking that is disabled (by the
    /// profile or the provider) or known to fail falls back to Instruct with a notice.
    public static func choose(
        task: K2Task, configuration: K2Configuration, health: ProviderHealth = .healthy, estimatedContextTokens: Int?
    ) -> ModelChoice {
        func choice(_ role: ModelRole, reason: String, notice: String? = nil) -> ModelChoice {
            let provider = configuration.providers[role]
            return ModelChoice(
                role: role, provider: provider, reason: reason, notice: notice,
                contextWindow: configuration.contextWindow(forModel: provider.model, provider: provider),
                profile: configuration.modelCatalog.profile(for: provider.model)
            )
        }
        if task == .completion {
            return choice(.instruct, reason: "inline completion always uses Instruct")
        }
        let profile = configuration.profile.rawValue
        let namedRules =
            configuration.rules.enumerated().map { ("rules[\($0.offset)]", $0.element) }
            + configuration.activeProfile.rules.enumerated().map {
                ("profiles.\(profile).rules[\($0.offset)]", $0.element)
            }
        guard
            let (ruleName, rule) = namedRules.first(where: {
                $0.1.matches(task: task, estimatedContextTokens: estimatedContextTokens)
            })
        else {
            return choice(
                .instruct, reason: "no rule matches \(task.rawValue) in profile \(profile); Instruct is the default")
        }
        let reason = "\(ruleName) \(rule) sends \(task.rawValue) to \(rule.use.displayName)"
        guard rule.use == .thinking else { return choice(.instruct, reason: reason) }

        let thinking = configuration.providers.thinking
        let instruct = configuration.providers.instruct
        let fallback = "using K2 Instruct (\(instruct.model)) instead"
        if !configuration.activeProfile.thinkingEnabled {
            return choice(
                .instruct, reason: reason + ", but the profile disables Thinking",
                notice:
                    "K2 Thinking is disabled for profile '\(profile)' (profiles.\(profile).thinking.enabled); \(fallback)."
            )
        }
        if !thinking.enabled {
            return choice(
                .instruct, reason: reason + ", but the Thinking provider is disabled",
                notice: "K2 Thinking is disabled (providers.thinking.enabled: false); \(fallback)."
            )
        }
        if !health.isAvailable(.thinking) {
            let why = health.reasons[.thinking].map { ": \($0)" } ?? ""
            let baseURL = URLDisplay.redactingCredentials(thinking.baseURL)
            return choice(
                .instruct, reason: reason + ", but Thinking is unavailable",
                notice: "K2 Thinking (\(thinking.model) at \(baseURL)) is unavailable\(why); \(fallback). "
                    + "GET \(baseURL)/models lists the models your key can use."
            )
        }
        return choice(.thinking, reason: reason)
    }
}
