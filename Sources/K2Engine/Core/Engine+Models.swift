// Which model answers a role: the configured id, else discovery from the key's listing; once per command.
import K2Config
import K2Models
import K2Provider

extension Engine {
    /// The model for a task, decided once per command: the role from the profile's rules, then the id (configured,
    /// or the first of the role's preferences that the key's `GET /models` lists) with its catalog profile and
    /// window. Whatever the command budgets, reports and sends comes from this one value.
    public func resolveModel(for task: K2Task, estimatedContextTokens: Int? = nil) async -> ModelChoice {
        await resolve(chooseModel(for: task, estimatedContextTokens: estimatedContextTokens))
    }

    /// The model a role resolves to, whatever the profile says (for `k2lsp models` and `doctor`).
    public func resolveModel(role: ModelRole) async -> ModelChoice {
        let configuration = self.configuration
        let provider = configuration.providers[role]
        let choice = ModelChoice(
            role: role, provider: provider, reason: "asked for \(role.displayName)", notice: nil,
            contextWindow: configuration.contextWindow(forModel: provider.model, provider: provider))
        return await resolve(choice)
    }

    /// What `GET /models` lists for a role's endpoint (asked at most once per base URL and key).
    public func modelListing(role: ModelRole) async -> Result<[String], ListingUnavailable> {
        let provider = configuration.providers[role]
        return await listing(for: provider)
    }

    /// Fills in the id, profile and window for a routed choice.
    /// - Parameter preferencesOf: whose preference list to use (a retired id's replacement takes the role it served).
    func resolve(_ routed: ModelChoice, ignoringConfiguredID: Bool = false, preferencesOf: ModelRole? = nil) async
        -> ModelChoice
    {
        let loaded = loadedConfiguration
        let configuration = loaded.configuration
        let catalog = configuration.modelCatalog
        let role = routed.role
        var provider = routed.provider
        var configured = ignoringConfiguredID ? nil : loaded.configuredModel(for: role)
        if let id = configured?.id, let replacement = replacement(forRetired: id, at: provider.baseURL) {
            configured = (replacement, "k2lsp, in place of the retired \(id)")
        }
        let listing: Result<[String], ListingUnavailable> =
            configured == nil ? await listing(for: provider) : .failure(ListingUnavailable("not needed"))
        let resolution = RoleResolver.resolve(
            role: preferencesOf ?? role, configured: configured, fallbackID: provider.model, listing: listing,
            catalog: catalog)
        provider.model = resolution.modelID
        var choice = routed
        choice.provider = provider
        choice.profile = catalog.profile(for: resolution.modelID)
        choice.contextWindow = configuration.contextWindow(forModel: resolution.modelID, provider: provider)
        choice.modelReason = resolution.explanation
        choice.modelFromListing = resolution.cameFromListing
        if resolution.reason == .withoutK2 {
            let keyName = provider.apiKeyEnv ?? "this key"
            choice.modelNotice =
                "The account behind \(keyName) lists no K2 model at \(URLDisplay.redactingCredentials(provider.baseURL)), "
                + "so k2lsp uses \(resolution.modelID) for both roles (\(choice.profile.requestSummary(at: .least)) for "
                + "K2 Instruct work, \(choice.profile.requestSummary(at: .full)) for K2 Thinking). Set "
                + "\(EnvironmentName.instructModel) or \(EnvironmentName.thinkingModel) to choose other models."
        }
        return choice
    }

    /// The key's listing for a provider; without a key that the provider needs, nothing is asked.
    func listing(for provider: ProviderSettings) async -> Result<[String], ListingUnavailable> {
        let key = provider.apiKey(in: settings.environment)
        if provider.apiKeyEnv != nil, key == nil { return .failure(ListingUnavailable("no API key is set")) }
        if provider.apiKeyProblem(in: settings.environment) != nil {
            return .failure(ListingUnavailable("the API key cannot be sent"))
        }
        let endpoint = ProviderEndpoint(
            baseURL: provider.baseURL, model: provider.model, apiKey: key, apiKeyEnvName: provider.apiKeyEnv)
        var listingTimeouts = Self.listingTimeouts
        listingTimeouts.connect = timeouts.connect
        let client = OpenAICompatibleClient(
            endpoint: endpoint, httpClients: httpClients, retryPolicy: .none, timeouts: listingTimeouts,
            memory: providerMemory, logger: logger)
        let logger = self.logger
        return await modelDirectory.listing(for: endpoint) {
            do {
                let ids = try await client.listModels()
                logger.info("GET \(endpoint.modelsURL) lists \(ids.count) models: \(ids.prefix(12).joined(separator: ", "))")
                return .success(ids)
            } catch let error as ProviderError {
                logger.info("GET \(endpoint.modelsURL) failed: \(error.userMessage)")
                let status = error.statusCode.map { "HTTP \($0)" } ?? error.code.rawValue
                return .failure(ListingUnavailable(status))
            } catch {
                return .failure(ListingUnavailable("\(error)"))
            }
        }
    }

    /// The listing is small and quick; a slow one should not hold up the first command for minutes.
    static let listingTimeouts = ProviderTimeouts(firstByte: .seconds(20), idle: .seconds(20), total: .seconds(30))

    func forgetListing(for choice: ModelChoice) async {
        let provider = choice.provider
        let endpoint = ProviderEndpoint(
            baseURL: provider.baseURL, model: provider.model, apiKey: provider.apiKey(in: settings.environment))
        await modelDirectory.invalidate(endpoint)
    }
}

extension Engine {
    /// `k2lsp doctor`'s quick test against a resolved role, shaped exactly like real requests; fixes it learns
    /// (a 400 naming a field) are in the report.
    public func doctorCheck(_ choice: ModelChoice) async throws -> DoctorReport {
        let endpoint = try endpoint(for: choice)
        var timeouts = ProviderTimeouts.doctor
        timeouts.connect = self.timeouts.connect
        var report = await ProviderDoctor.check(
            endpoint: endpoint, httpClients: httpClients, memory: providerMemory, timeouts: timeouts)
        report.modelReason = choice.modelReason
        report.requestSummary = choice.profile.requestSummary(at: choice.reasoningLevel)
        return report
    }

    /// Whether the role's key is accepted at another base URL (doctor's check of the other Moonshot region).
    public func keyIsAccepted(for choice: ModelChoice, atBaseURL baseURL: String) async -> Bool {
        guard var endpoint = try? endpoint(for: choice) else { return false }
        endpoint.baseURL = baseURL
        return await ProviderDoctor.keyIsAccepted(at: endpoint, httpClients: httpClients)
    }
}
