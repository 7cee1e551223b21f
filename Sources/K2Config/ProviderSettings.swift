// Where one model role is served: base URL, model id, the NAME of the variable holding the key.
public struct ProviderSettings: Sendable, Hashable, CustomStringConvertible {
    /// OpenAI-compatible base URL without a trailing slash, e.g. `https://api.moonshot.ai/v1`.
    public var baseURL: String
    public var model: String
    /// The name of the environment variable that holds the API key; nil sends no Authorization header
    /// (local servers). The key itself is never stored here, so no description can leak it.
    public var apiKeyEnv: String?
    public var enabled: Bool
    /// Overrides the model's default window.
    public var contextWindow: Int?

    public init(baseURL: String, model: String, apiKeyEnv: String?, enabled: Bool = true, contextWindow: Int? = nil) {
        self.baseURL = baseURL
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.enabled = enabled
        self.contextWindow = contextWindow
    }

    /// The key for an `Authorization: Bearer` header, read from `environment` only when asked; nil when no key is
    /// configured or the variable is unset or empty.
    public func apiKey(in environment: [String: String]) -> String? {
        guard let apiKeyEnv, let key = environment[apiKeyEnv], !key.isEmpty else { return nil }
        return key
    }

    public var description: String {
        let key = apiKeyEnv.map { "key from $\($0)" } ?? "no key"
        return "\(model) at \(URLDisplay.redactingCredentials(baseURL)) (\(key))"
    }
}

/// One `ProviderSettings` per role, so a lookup can never miss.
public struct ProviderTable: Sendable, Hashable {
    public var instruct: ProviderSettings
    public var thinking: ProviderSettings

    public init(instruct: ProviderSettings, thinking: ProviderSettings) {
        self.instruct = instruct
        self.thinking = thinking
    }

    public subscript(role: ModelRole) -> ProviderSettings {
        get {
            switch role {
            case .instruct: instruct
            case .thinking: thinking
            }
        }
        set {
            switch role {
            case .instruct: instruct = newValue
            case .thinking: thinking = newValue
            }
        }
    }
}
