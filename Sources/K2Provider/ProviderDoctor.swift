// The engine of `k2lsp doctor`: one quick streamed request with a tool, plus the model list, against an endpoint.
import Synchronization

public enum ProviderDoctor {
    /// The seed's quick test: one user message and one tool the model may call.
    public static let quickTestMessages: [ChatMessage] = [.user("Hello K2!")]
    public static let pingTool = ToolDefinition(name: "ping", description: "", parameters: ["type": "object"])
    /// Enough for a short answer; a reasoning model gets its profile's allowance on top.
    public static let quickTestMaxTokens = 512

    /// Checks one endpoint, shaped by its profile exactly as real requests are. Never throws: every failure
    /// becomes a problem in the report. Fixes learned on the way (a 400 naming a field) are listed.
    public static func check(
        endpoint: ProviderEndpoint,
        httpClients: HTTPClientBox,
        memory: ProviderMemory = ProviderMemory(),
        timeouts: ProviderTimeouts = .doctor
    ) async -> DoctorReport {
        let client = OpenAICompatibleClient(
            endpoint: endpoint,
            httpClients: httpClients,
            retryPolicy: .none,
            timeouts: timeouts,
            memory: memory
        )
        let request = ChatRequest(messages: quickTestMessages, tools: [pingTool], maxTokens: quickTestMaxTokens)
        async let listing = modelListing(client)
        let firstByte = FirstByteRecorder()
        let started = ContinuousClock.now
        let outcome: Result<ChatTurn, ProviderError>
        do {
            outcome = .success(try await client.complete(request, onEvent: { firstByte.record($0) }))
        } catch let error as ProviderError {
            outcome = .failure(error)
        } catch {
            outcome = .failure(ProviderError(code: .connectionFailed, origin: .init(endpoint), serverMessage: "\(error)"))
        }
        let totalLatency = ContinuousClock.now - started
        let models = await listing

        var report = DoctorReport(label: endpoint.label, baseURL: endpoint.normalizedBaseURL, model: endpoint.model)
        report.firstByteLatency = firstByte.latency
        report.totalLatency = totalLatency
        report.adjustments = memory.learnedFixes
            .filter { $0.model == endpoint.model && $0.baseURL == endpoint.normalizedBaseURL }
            .map { "k2lsp \($0.fix) after the server refused it (\($0.serverMessage))" }
        switch models {
        case .success(let ids):
            report.modelsListed = ids
            report.modelListed = ids.contains(endpoint.model)
        case .failure:
            break
        }
        switch outcome {
        case .success(let turn):
            report.ok = true
            report.streamingWorks = turn.streamed
            report.toolCallingAvailable = true
            report.toolCallOutcome = turn.toolCalls.contains { $0.name == pingTool.name } ? .calledPing : .acceptedTools
            report.replyPreview = String((turn.content.isEmpty ? turn.reasoningContent ?? "" : turn.content).prefix(80))
            if !turn.streamed {
                report.problems.append(
                    "The server answered with one JSON document instead of a stream, so replies appear only when "
                        + "complete. Fix: check that base_url points at the OpenAI-compatible API and that any proxy "
                        + "passes text/event-stream through."
                )
            }
        case .failure(let error):
            report.ok = false
            report.errorKind = error.kind
            report.errorCode = error.code
            report.problems.append(error.userMessage)
            if error.code == .modelNotFound, let ids = report.modelsListed, !ids.isEmpty {
                report.problems.append(
                    "Models this key can use at \(endpoint.normalizedBaseURL): \(ids.prefix(20).joined(separator: ", "))"
                        + (ids.count > 20 ? ", …" : "") + ". Fix: set the \(endpoint.label) model to one of them."
                )
            }
        }
        return report
    }

    /// Whether the key is accepted at `endpoint` (its `GET /models` answers 2xx): after a 401, `doctor` asks the
    /// other Moonshot region with the same key. Only `doctor` does this; serving never sends a key elsewhere.
    public static func keyIsAccepted(at endpoint: ProviderEndpoint, httpClients: HTTPClientBox) async -> Bool {
        let client = OpenAICompatibleClient(
            endpoint: endpoint, httpClients: httpClients, retryPolicy: .none, timeouts: .doctor)
        do {
            _ = try await client.listModels()
            return true
        } catch {
            return false
        }
    }

    private static func modelListing(_ client: OpenAICompatibleClient) async -> Result<[String], ProviderError> {
        do {
            return .success(try await client.listModels())
        } catch let error as ProviderError {
            return .failure(error)
        } catch {
            return .failure(ProviderError(code: .connectionFailed, origin: .init(client.endpoint)))
        }
    }
}

/// Keeps the first `.firstByte` latency reported during the quick test.
private final class FirstByteRecorder: Sendable {
    private let value = Mutex<Duration?>(nil)

    func record(_ event: ChatStreamEvent) {
        guard case .firstByte(let latency) = event else { return }
        value.withLock { stored in
            if stored == nil { stored = latency }
        }
    }

    var latency: Duration? { value.withLock { $0 } }
}
