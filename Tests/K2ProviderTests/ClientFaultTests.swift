// Retries, errors a user can act on, timeouts, truncation and cancellation, against real sockets.
import AnyJSON
import Foundation
import K2Provider
import K2TestSupport
import Synchronization
import Testing

@Suite struct ClientFaultTests {
    @Test func rateLimitWithRetryAfterIsRetriedAfterTheWait() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.error(status: 429, type: "rate_limit_reached_error", message: "slow down", headers: ["Retry-After": "1"]))
            server.enqueue(.text("finally"))
            let started = ContinuousClock.now
            let (result, events) = await ProviderHarness.complete(client)
            #expect(result.success?.content == "finally")
            #expect(ContinuousClock.now - started >= .milliseconds(950))
            #expect(server.chatRequests.count == 2)
            #expect(events.contains(.retrying(attempt: 2, after: .seconds(1), reason: "HTTP 429 rate_limit_reached_error")))
        }
    }

    @Test func persistent503FailsAfterThreeAttempts() async throws {
        try await ProviderHarness.run { server, client in
            for _ in 0..<3 { server.enqueue(.error(status: 503, type: "server_error", message: "upstream unavailable")) }
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.kind == .server)
            #expect(error.attempts == 3)
            #expect(error.userMessage.contains("after 3 attempts"))
            #expect(error.userMessage.contains("upstream unavailable"))
            #expect(server.chatRequests.count == 3)
        }
    }

    @Test func rejectedKeyNamesTheVariableAndBaseURLButNeverTheKey() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(
                .error(
                    status: 401,
                    type: "invalid_authentication_error",
                    message: "Invalid Authentication: key \(ProviderHarness.apiKey) (Bearer \(ProviderHarness.apiKey))"
                )
            )
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.kind == .auth)
            #expect(error.userMessage.contains("K2_API_KEY was rejected by \(server.baseURL)"))
            #expect(error.userMessage.contains("moonshot.ai vs moonshot.cn"))
            var dumped = ""
            dump(error, to: &dumped)
            for text in [error.userMessage, "\(error)", String(reflecting: error), dumped, error.serverMessage ?? ""] {
                #expect(!text.contains(ProviderHarness.apiKey))
                #expect(!text.contains("0123456789abcdef"))
            }
            #expect(server.chatRequests.count == 1)
        }
    }

    @Test func unknownModelNamesModelBaseURLAndHowToList() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(
                .error(status: 404, type: "resource_not_found_error", message: "Not found the model kimi-k2-0905-preview or Permission denied")
            )
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.kind == .notFound)
            for fragment in ["kimi-k2-0905-preview", server.baseURL, "k2lsp doctor", "GET \(server.baseURL)/models"] {
                #expect(error.userMessage.contains(fragment))
            }
            #expect(server.chatRequests.count == 1)
        }
    }

    @Test func exhaustedQuotaIsNotRetried() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.error(status: 429, type: "exceeded_current_quota_error", message: "insufficient balance"))
            server.enqueue(.text("should not be used"))
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.kind == .quota)
            #expect(error.userMessage.contains("no balance"))
            #expect(server.chatRequests.count == 1)
        }
    }

    @Test func contextTooLongIsABadRequestThatSaysSo() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.error(status: 400, type: "invalid_request_error", message: "Invalid request: Your request exceeded model token limit: 262144"))
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.code == .contextTooLong)
            #expect(error.kind == .badRequest)
            #expect(server.chatRequests.count == 1)
        }
    }

    @Test func droppedConnectionBeforeOutputIsRetried() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.dropConnection)
            server.enqueue(.text("second time lucky"))
            let (result, events) = await ProviderHarness.complete(client)
            #expect(result.success?.content == "second time lucky")
            #expect(server.chatRequests.count == 2)
            #expect(events.contains { if case .retrying = $0 { return true } else { return false } })
        }
    }

    @Test func unreachableServerNamesTheHost() async throws {
        let box = HTTPClientBox(connectTimeout: .milliseconds(200), environment: [:])
        let client = OpenAICompatibleClient(
            endpoint: ProviderHarness.endpoint(baseURL: "http://127.0.0.1:1/v1"),
            httpClients: box,
            retryPolicy: ProviderHarness.fastRetries
        )
        let error = try #require(await ProviderHarness.complete(client).0.failure)
        try await box.shutdown()
        #expect(error.kind == .network)
        #expect(error.attempts == 3)
        #expect(error.userMessage.contains("Could not reach 127.0.0.1"))
    }

    @Test func dropMidStreamIsAnErrorWithNoPartialResult() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.streamThenDrop([.roleDelta, .content("Half an ans")]))
            server.enqueue(.text("must not be used"))
            let (result, events) = await ProviderHarness.complete(client)
            let error = try #require(result.failure)
            #expect(error.code == .truncatedStream)
            #expect(error.kind == .protocol)
            #expect(events.contains(.contentDelta("Half an ans")))
            #expect(server.chatRequests.count == 1)
        }
    }

    @Test func streamEndingWithoutTerminalIsAnError() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.stream([.roleDelta, .content("Hel")]))
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.code == .truncatedStream)
            #expect(server.chatRequests.count == 1)
        }
    }

    @Test func errorEventBeforeOutputIsRetriedAndAfterOutputIsFinal() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.stream([.comment("OPENROUTER PROCESSING"), .errorEvent(message: "Provider overloaded", code: 503)]))
            server.enqueue(.stream([.content("Part"), .errorEvent(message: "Provider disconnected")]))
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.code == .streamError)
            #expect(error.userMessage.contains("Provider disconnected"))
            #expect(server.chatRequests.count == 2)
        }
    }

    @Test func stallMidStreamHitsTheIdleTimeout() async throws {
        let timeouts = ProviderTimeouts(firstByte: .seconds(20), idle: .milliseconds(400), total: .seconds(60))
        try await ProviderHarness.run(timeouts: timeouts) { server, client in
            server.enqueue(.streamThenStall([.roleDelta, .content("thinking about it")]))
            let started = ContinuousClock.now
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.code == .idleTimeout)
            #expect(error.kind == .timeout)
            #expect(error.userMessage.contains("400 ms"))
            // Well before the 60 s total timeout: the idle timeout ended it (generous bound for a loaded machine).
            #expect(ContinuousClock.now - started < .seconds(15))
            #expect(server.chatRequests.count == 1)
            #expect(await server.connectionClosedInstant(forRequestAt: 0) != nil)
        }
    }

    @Test func silenceBeforeTheFirstByteHitsTheFirstByteTimeout() async throws {
        let timeouts = ProviderTimeouts(firstByte: .milliseconds(300), idle: .seconds(5), total: .seconds(10))
        try await ProviderHarness.run(retries: .none, timeouts: timeouts) { server, client in
            server.enqueue(.delayed(.seconds(5), .text("too late")))
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.code == .firstByteTimeout)
        }
    }

    @Test func commentsKeepASlowStreamAlive() async throws {
        // The idle limit is 10× the gap between events, and the whole stream lasts longer than it: only the
        // comments can keep it alive. (A 1 s limit against 300 ms gaps failed once on a loaded machine.)
        let timeouts = ProviderTimeouts(firstByte: .seconds(30), idle: .seconds(3), total: .seconds(120))
        try await ProviderHarness.run(timeouts: timeouts) { server, client in
            let events: [SSEEvent] = Array(repeating: .comment("keep-alive"), count: 12) + [.content("ok"), .finish("stop"), .done]
            server.enqueue(.stream(events, chunkDelay: .milliseconds(300)))
            let started = ContinuousClock.now
            #expect(await ProviderHarness.complete(client).0.success?.content == "ok")
            #expect(ContinuousClock.now - started > timeouts.idle)
        }
    }

    @Test func cancellingTheTaskClosesTheConnectionPromptly() async throws {
        // The stream would otherwise stay open for the 120 s idle limit; closing takes milliseconds. The bound is
        // far from both, so a loaded machine cannot fail it.
        let timeouts = ProviderTimeouts(firstByte: .seconds(120), idle: .seconds(120), total: .seconds(300))
        try await ProviderHarness.run(timeouts: timeouts) { server, client in
            server.enqueue(.streamThenStall([.roleDelta, .content("streaming…")]))
            let (firstContent, signal) = AsyncStream<Void>.makeStream()
            let task = Task {
                try await client.complete(ProviderHarness.simpleRequest()) { event in
                    if case .contentDelta = event { signal.yield() }
                }
            }
            for await _ in firstContent { break }
            let cancelledAt = ContinuousClock.now
            task.cancel()
            let closedAt = try #require(await server.connectionClosedInstant(forRequestAt: 0, timeout: .seconds(20)))
            #expect(closedAt - cancelledAt < .seconds(10), "closed after \(closedAt - cancelledAt)")
            let outcome = await task.result
            guard case .failure(let error as ProviderError) = outcome else {
                Issue.record("expected a ProviderError, got \(outcome)")
                return
            }
            #expect(error.kind == .cancelled)
        }
    }
}
