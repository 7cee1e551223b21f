// What the provider layer learns while the process runs: body fixes per model and rate limits per endpoint.
import Foundation
import Synchronization

/// Shared by every client of a process (the engine holds one), so a lesson from one request applies to the next.
public final class ProviderMemory: Sendable {
    /// One fix and why it was made, for logs and `k2lsp doctor`.
    public struct LearnedFix: Sendable, Hashable {
        public var baseURL: String
        public var model: String
        public var fix: BodyFix
        /// What the server said (redacted, shortened).
        public var serverMessage: String

        public var description: String {
            "\(model) at \(baseURL): k2lsp \(fix) after the server refused it (\(serverMessage))"
        }
    }

    private struct ModelKey: Hashable {
        var baseURL: String
        var model: String
    }

    /// In memory only; never shown. The key is part of it because rate limits belong to an account.
    private struct EndpointKey: Hashable {
        var baseURL: String
        var apiKey: String?
    }

    private let fixes = Mutex<[ModelKey: [LearnedFix]]>([:])
    private let gates = Mutex<[EndpointKey: EndpointGate]>([:])
    /// `provider.max_concurrent_requests`; a lower learned limit still wins.
    private let configuredLimit = Mutex<Int?>(nil)

    public init(maxConcurrentRequests: Int? = nil) {
        configuredLimit.withLock { $0 = maxConcurrentRequests }
    }

    public var maxConcurrentRequests: Int? {
        get { configuredLimit.withLock { $0 } }
        set { configuredLimit.withLock { $0 = newValue } }
    }

    /// Every fix learned so far, by model.
    public var learnedFixes: [LearnedFix] {
        fixes.withLock { $0.values.flatMap { $0 } }.sorted { ($0.model, $0.fix.description) < ($1.model, $1.fix.description) }
    }

    func fixes(for endpoint: ProviderEndpoint) -> [BodyFix] {
        fixes.withLock { $0[ModelKey(baseURL: endpoint.normalizedBaseURL, model: endpoint.model)]?.map(\.fix) ?? [] }
    }

    /// Records fixes; returns those that are new.
    func record(_ newFixes: [BodyFix], for endpoint: ProviderEndpoint, serverMessage: String) -> [LearnedFix] {
        let key = ModelKey(baseURL: endpoint.normalizedBaseURL, model: endpoint.model)
        return fixes.withLock { table in
            var known = table[key] ?? []
            let added = newFixes.filter { fix in !known.contains { $0.fix == fix } }.map {
                LearnedFix(baseURL: key.baseURL, model: key.model, fix: $0, serverMessage: serverMessage)
            }
            known += added
            table[key] = known
            return added
        }
    }

    func gate(for endpoint: ProviderEndpoint) -> EndpointGate {
        let key = EndpointKey(baseURL: endpoint.normalizedBaseURL, apiKey: endpoint.apiKey)
        return gates.withLock { gates in
            if let gate = gates[key] { return gate }
            let gate = EndpointGate()
            gates[key] = gate
            return gate
        }
    }
}
