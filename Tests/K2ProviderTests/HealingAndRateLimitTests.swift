// The client heals what a 400 names and keeps within rate limits: over real sockets, against the hosted mode.
import AnyJSON
import K2Models
@testable import K2Provider
import K2TestSupport
import Synchronization
import Testing

@Suite struct BodyHealingTests {
    /// A catalog entry (or a user's `models:` override) that is wrong about sampling costs one retry, once.
    @Test func a400NamingTemperatureIsHealedOnceAndRemembered() async throws {
        let memory = ProviderMemory()
        try await ProviderHarness.run(editEndpoint: { $0.profile.sampling = .temperature(0.3) }, memory: memory) {
            server, client in
            server.behaveLikeHostedAPI(HostedAPI(models: ["kimi-k2.6"]))
            let (first, _) = await ProviderHarness.complete(client)
            #expect(first.success?.content == "Hello! I am K2.")
            let (second, _) = await ProviderHarness.complete(client)
            #expect(second.success != nil)
            let statuses = server.chatRequests.map(\.replyStatus)
            try #require(statuses == [400, 200, 200])
            #expect(server.chatRequests[0].json?["temperature"] == 0.3)
            #expect(server.chatRequests[1].json?["temperature"] == nil)
            #expect(server.chatRequests[2].json?["temperature"] == nil)
            #expect(memory.learnedFixes.map(\.fix) == [.drop("temperature")])
            #expect(memory.learnedFixes.first?.serverMessage.contains("only 0.6 is allowed") == true)
        }
    }

    @Test func theOutputLimitFieldIsRenamedWhenTheServerSaysSo() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(
                .error(status: 400, type: "invalid_request_error", message: "Unrecognized request argument: max_completion_tokens"))
            server.enqueue(.text("ok"))
            #expect(await ProviderHarness.complete(client).0.success?.content == "ok")
            try #require(server.chatRequests.count == 2)
            #expect(server.chatRequests[1].json?["max_tokens"] == 256)
            #expect(server.chatRequests[1].json?["max_completion_tokens"] == nil)
        }
    }

    @Test func a400ThatNamesNoFieldIsNotRetried() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.error(status: 400, type: "invalid_request_error", message: "something else is wrong"))
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.code == .badRequest)
            #expect(server.chatRequests.count == 1)
        }
    }

    @Test func onlyOneHealingRetryPerRequest() async throws {
        try await ProviderHarness.run(editEndpoint: { $0.profile.sampling = .temperature(0.6) }) { server, client in
            server.enqueue(.error(status: 400, type: "invalid_request_error", message: "invalid temperature"))
            server.enqueue(.error(status: 400, type: "invalid_request_error", message: "invalid thinking"))
            server.enqueue(.text("never reached"))
            #expect(await ProviderHarness.complete(client).0.failure?.code == .badRequest)
            #expect(server.chatRequests.count == 2)
        }
    }

    @Test func theHostedModeRefusesWhatTheCatalogWouldNeverSend() async throws {
        try await ProviderHarness.run(editEndpoint: { $0.model = "kimi-k2.7-code"; $0.profile.thinking.off = ["type": "disabled"] }) {
            server, client in
            server.behaveLikeHostedAPI(HostedAPI(models: ["kimi-k2.7-code"]))
            // thinking: disabled is refused; the fix drops the field, and the model thinks as it always does.
            let (result, events) = await ProviderHarness.complete(client)
            #expect(result.success?.reasoningContent?.isEmpty == false)
            #expect(events.contains { if case .reasoningDelta = $0 { true } else { false } })
            try #require(server.chatRequests.map(\.replyStatus) == [400, 200])
            #expect(server.chatRequests[1].json?["thinking"] == nil)
        }
    }
}

@Suite struct RateLimitGateTests {
    private func request(_ queueing: ChatRequest.Queueing) -> ChatRequest {
        var request = ProviderHarness.simpleRequest()
        request.queueing = queueing
        return request
    }

