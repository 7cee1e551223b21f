// `doctor` against the scripted server: a healthy endpoint, an unknown model, a rejected key.
import K2Provider
import K2TestSupport
import Testing

@Suite struct ProviderDoctorTests {
    private func check(_ setUp: (ScriptedK2Server) -> Void) async throws -> (DoctorReport, [RecordedRequest]) {
        let server = try await ScriptedK2Server.start()
        let box = HTTPClientBox(environment: [:])
        setUp(server)
        let report = await ProviderDoctor.check(endpoint: ProviderHarness.endpoint(baseURL: server.baseURL), httpClients: box)
        let requests = server.recordedRequests
        try await box.shutdown()
        await server.shutdown()
        return (report, requests)
    }

    @Test func healthyEndpointPassesEveryCheck() async throws {
        let (report, requests) = try await check { server in
            server.setModels(["kimi-k2.6", "kimi-k2.7-code"])
            server.enqueue(.text("", toolCalls: [ScriptedToolCall(id: "functions.ping:0", name: "ping", arguments: "{}")]))
        }
        #expect(report.ok)
        #expect(report.streamingWorks)
        #expect(report.toolCallingAvailable)
        #expect(report.toolCallOutcome == .calledPing)
        #expect(report.modelListed == true)
        #expect(report.modelsListed?.count == 2)
        #expect(report.firstByteLatency != nil)
        #expect(report.problems.isEmpty)
        let chat = try #require(requests.first { $0.isChatCompletion }?.json)
        #expect(chat["messages"] == [["role": "user", "content": "Hello K2!"]])
        #expect(chat["tools"] == [["type": "function", "function": ["name": "ping", "parameters": ["type": "object"]]]])
        let text = report.renderedText()
        #expect(text.contains("Instruct: kimi-k2.6 at \(report.baseURL)"))
        #expect(text.contains("the model called ping"))
        #expect(text.contains("result:       OK"))
    }

    @Test func answerWithoutCallingPingStillShowsToolsAccepted() async throws {
        let (report, _) = try await check { server in
            server.enqueue(.text("Hello! How can I help?"))
            server.setModelsReply(.error(status: 404, type: "not_found", message: "no listing"))
        }
        #expect(report.ok)
        #expect(report.toolCallOutcome == .acceptedTools)
        #expect(report.modelsListed == nil)
        #expect(report.replyPreview == "Hello! How can I help?")
        #expect(report.renderedText().contains("GET /models not available"))
    }

    @Test func unknownModelFailsAndListsTheAlternatives() async throws {
        let (report, _) = try await check { server in
            server.setModels(["kimi-k3", "kimi-k2-thinking"])
            server.enqueue(.error(status: 404, type: "resource_not_found_error", message: "Not found the model or Permission denied"))
        }
        #expect(!report.ok)
        #expect(report.errorKind == .notFound)
        #expect(report.modelListed == false)
        #expect(report.problems.count == 2)
        #expect(report.problems.last?.contains("kimi-k3, kimi-k2-thinking") == true)
        let text = report.renderedText()
        #expect(text.contains("FAILED"))
        #expect(text.contains("NOT among the 2 models"))
    }

    @Test func rejectedKeyIsReportedWithoutTheKey() async throws {
        let (report, _) = try await check { server in
            server.enqueue(.error(status: 401, type: "invalid_authentication_error", message: "bad key \(ProviderHarness.apiKey)"))
            server.setModelsReply(.error(status: 401, type: "invalid_authentication_error", message: "bad key"))
        }
        #expect(!report.ok)
        #expect(report.errorKind == .auth)
        #expect(report.problems.first?.contains("K2_API_KEY was rejected") == true)
        #expect(!report.renderedText().contains(ProviderHarness.apiKey))
    }
}
