// One model turn for a command: send to the model chosen for it, report progress, heal what a 404 or 429 reveals.
import Foundation
import K2Config
import K2Models
import K2Provider
import Synchronization

struct ModelTurn: Sendable {
    var turn: ChatTurn
    var choice: ModelChoice
}

extension Engine {
    /// Runs one chat turn on `choice` (resolved once for the command). `makeRequest` builds the request for the
    /// model that is called; it changes only when that model turns out not to exist:
    /// - a 404 for an id the catalog lists as retired switches, for the rest of the session, to the model that now
    ///   serves its role, with one notice;
    /// - a 404 for an id the key's listing offered reads the listing again, once;
    /// - a 404 for K2 Thinking falls back to K2 Instruct, with one notice;
    /// - any other 404 is an error that names the ids the key can use.
    /// A 429 (retried or not) shows, once per session, what the provider's rate limits mean and how to lift them.
    func callModel(
        _ choice: ModelChoice, task: K2Task, events: @escaping EngineEventSink,
        queueing: ChatRequest.Queueing = .waits, makeRequest: (ModelChoice) -> ChatRequest
    ) async throws -> ModelTurn {
        var choice = choice
        var triedReplacement = false
        var reread = false
        while true {
            noticeOnce(choice.notice, events: events)
            noticeOnce(choice.modelNotice, events: events)
            let client = try client(for: choice)
            var request = makeRequest(choice)
            request.queueing = queueing
            events(.stage(.waitingForModel, detail: choice.provider.model))
            do {
                let host = client.endpoint.host
                let turn = try await client.complete(
                    request,
                    onEvent: Self.forwarding(to: events) { [self] limited in
                        noticeOnce(rateLimitNotice(limited, host: host), events: events)
                    })
                try Task.checkCancellation()
                if let usage = turn.usage {
                    // Real token counts correct the estimator that sizes future contexts.
                    let promptBytes = request.messages.reduce(0) { $0 + $1.content.utf8.count }
                    estimator.calibrate(promptCharacters: promptBytes, reportedPromptTokens: usage.promptTokens)
                    events(.usage(promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, cachedTokens: usage.cachedTokens))
                }
                return ModelTurn(turn: turn, choice: choice)
            } catch let error as ProviderError {
                if error.code == .cancelled { throw CancellationError() }
                guard error.code == .modelNotFound else { throw EngineError.provider(error) }
                if !triedReplacement, let replacement = await replacementForRetired(choice) {
                    triedReplacement = true
                    noticeOnce(replacement.notice, events: events)
                    choice = replacement.choice
                    continue
                }
                // A listed id that is gone, or a default used because the listing could not be read: read it again.
                if !reread, choice.modelFromListing || loadedConfiguration.configuredModel(for: choice.role) == nil {
                    reread = true
                    await forgetListing(for: choice)
                    let again = await resolve(choice, ignoringConfiguredID: true)
                    if again.provider.model != choice.provider.model {
                        choice = again
                        continue
                    }
                }
                if choice.role == .thinking {
                    markUnavailable(.thinking, reason: error.userMessage)
                    let fallback = await resolveModel(for: task)
                    if fallback.role != .thinking {
                        choice = fallback
                        continue
                    }
                }
                var described = error
                if case .success(let ids) = await listing(for: choice.provider) { described.availableModels = ids }
                throw EngineError.provider(described)
            }
        }
    }

    /// The live model for the role a retired id served, and the notice that says so; nil when the id is not
    /// retired or nothing else serves the role.
    private func replacementForRetired(_ choice: ModelChoice) async -> (choice: ModelChoice, notice: String)? {
        let catalog = configuration.modelCatalog
        let old = choice.provider.model
        guard let retired = catalog.retirement(of: old) else { return nil }
        let replacement = await resolve(choice, ignoringConfiguredID: true, preferencesOf: retired.role)
        let new = replacement.provider.model
        guard new.lowercased() != old.lowercased(), catalog.retirement(of: new) == nil else { return nil }
        rememberReplacement(of: old, at: choice.provider.baseURL, with: new)
        let notice =
            "\(old) was retired by \(retired.retiredBy); using \(replacement.modelSummary) for "
            + "\(choice.role.displayName). Set \(EnvironmentName.modelID(for: choice.role)) to choose another."
        logger.info("\(notice)")
        return (replacement, notice)
    }

    /// What a 429 means at this provider and how to lift it, once per session.
    private func rateLimitNotice(_ error: ProviderError, host: String) -> String {
        let catalog = configuration.modelCatalog
        let facts = catalog.host(host) ?? catalog.hosts.first { facts in
            facts.rateLimitErrorType != nil && facts.rateLimitErrorType == error.serverErrorType
        }
        let name = facts?.name ?? host
        let wait = error.retryAfter.map { " and asked to wait \(Self.wholeSeconds($0)) s" } ?? ""
        let advice =
            facts?.rateLimitAdvice
            ?? "k2lsp pauses automatic completion until the wait is over and queues commands. If this keeps happening, "
            + "raise your account's limits with the provider, or use a local model (K2_LOCAL_BASE_URL)."
        return "\(name) is rate-limiting this key (HTTP 429\(error.serverErrorType.map { " \($0)" } ?? "")\(wait)). "
            + advice
    }

    /// Translates provider stream events into engine events (the reply text itself is not forwarded); a 429 goes
    /// to `onRateLimit`.
    static func forwarding(
        to events: @escaping EngineEventSink, onRateLimit: @escaping @Sendable (ProviderError) -> Void = { _ in }
    ) -> @Sendable (ChatStreamEvent) -> Void {
        let counter = CharacterCounter()
        return { event in
            switch event {
            case .firstByte:
                events(.stage(.receiving, detail: nil))
            case .contentDelta(let text):
                events(.receiving(characters: counter.add(text.count)))
            case .reasoningDelta(let text):
                events(.reasoning(text))
            case .retrying(let attempt, let after, let reason):
                let what = reason == "rate limited" || reason.hasPrefix("HTTP 429") ? "rate limited" : reason
                events(.retrying(attempt: attempt, reason: "\(what), retrying in \(wholeSeconds(after)) s"))
            case .rateLimited(let error):
                onRateLimit(error)
            case .toolCallStarted, .toolCallArgumentsDelta, .usage:
                break
            }
        }
    }

    /// A wait in whole seconds, rounded up ("retrying in 1 s" rather than "in 0 s").
    static func wholeSeconds(_ duration: Duration) -> Int {
        let components = duration.components
        return Int(components.seconds) + (components.attoseconds > 0 ? 1 : 0)
    }
}

/// Counts streamed characters across callbacks.
final class CharacterCounter: Sendable {
    private let total = Mutex(0)
    func add(_ count: Int) -> Int {
        total.withLock { value in
            value += count
            return value
        }
    }
}
