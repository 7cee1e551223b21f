// Kimi as hosted today, through the binary: a key alone works, roles resolve by discovery, requests are accepted.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

/// Every session here runs against the scripted server's hosted mode, which refuses what Moonshot's API refuses.
@Suite(.serialized) struct HostedKimiTests {
    private let selection: JSONValue = ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 9]]

    private func hostedSession(
        models: [String] = HostedAPI.liveMoonshotModels, environment: [String: String] = [:],
        files: [String: String] = ["a.swift": "let a = 1\n"]
    ) async throws -> EditorSession {
        let session = try await EditorSession.start(
            files: files, environment: EditorSession.discoverModels.merging(environment) { $1 })
        session.model.behaveLikeHostedAPI(HostedAPI(models: models, acceptedKey: EditorSession.testKey))
        return session
    }

    private func edit(_ session: EditorSession, _ uri: String, token: String? = nil) async throws
        -> Result<JSONValue, ResponseError>
    {
        var params: JSONValue = ["textDocument": ["uri": .string(uri)], "range": selection, "instruction": "change it"]
        if let token, case .object(var object) = params {
            object["workDoneToken"] = .string(token)
            params = .object(object)
        }
        return try await session.client.request("k2/edit", params)
    }

    private func complete(_ session: EditorSession, _ uri: String, character: Int, automatic: Bool) async throws -> JSONValue {
        try await session.client.call(
            "textDocument/inlineCompletion",
            [
                "textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": .int(character)],
                "context": ["triggerKind": automatic ? 2 : 1],
            ])
    }

    private func noticeTexts(_ session: EditorSession, containing fragment: String) -> [String] {
        session.client.notifications("window/showMessage").compactMap { $0["message"]?.stringValue }
            .filter { $0.contains(fragment) }
    }

    /// Nothing k2lsp sent was refused: no 400 for a field, no 404 for an id.
    private func everyRequestWasAccepted(_ session: EditorSession) -> Bool {
        session.model.recordedRequests.allSatisfy { $0.replyStatus == 200 }
    }

    @Test(arguments: ["user", "pro"])
    func editsAndCompletionsGoToK26WithThinkingOff(profile: String) async throws {
        let session = try await hostedSession(environment: ["K2_PROFILE": profile])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        #expect(try await edit(session, uri).value?["model"] == "kimi-k2.6")
        session.model.enqueue(.text("2"))
        _ = try await complete(session, uri, character: 8, automatic: false)
        let chats = session.model.chatRequests
        #expect(chats.count == 2)
        for request in chats {
            let body = try #require(request.json)
            #expect(body["model"] == "kimi-k2.6")
            #expect(body["thinking"] == ["type": "disabled"])
            #expect(body["temperature"] == nil && body["top_p"] == nil)
            #expect(body["max_completion_tokens"]?.intValue != nil && body["max_tokens"] == nil)
        }
        #expect(everyRequestWasAccepted(session), "\(session.model.recordedRequests.map(\.replyStatus))")
        // One listing for the session, however many commands.
        #expect(session.model.recordedRequests.filter { $0.path.hasSuffix("/models") }.count == 1)
    }

    @Test func enterpriseThinksForEditsAndAgentTurnsButNeverForCompletions() async throws {
        let session = try await hostedSession(environment: ["K2_PROFILE": "enterprise"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        #expect(try await edit(session, uri).value?["model"] == "kimi-k2.7-code")
        session.model.enqueue(.text("", toolCalls: [ScriptedToolCall(id: "read_file:0", name: "read_file", arguments: #"{"path":"a.swift"}"#)]))
        session.model.enqueue(.text("Nothing to change."))
        let agent = try await session.client.call("k2/agent", ["instruction": "Look at a.swift."])
        #expect(agent["model"] == "kimi-k2.7-code")
        session.model.enqueue(.text("2"))
        _ = try await complete(session, uri, character: 8, automatic: false)

        let chats = session.model.chatRequests
        #expect(chats.map(\.model) == ["kimi-k2.7-code", "kimi-k2.7-code", "kimi-k2.7-code", "kimi-k2.6"])
        for request in chats.prefix(3) {
            #expect(request.json?["thinking"] == ["type": "enabled"])
        }
        #expect(chats.last?.json?["thinking"] == ["type": "disabled"])
        // The agent's second turn sent back the first turn's reasoning (the hosted API refuses it otherwise).
        let history = chats[2].json?["messages"]?.arrayValue ?? []
        #expect(history.contains { $0["role"] == "assistant" && $0["reasoning_content"]?.stringValue?.isEmpty == false })
        #expect(everyRequestWasAccepted(session), "\(session.model.recordedRequests.map(\.replyStatus))")
    }

    @Test func anAccountWithOnlyK3ModelsWorksAndIsToldOnce() async throws {
        let session = try await hostedSession(models: HostedAPI.k3OnlyModels)
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        session.model.enqueue(.text("```swift\nlet a = 3\n```"))
        #expect(try await edit(session, uri).value?["model"] == "kimi-k3")
        #expect(try await edit(session, uri).value?["model"] == "kimi-k3")
        session.model.enqueue(.text("2"))
        _ = try await complete(session, uri, character: 8, automatic: false)
        for request in session.model.chatRequests {
            #expect(request.json?["reasoning_effort"] == "low")
            #expect(request.json?["thinking"] == nil)
        }
        #expect(everyRequestWasAccepted(session))
        #expect(noticeTexts(session, containing: "lists no K2 model").count == 1)
    }

    @Test func aConfiguredRetiredIdIsReplacedWithOneNotice() async throws {
        let session = try await hostedSession(environment: ["K2_INSTRUCT_MODEL_ID": "kimi-k2-0905-preview"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        session.model.enqueue(.text("```swift\nlet a = 3\n```"))
        #expect(try await edit(session, uri).value?["model"] == "kimi-k2.6")
        #expect(try await edit(session, uri).value?["model"] == "kimi-k2.6")
        #expect(session.model.chatRequests.map(\.model) == ["kimi-k2-0905-preview", "kimi-k2.6", "kimi-k2.6"])
        #expect(session.model.chatRequests.first?.replyStatus == 404)
        #expect(
            noticeTexts(session, containing: "retired")
                == [
                    "kimi-k2-0905-preview was retired by Moonshot; using kimi-k2.6 (thinking off) for K2 Instruct. "
                        + "Set K2_INSTRUCT_MODEL_ID to choose another."
                ])
    }

    /// The replacement holds for the rest of an agent run: one 404, however many turns.
    @Test func anAgentRunOnARetiredIdMeetsOne404() async throws {
        let session = try await hostedSession(environment: ["K2_INSTRUCT_MODEL_ID": "kimi-k2-turbo-preview"])
        defer { Task { await session.finish() } }
        session.model.enqueue(.text("", toolCalls: [ScriptedToolCall(id: "read_file:0", name: "read_file", arguments: #"{"path":"a.swift"}"#)]))
        session.model.enqueue(.text("", toolCalls: [ScriptedToolCall(id: "read_file:1", name: "read_file", arguments: #"{"path":"a.swift"}"#)]))
        session.model.enqueue(.text("Nothing to change."))
        let result = try await session.client.call("k2/agent", ["instruction": "Read a.swift twice."])
        #expect(result["model"] == "kimi-k2.6")
        #expect(session.model.chatRequests.map(\.model) == ["kimi-k2-turbo-preview", "kimi-k2.6", "kimi-k2.6", "kimi-k2.6"])
        #expect(noticeTexts(session, containing: "was retired").count == 1)
    }

    @Test func anUnknownIdIsAClearErrorThatListsTheUsableIds() async throws {
        let session = try await hostedSession(environment: ["K2_INSTRUCT_MODEL_ID": "kimi-k9"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        let response = try await edit(session, uri)
        let message = try #require(response.errorMessage)
        #expect(message.contains("Model 'kimi-k9' was not found"))
        #expect(message.contains("This key can use: kimi-k2.6, kimi-k2.7-code, kimi-k2.7-code-highspeed, kimi-k3"), "\(message)")
        #expect(session.model.chatRequests.count == 1)
    }

    @Test func a400NamingTemperatureIsHealedOnceAndNotRepeated() async throws {
        // A wrong override of the catalog, as a user might write it: hosted K2.6 takes only its fixed temperature.
        let session = try await hostedSession(files: [
            "a.swift": "let a = 1\n", ".k2lsp.yaml": "models:\n  kimi-k2.6:\n    temperature: 0.3\n",
        ])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        session.model.enqueue(.text("```swift\nlet a = 3\n```"))
        #expect(try await edit(session, uri).value != nil)
        #expect(try await edit(session, uri).value != nil)
        let chats = session.model.chatRequests
        #expect(chats.map(\.replyStatus) == [400, 200, 200])
        #expect(chats.map { $0.json?["temperature"] } == [0.3, nil, nil])
        #expect(session.client.stderrText.contains("dropped 'temperature'"))
    }

    /// Tier 0 as a new account meets it: ghost text must not wait out a Retry-After or keep knocking.
    @Test func underA429AutomaticCompletionsAnswerAtOnceAndReachUpstreamAtMostOnce() async throws {
        let text = "let value = compute(first, second)\n"
        let session = try await hostedSession(files: ["a.swift": text])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.setRateLimited(retryAfter: 20)
        let started = ContinuousClock.now
        for character in [4, 9, 12, 20, 25, 30] {
            let result = try await complete(session, uri, character: character, automatic: true)
            #expect(result["items"] == [])
        }
        // Waiting out the 20 s would take far longer than this bound; answering at once takes a fraction of it.
        #expect(ContinuousClock.now - started < .seconds(10))
        // The first completion met the 429; none after it was sent while the wait lasts.
        #expect(session.model.chatRequests.count == 1)
        let explained = noticeTexts(session, containing: "rate-limiting")
        #expect(explained.count == 1)
        #expect(explained.first?.contains("Tier 0") == true)
        #expect(explained.first?.contains("top-up") == true || explained.first?.contains("local model") == true)
    }

    @Test func commandsSayTheyAreRateLimitedAndRetry() async throws {
        let session = try await EditorSession.start(files: ["a.swift": "let a = 1\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(
            .error(status: 429, type: "rate_limit_reached_error", message: "slow down", headers: ["Retry-After": "1"]))
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        #expect(try await edit(session, uri, token: "edit-1").value != nil)
        let progress = session.client.notifications("$/progress").filter { $0["token"] == "edit-1" }
            .compactMap { $0["value"]?["message"]?.stringValue }
        #expect(progress.contains { $0.contains("rate limited, retrying in 1 s") }, "\(progress)")
        #expect(session.model.chatRequests.count == 2)
    }

    /// An invoked completion is one the user waits for: it waits out a short rate limit and says so, under the
    /// request's progress token; an automatic one never does (above).
    @Test func anInvokedCompletionSaysItIsRateLimitedAndRetries() async throws {
        let session = try await EditorSession.start(files: ["a.swift": "let a = 1\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(
            .error(status: 429, type: "rate_limit_reached_error", message: "slow down", headers: ["Retry-After": "1"]))
        session.model.enqueue(.text("2"))
        let result = try await session.client.call(
            "textDocument/inlineCompletion",
            [
                "textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 8],
                "context": ["triggerKind": 1], "workDoneToken": "complete-1",
            ])
        #expect(result["items"]?[0]?["insertText"] == "2", "\(result)")
        let progress = session.client.notifications("$/progress").filter { $0["token"] == "complete-1" }
        let messages = progress.compactMap { $0["value"]?["message"]?.stringValue }
        #expect(messages.contains { $0.contains("rate limited, retrying in 1 s") }, "\(messages)")
        #expect(session.model.chatRequests.count == 2)
    }

    /// A completion that answers at once reports no progress, even when invoked.
    @Test func anInvokedCompletionWithoutRetriesSendsNoProgress() async throws {
        let session = try await EditorSession.start(files: ["a.swift": "let a = 1\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("2"))
        _ = try await session.client.call(
            "textDocument/inlineCompletion",
            [
                "textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 8],
                "context": ["triggerKind": 1], "workDoneToken": "complete-2",
            ])
        #expect(session.client.notifications("$/progress").filter { $0["token"] == "complete-2" }.isEmpty)
    }

    @Test func moonshotAPIKeyIsPickedUp() async throws {
        let session = try await hostedSession(environment: ["K2_API_KEY": "", "MOONSHOT_API_KEY": EditorSession.testKey])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        #expect(try await edit(session, uri).value?["model"] == "kimi-k2.6")
        #expect(session.model.recordedRequests.allSatisfy { $0.header("Authorization") == "Bearer \(EditorSession.testKey)" })
        #expect(everyRequestWasAccepted(session))
    }

    @Test func aKeyWithALineBreakIsRefusedBeforeAnythingIsSent() async throws {
        let session = try await hostedSession(environment: ["K2_API_KEY": EditorSession.testKey + "\r\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        let response = try await edit(session, uri)
        #expect(response.errorMessage?.contains("K2_API_KEY contains a line break") == true)
        #expect(session.model.recordedRequests.isEmpty)
        #expect(!session.everythingSentToTheEditor.contains("SECRETKEY"))
    }

    /// The model is chosen once per command: what `k2/context` budgets and reports is what `k2/edit` sends, also
    /// when a `min_context_tokens` rule decides.
    @Test func contextReportsTheModelThatIsSent() async throws {
        let big = (0..<40).map { "let value\($0) = \($0)" }.joined(separator: "\n") + "\n"
        let session = try await hostedSession(
            environment: ["K2_PROFILE": "enterprise"],
            files: [
                "a.swift": big,
                ".k2lsp.yaml": "profiles:\n  enterprise:\n    rules: []\n"
                    + "rules:\n  - { tasks: [explain], min_context_tokens: 50, use: thinking }\n",
            ])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        let report = try await session.client.call(
            "k2/context", ["textDocument": ["uri": .string(uri)], "range": selection, "task": "explain"])
        session.model.enqueue(.text("It defines values."))
        let explained = try await session.client.call(
            "k2/explain", ["textDocument": ["uri": .string(uri)], "range": selection])
        #expect(report["model"] == "kimi-k2.7-code")
        #expect(explained["model"] == report["model"])
        #expect(session.model.chatRequests.map(\.model) == ["kimi-k2.7-code"])
    }
}
