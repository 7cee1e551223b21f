// The names of the environment variables k2lsp reads (never their values).

/// The environment variables k2lsp reads.
public enum EnvironmentName {
    public static let apiKey = "K2_API_KEY"
    public static let apiBaseURL = "K2_API_BASE_URL"
    public static let instructModel = "K2_INSTRUCT_MODEL_ID"
    public static let thinkingModel = "K2_THINKING_MODEL_ID"
    public static let localBaseURL = "K2_LOCAL_BASE_URL"
    public static let profile = "K2_PROFILE"
    public static let preset = "K2_PRESET"
    public static let configFile = "K2_CONFIG"
    public static let openRouterAPIKey = "OPENROUTER_API_KEY"
    /// The names Moonshot's docs and Kimi Code use; read for the Moonshot presets when `K2_API_KEY` is unset.
    public static let moonshotAPIKey = "MOONSHOT_API_KEY"
    public static let kimiAPIKey = "KIMI_API_KEY"
    public static let xdgConfigHome = "XDG_CONFIG_HOME"
    public static let xdgCacheHome = "XDG_CACHE_HOME"

    /// The variable that sets a role's model id.
    public static func modelID(for role: ModelRole) -> String {
        switch role {
        case .instruct: instructModel
        case .thinking: thinkingModel
        }
    }
}

extension [String: String] {
    /// An unset variable and an empty one mean the same: not set.
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }
}
