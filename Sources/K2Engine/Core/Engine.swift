// The engine: configuration, model access, documents and the workspace index, shared by every command.
import Foundation
import K2Config
import K2Context
import K2Models
import K2Provider
import K2Workspace
import Logging
import Synchronization

/// Where the engine runs: its environment (for API keys) and the workspace folders.
public struct EngineSettings: Sendable {
    public var environment: [String: String]
    public var workspaceRoots: [String]
    /// Provider timeouts and retries; tests and `doctor` shorten them.
    public var timeouts: ProviderTimeouts
    public var retryPolicy: RetryPolicy
    /// Tools beyond the built-in ones for every agent run (the configured MCP servers); stopped at `shutdown`.
    public var toolSources: [any AgentToolSource]

    public init(
        environment: [String: String], workspaceRoots: [String], timeouts: ProviderTimeouts = .standard,
        retryPolicy: RetryPolicy = .standard, toolSources: [any AgentToolSource] = []
    ) {
        self.environment = environment
        self.workspaceRoots = workspaceRoots
        self.timeouts = timeouts
        self.retryPolicy = retryPolicy
        self.toolSources = toolSources
    }
}

public final class Engine: Sendable {
    private struct State {
        var loaded: LoadedConfiguration
        var health = ProviderHealth.healthy
        var shownNotices: Set<String> = []
        /// Retired ids that answered 404, per base URL, and the id now used instead.
        var replacedModels: [String: String] = [:]
    }

    public let settings: EngineSettings
    public let documents: DocumentStore
    public let index: WorkspaceIndex
    public let estimator: TokenEstimator
    let httpClients: HTTPClientBox
    /// Body fixes and rate limits the provider learned; shared by every request of this engine.
    let providerMemory: ProviderMemory
    let modelDirectory: ModelDirectory
    let logger: Logger
    private let state: Mutex<State>
    let indexMaxAge = Mutex<Duration?>(nil)

    public init(settings: EngineSettings, configuration: LoadedConfiguration, documents: DocumentStore, logger: Logger) {
        self.settings = settings
        self.documents = documents
        self.logger = logger
        self.state = Mutex(State(loaded: configuration))
        self.httpClients = HTTPClientBox(environment: settings.environment)
        self.providerMemory = ProviderMemory()
        self.modelDirectory = ModelDirectory(environment: settings.environment)
        self.estimator = TokenEstimator()
        self.index = WorkspaceIndex(
            roots: settings.workspaceRoots, options: Self.contextOptions(configuration.configuration))
    }

    public var loadedConfiguration: LoadedConfiguration { state.withLock { $0.loaded } }
    public var configuration: K2Configuration { state.withLock { $0.loaded.configuration } }

    public func updateConfiguration(_ loaded: LoadedConfiguration) {
        state.withLock { $0.loaded = loaded }
    }

    /// Reports a notice once per engine lifetime (the same fallback is not announced on every request).
    func noticeOnce(_ notice: String?, events: EngineEventSink) {
        guard let notice else { return }
        let isNew = state.withLock { $0.shownNotices.insert(notice).inserted }
        if isNew { events(.notice(notice)) }
    }

    /// Stops background work and tool servers, and closes HTTP connections.
    public func shutdown() async {
        await index.stop()
        for source in settings.toolSources { await source.shutdown() }
        try? await httpClients.shutdown()
    }

    // MARK: Models

    var health: ProviderHealth { state.withLock { $0.health } }

    func markUnavailable(_ role: ModelRole, reason: String) {
        state.withLock { $0.health.markUnavailable(role, reason: reason) }
    }

    /// The model for a task, per the profile's rules and what is known to work.
    public func chooseModel(for task: K2Task, estimatedContextTokens: Int? = nil) -> ModelChoice {
        let (configuration, health) = state.withLock { ($0.loaded.configuration, $0.health) }
        return ModelRouter.choose(
            task: task, configuration: configuration, health: health, estimatedContextTokens: estimatedContextTokens)
    }

    /// The endpoint for a chosen model, shaped by its profile. Fails before any network traffic when the key is
    /// missing or cannot be sent.
    public func endpoint(for choice: ModelChoice) throws -> ProviderEndpoint {
        let provider = choice.provider
        let key = provider.apiKey(in: settings.environment)
        if let keyName = provider.apiKeyEnv, key == nil {
            throw EngineError.notConfigured(
                "\(keyName) is not set, so k2lsp cannot call \(provider.baseURL). Export it (export \(keyName)=…) in the environment that starts k2lsp, or point K2_LOCAL_BASE_URL at a local OpenAI-compatible server; then run `k2lsp doctor`."
            )
        }
        if let problem = provider.apiKeyProblem(in: settings.environment) {
            throw EngineError.notConfigured(problem)
        }
        return ProviderEndpoint(
            baseURL: provider.baseURL, model: provider.model, apiKey: key, apiKeyEnvName: provider.apiKeyEnv,
            label: choice.role.displayName, contextWindow: choice.contextWindow, profile: choice.profile,
            reasoning: choice.reasoningLevel)
    }

    /// The client for a chosen model.
    func client(for choice: ModelChoice) throws -> OpenAICompatibleClient {
        let configuration = self.configuration
        providerMemory.maxConcurrentRequests = configuration.provider.maxConcurrentRequests
        return OpenAICompatibleClient(
            endpoint: try endpoint(for: choice), httpClients: httpClients, retryPolicy: settings.retryPolicy,
            timeouts: timeouts, memory: providerMemory, logger: logger)
    }

    /// The engine's timeouts with `provider.timeouts` applied.
    var timeouts: ProviderTimeouts {
        var timeouts = settings.timeouts
        let configured = configuration.provider.timeouts
        if let seconds = configured.connect { timeouts.connect = .seconds(seconds) }
        if let seconds = configured.firstByte { timeouts.firstByte = .seconds(seconds) }
        if let seconds = configured.idle { timeouts.idle = .seconds(seconds) }
        if let seconds = configured.total { timeouts.total = .seconds(seconds) }
        return timeouts
    }

    /// What the provider learned about request bodies so far (for `k2lsp doctor`).
    public var learnedRequestFixes: [ProviderMemory.LearnedFix] { providerMemory.learnedFixes }

    func replacement(forRetired model: String, at baseURL: String) -> String? {
        state.withLock { $0.replacedModels[baseURL + "\n" + model] }
    }

    func rememberReplacement(of model: String, at baseURL: String, with replacement: String) {
        state.withLock { $0.replacedModels[baseURL + "\n" + model] = replacement }
    }

    static func contextOptions(_ configuration: K2Configuration) -> ContextOptions {
        var options = ContextOptions()
        options.maxFileBytes = configuration.context.maxFileBytes
        options.extraSecretPatterns = configuration.context.secretPatterns
        options.ignoreFileNames = configuration.context.ignoreFiles
        return options
    }
}
