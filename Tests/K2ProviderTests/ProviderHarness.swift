// One helper for tests that talk to the scripted K2 server through a real client and real sockets.
import AnyJSON
import Foundation
import K2Models
import K2Provider
import K2TestSupport
import Synchronization
import Testing

/// Starts a scripted server and a client pointed at it, runs `body`, and shuts both down.
enum ProviderHarness {
    static let apiKey = "sk-test-0123456789abcdefSECRET"
    static let fastRetries = RetryPolicy(
        maxAttempts: 3,
        baseDelay: .milliseconds(10),
        maxDelay: .milliseconds(50),
        maxTotalWait: .seconds(5)
    )
    /// Generous enough for a loaded CI machine running the whole suite in parallel; tests of the timeouts themselves
    /// pass their own short values.
    static let fastTimeouts = ProviderTimeouts(firstByte: .seconds(20), idle: .seconds(5), total: .seconds(60))

    /// K2 Instruct as hosted today: kimi-k2.6 with thinking off, shaped by its catalog profile.
    static func endpoint(baseURL: String) -> ProviderEndpoint {
        ProviderEndpoint(
            baseURL: baseURL,
            model: "kimi-k2.6",
            apiKey: apiKey,
            apiKeyEnvName: "K2_API_KEY",
            label: "Instruct",
            profile: ModelCatalog.builtIn.profile(for: "kimi-k2.6"),
            reasoning: .least
        )
    }

    static func run(
        editEndpoint: (inout ProviderEndpoint) -> Void = { _ in },
        retries: RetryPolicy = fastRetries,
        timeouts: ProviderTimeouts = fastTimeouts,
        memory: ProviderMemory = ProviderMemory(),
        _ body: (ScriptedK2Server, OpenAICompatibleClient) async throws -> Void
    ) async throws {
        let server = try await ScriptedK2Server.start()
        let httpClients = HTTPClientBox(connectTimeout: .seconds(2), environment: [:])
        var endpoint = endpoint(baseURL: server.baseURL)
        editEndpoint(&endpoint)
        let client = OpenAICompatibleClient(
            endpoint: endpoint,
            httpClients: httpClients,
            retryPolicy: retries,
            timeouts: timeouts,
            memory: memory,
            jitter: { 0.5 }
        )
        do {
            try await body(server, client)
        } catch {
            try await httpClients.shutdown()
            await server.shutdown()
            throw error
        }
        try await httpClients.shutdown()
        await server.shutdown()
    }

    /// A plain request: one user message, a small budget.
    static func simpleRequest(tools: [ToolDefinition] = []) -> ChatRequest {
        ChatRequest(messages: [.system("You are K2."), .user("Hello K2!")], tools: tools, maxTokens: 256)
    }

    /// Runs `complete`, returning the turn or the `ProviderError`, plus every event reported.
    static func complete(
        _ client: OpenAICompatibleClient,
        _ request: ChatRequest = simpleRequest()
    ) async -> (Result<ChatTurn, ProviderError>, [ChatStreamEvent]) {
        let events = EventLog()
        do {
            let turn = try await client.complete(request, onEvent: { events.append($0) })
            return (.success(turn), events.all)
        } catch let error as ProviderError {
            return (.failure(error), events.all)
        } catch {
            Issue.record("unexpected error type: \(error)")
            return (.failure(ProviderError(code: .unexpectedResponse, origin: .init(client.endpoint))), events.all)
        }
    }
}

/// Collects events from a `@Sendable` callback.
final class EventLog: Sendable {
    private let events = Mutex<[ChatStreamEvent]>([])
    func append(_ event: ChatStreamEvent) { events.withLock { $0.append(event) } }
    var all: [ChatStreamEvent] { events.withLock { $0 } }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
