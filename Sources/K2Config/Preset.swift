// Named provider setups (moonshot, moonshot-cn, openrouter, local) that fill base URLs, model ids and key names.
import K2Models

public enum Preset: String, CaseIterable, Sendable, Codable {
    case moonshot
    case moonshotCN = "moonshot-cn"
    case openrouter
    case local

    /// The default local server (vLLM and SGLang listen here unless told otherwise).
    public static let defaultLocalBaseURL = "http://127.0.0.1:8000/v1"

    /// What the preset sets for both roles. The model ids are only defaults for when `GET /models` cannot be read:
    /// without a configured id, each role takes the first of its catalog preferences the key's listing offers.
    public struct Endpoints: Sendable, Hashable {
        public var baseURL: String
        public var instructModel: String
        public var thinkingModel: String
        public var apiKeyEnv: String?
    }

    /// Which API the preset talks to (its default model ids come from the catalog's preferences for it).
    public var surface: ModelSurface {
        switch self {
        case .moonshot, .moonshotCN: .moonshot
        case .openrouter: .openRouter
        case .local: .selfHosted
        }
    }

    public var baseURL: String? {
        switch self {
        case .moonshot: "https://api.moonshot.ai/v1"
        case .moonshotCN: "https://api.moonshot.cn/v1"
        case .openrouter: "https://openrouter.ai/api/v1"
        case .local: nil
        }
    }

    /// The other Moonshot region: keys do not work across regions, so `doctor` tries it after a 401.
    public var otherRegion: Preset? {
        switch self {
        case .moonshot: .moonshotCN
        case .moonshotCN: .moonshot
        case .openrouter, .local: nil
        }
    }

    /// The preset whose base URL this is, if any.
    public static func named(byBaseURL baseURL: String) -> Preset? {
        let normalized = ConfigValueReader.normalizedURL(baseURL)
        return allCases.first { $0.baseURL == normalized }
    }

    /// The key variables a preset reads, first set one wins: the Moonshot presets take `K2_API_KEY`, then the names
    /// Moonshot's docs (`MOONSHOT_API_KEY`) and Kimi Code (`KIMI_API_KEY`) use; `openrouter` takes
    /// `OPENROUTER_API_KEY`, then `K2_API_KEY`; `local` sends no key.
    public var apiKeyVariables: [String] {
        switch self {
        case .moonshot, .moonshotCN: [EnvironmentName.apiKey, EnvironmentName.moonshotAPIKey, EnvironmentName.kimiAPIKey]
        case .openrouter: [EnvironmentName.openRouterAPIKey, EnvironmentName.apiKey]
        case .local: []
        }
    }

    /// `local` uses `K2_LOCAL_BASE_URL` when set. The key variable is the first of `apiKeyVariables` that is set
    /// (`K2_API_KEY` when none is, so messages name the variable k2lsp documents).
    public func endpoints(environment: [String: String]) -> Endpoints {
        let catalog = ModelCatalog.builtIn
        let apiKeyEnv =
            apiKeyVariables.first { environment.nonEmpty($0) != nil }
            ?? (apiKeyVariables.isEmpty ? nil : EnvironmentName.apiKey)
        return Endpoints(
            baseURL: baseURL ?? Self.localBaseURL(in: environment) ?? Self.defaultLocalBaseURL,
            instructModel: catalog.defaultID(for: .instruct, on: surface) ?? "",
            thinkingModel: catalog.defaultID(for: .thinking, on: surface) ?? "",
            apiKeyEnv: apiKeyEnv)
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
