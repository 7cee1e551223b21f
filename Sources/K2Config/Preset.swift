// Named provider setups (moonshot, moonshot-cn, openrouter, local) that fill base URLs, model ids and key names.
public enum Preset: String, CaseIterable, Sendable, Codable {
    case moonshot
    case moonshotCN = "moonshot-cn"
    case openrouter
    case local

    /// The default local server (vLLM and SGLang listen here unless told otherwise).
    public static let defaultLocalBaseURL = "http://127.0.0.1:8000/v1"

    /// What the preset sets for both roles.
    public struct Endpoints: Sendable, Hashable {
        public var baseURL: String
        public var instructModel: String
        public var thinkingModel: String
        public var apiKeyEnv: String?
    }

    /// `openrouter` reads its key from `OPENROUTER_API_KEY` when that variable is set and not empty (the name
    /// OpenRouter's own docs use), else from `K2_API_KEY`. `local` uses `K2_LOCAL_BASE_URL` when set and no key.
    public func endpoints(environment: [String: String]) -> Endpoints {
        switch self {
        case .moonshot:
            Endpoints(
                baseURL: "https://api.moonshot.ai/v1", instructModel: "kimi-k2-0905-preview",
                thinkingModel: "kimi-k2-thinking", apiKeyEnv: EnvironmentName.apiKey
            )
        case .moonshotCN:
            Endpoints(
                baseURL: "https://api.moonshot.cn/v1", instructModel: "kimi-k2-0905-preview",
                thinkingModel: "kimi-k2-thinking", apiKeyEnv: EnvironmentName.apiKey
            )
        case .openrouter:
            Endpoints(
                baseURL: "https://openrouter.ai/api/v1", instructModel: "moonshotai/kimi-k2-0905",
                thinkingModel: "moonshotai/kimi-k2-thinking",
                apiKeyEnv: environment.nonEmpty(EnvironmentName.openRouterAPIKey) != nil
                    ? EnvironmentName.openRouterAPIKey : EnvironmentName.apiKey
            )
        case .local:
            Endpoints(
                baseURL: Self.localBaseURL(in: environment) ?? Self.defaultLocalBaseURL,
                instructModel: "moonshotai/Kimi-K2-Instruct-0905", thinkingModel: "moonshotai/Kimi-K2-Thinking",
                apiKeyEnv: nil
            )
        }
    }
}

extension Preset {
    /// What choosing `preset` sets: base URL, model id and key name of both roles.
    func assignments(environment: [String: String]) -> [ConfigAssignment] {
        let endpoints = endpoints(environment: environment)
        let presetSource = ConfigSource.preset(rawValue)
        let baseURLSource: ConfigSource =
            self == .local && Preset.localBaseURL(in: environment) != nil
            ? .environment(EnvironmentName.localBaseURL) : presetSource
        var assignments: [ConfigAssignment] = []
        for role in ModelRole.allCases {
            assignments.assign(
                ConfigSchema.providerPath(role, "base_url"), .text(ConfigValueReader.normalizedURL(endpoints.baseURL)),
                source: baseURLSource
            )
            assignments.assign(
                ConfigSchema.providerPath(role, "model"),
                .text(role == .instruct ? endpoints.instructModel : endpoints.thinkingModel), source: presetSource
            )
            assignments.assign(
                ConfigSchema.providerPath(role, "api_key_env"), .optionalText(endpoints.apiKeyEnv), source: presetSource
            )
        }
        return assignments
    }

    /// `K2_LOCAL_BASE_URL` when it is set to an http(s) URL (the environment layer reports one that is not).
    static func localBaseURL(in environment: [String: String]) -> String? {
        environment.nonEmpty(EnvironmentName.localBaseURL).flatMap { ConfigValueReader.isHTTPURL($0) ? $0 : nil }
    }
}