    /// Ghost text never waits: after a 429 every fail-fast request answers at once and nothing is sent until the
    /// server's wait has passed.
    @Test func failFastRequestsSendNothingDuringThePause() async throws {
        try await ProviderHarness.run { server, client in
            server.behaveLikeHostedAPI(HostedAPI(models: ["kimi-k2.6"]))
            server.setRateLimited(retryAfter: 20)
            let first = try #require(await ProviderHarness.complete(client, request(.failsFast)).0.failure)
            #expect(first.code == .rateLimited)
            #expect(first.retryAfter == .seconds(20))
            for _ in 0..<5 {
                let error = try #require(await ProviderHarness.complete(client, request(.failsFast)).0.failure)
                #expect(error.code == .rateLimited)
                #expect(error.retryAfter.map { $0 > .seconds(10) } == true)
            }
            #expect(server.chatRequests.count == 1)
        }
    }

    @Test func waitingRequestsReportThePauseAndGoAfterIt() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.error(status: 429, type: "rate_limit_reached_error", message: "slow", headers: ["Retry-After": "1"]))
            server.enqueue(.text("after the pause"))
            _ = await ProviderHarness.complete(client, request(.failsFast))
            let (result, events) = await ProviderHarness.complete(client, request(.waits))
            #expect(result.success?.content == "after the pause")
            let waits = events.compactMap { event -> String? in
                if case .retrying(_, _, let reason) = event { return reason } else { return nil }
            }
            #expect(waits == ["rate limited"])
            #expect(server.chatRequests.count == 2)
        }
    }

    @Test func aPauseLongerThanTheCapFailsInsteadOfWaiting() async throws {
        try await ProviderHarness.run { server, client in
            server.behaveLikeHostedAPI(HostedAPI(models: ["kimi-k2.6"]))
            server.setRateLimited(retryAfter: 600)
            _ = await ProviderHarness.complete(client, request(.failsFast))
            let error = try #require(await ProviderHarness.complete(client, request(.waits)).0.failure)
            #expect(error.code == .rateLimited)
            #expect(server.chatRequests.count == 1)
        }
    }

    /// A 429 while two requests are in flight teaches a limit of one; the other request queues, and both finish.
    @Test func concurrencyIsLearnedFromA429() async throws {
        let memory = ProviderMemory()
        try await ProviderHarness.run(memory: memory) { server, client in
            server.enqueue(.error(status: 429, type: "rate_limit_reached_error", message: "concurrency", headers: ["Retry-After": "0"]))
            server.enqueue(.delayed(.milliseconds(300), .text("one")))
            server.enqueue(.text("two"))
            // Both requests are in flight before either is answered: the first reply waits for the second request.
            async let a = ProviderHarness.complete(client)
            async let b = ProviderHarness.complete(client)
            let results = await [a.0, b.0]
            #expect(results.allSatisfy { $0.success != nil })
            let limit = await memory.gate(for: client.endpoint).currentLimit(configured: nil)
            #expect(limit == 1)
            #expect(server.chatRequests.count == 3)
        }
    }
}

@Suite struct EndpointGateTests {
    @Test func waitersAreAdmittedInOrderAsSlotsFree() async throws {
        let gate = EndpointGate()
        try await gate.acquire(configuredLimit: 1)
        let order = Mutex<[Int]>([])
        let second = Task {
            try await gate.acquire(configuredLimit: 1)
            order.withLock { $0.append(2) }
            await gate.release(configuredLimit: 1)
        }
        // The waiter cannot get in while the slot is held.
        #expect(await gate.tryAcquire(configuredLimit: 1) == false)
        order.withLock { $0.append(1) }
        await gate.release(configuredLimit: 1)
        try await second.value
        #expect(order.withLock { $0 } == [1, 2])
    }

    @Test func aCancelledWaiterLeavesTheLine() async throws {
        let gate = EndpointGate()
        try await gate.acquire(configuredLimit: 1)
        let waiter = Task { try await gate.acquire(configuredLimit: 1) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        await gate.release(configuredLimit: 1)
        #expect(await gate.tryAcquire(configuredLimit: 1))
    }

    @Test func aPauseCountsDownFromThe429() async {
        let gate = EndpointGate()
        let now = ContinuousClock.now
        _ = await gate.noteRateLimited(pause: .seconds(20), now: now)
        #expect(await gate.pauseRemaining(now: now + .seconds(5)) == .seconds(15))
        #expect(await gate.pauseRemaining(now: now + .seconds(21)) == nil)
    }
}
