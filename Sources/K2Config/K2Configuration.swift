// The whole resolved configuration: one typed value the other layers read.
import K2Models

public struct K2Configuration: Sendable, Hashable {
    public var profile: Profile
    /// The preset the highest layer that named one chose; nil when none did (the built-ins are moonshot's).
    public var preset: Preset?
    public var providers: ProviderTable
    public var profiles: ProfileTable
    /// Checked before the active profile's rules; first match wins.
    public var rules: [RoutingRule]
    /// Absolute, `~`-expanded folders whose `.k2lsp.yaml` may set `base_url`, `api_key_env` and `preset`.
    public var trustedWorkspaces: [String]
    public var context: ContextSettings
    public var completion: CompletionSettings
    public var agent: AgentSettings
    public var edit: EditSettings
    /// MCP servers by name: `mcp_servers` from every layer, over the servers of `mcp_servers_file`.
    public var mcpServers: [String: MCPServerSettings] = [:]
    /// `mcp_servers_file`: a JSON file in the common `{"mcpServers": …}` form, read when the configuration loads.
    public var mcpServersFile: String?
    /// The `models:` section: catalog entries to add or override, in key order.
    public var models: [ModelOverride]
    /// `provider.*`: timeouts and concurrency for every endpoint.
    public var provider: ProviderNetworkSettings

    public init(
        profile: Profile, preset: Preset?, providers: ProviderTable, profiles: ProfileTable, rules: [RoutingRule],
        trustedWorkspaces: [String], context: ContextSettings, completion: CompletionSettings, agent: AgentSettings,
        edit: EditSettings, models: [ModelOverride] = [], provider: ProviderNetworkSettings = .defaults
    ) {
        self.profile = profile
        self.preset = preset
        self.providers = providers
        self.profiles = profiles
        self.rules = rules
        self.trustedWorkspaces = trustedWorkspaces
        self.context = context
        self.completion = completion
        self.agent = agent
        self.edit = edit
        self.models = models
        self.provider = provider
    }

    /// Nothing set anywhere: the moonshot preset, profile `user`.
    public static let defaults = defaults(environment: [:])

    /// Nothing set anywhere, in this environment: the moonshot preset reads the first key variable that is set.
    public static func defaults(environment: [String: String]) -> K2Configuration {
        let moonshot = Preset.moonshot.endpoints(environment: environment)
        return K2Configuration(
            profile: .user,
            preset: nil,
            providers: ProviderTable(
                instruct: ProviderSettings(
                    baseURL: moonshot.baseURL, model: moonshot.instructModel, apiKeyEnv: moonshot.apiKeyEnv
                ),
                thinking: ProviderSettings(
                    baseURL: moonshot.baseURL, model: moonshot.thinkingModel, apiKeyEnv: moonshot.apiKeyEnv
                )
            ),
            profiles: .defaults,
            rules: [],
            trustedWorkspaces: [],
            context: .defaults,
            completion: .defaults,
            agent: .defaults,
            edit: .defaults
        )
    }

    /// The servers the agent may start, by name (a stable order: tool lists are part of the cached prompt).
    public var enabledMCPServers: [MCPServerSettings] {
        mcpServers.values.filter(\.enabled).sorted { $0.name < $1.name }
    }

    /// The settings of the active profile.
    public var activeProfile: ProfileSettings { profiles[profile] }

    /// The built-in catalog with the `models:` section applied: what every lookup of a model's profile reads.
    public var modelCatalog: ModelCatalog { ModelCatalog.builtIn.applying(models) }

    /// The window the context builder budgets for when `modelID` answers through `provider`:
    /// `context.context_window`, else the provider's `context_window`, else the catalog's.
    public func contextWindow(forModel modelID: String, provider: ProviderSettings) -> Int {
        context.contextWindow ?? provider.contextWindow ?? modelCatalog.profile(for: modelID).contextWindow
    }
}
