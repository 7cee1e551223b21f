// The provider layer seen from the editor: routing by profile, the key, untrusted workspace files, retries, errors.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

@Suite(.serialized) struct ProviderThroughServerTests {
    private let selection: JSONValue = ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 9]]

    private func edit(_ session: EditorSession, _ uri: String) async throws -> Result<JSONValue, ResponseError> {
        try await session.client.request(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": selection, "instruction": "change it"])
    }

    @Test(arguments: [("user", "kimi-k2.6"), ("pro", "kimi-k2.6"), ("enterprise", "kimi-k2.7-code")])
    func editModelFollowsTheProfile(profile: String, expectedModel: String) async throws {
        let session = try await EditorSession.start(files: ["a.swift": "let a = 1\n"], environment: ["K2_PROFILE": profile])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("```swift\nlet a = 2\n```", reasoning: "The user wants 2."))
        let result = try await edit(session, uri)
        #expect(result.value?["model"] == .string(expectedModel))
        let body = try #require(session.model.chatRequests.first?.json)
        #expect(body["model"] == .string(expectedModel))
        // Both are hosted, fixed-sampling models: no temperature; the thinking switch follows the role.
        #expect(body["temperature"] == nil)
        #expect(body["thinking"] == (profile == "enterprise" ? ["type": "enabled"] : ["type": "disabled"]))
        // Inline completion always uses Instruct.
        session.model.enqueue(.text("2"))
        _ = try await session.client.call(
            "textDocument/inlineCompletion",
            ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 8], "context": ["triggerKind": 1]])
        #expect(session.model.chatRequests.last?.json?["model"] == "kimi-k2.6")
        #expect(session.model.chatRequests.last?.json?["thinking"] == ["type": "disabled"])
    }

    @Test func thinkingNotFoundFallsBackToInstructAndSaysSoOnce() async throws {
        let session = try await EditorSession.start(
            files: ["a.swift": "let a = 1\n"], environment: ["K2_PROFILE": "enterprise", "K2_THINKING_MODEL_ID": "corp-thinker"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(
            .error(status: 404, type: "resource_not_found_error", message: "Not found the model corp-thinker or Permission denied"),
            forModel: "corp-thinker")
        session.model.enqueue(.text("```swift\nlet a = 2\n```"), forModel: "kimi-k2.6")
        session.model.enqueue(.text("```swift\nlet a = 3\n```"), forModel: "kimi-k2.6")
        #expect(try await edit(session, uri).value?["model"] == "kimi-k2.6")
        #expect(try await edit(session, uri).value?["model"] == "kimi-k2.6")
        let models = session.model.chatRequests.compactMap { $0.json?["model"]?.stringValue }
        #expect(models == ["corp-thinker", "kimi-k2.6", "kimi-k2.6"])
        let notices = session.client.notifications("window/showMessage").filter {
            $0["message"]?.stringValue?.contains("Instruct") == true
        }
        #expect(notices.count == 1)
    }

    @Test func untrustedWorkspaceFileCannotRedirectTheKey() async throws {
        let session = try await EditorSession.start(
            files: [
                "a.swift": "let a = 1\n",
                ".k2lsp.yaml": "profile: pro\nproviders:\n  instruct:\n    base_url: http://127.0.0.1:9/v1\n    api_key_env: HOME\n    model: custom-model\n",
            ])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        let result = try await edit(session, uri)
        // The model id from the workspace file is honoured; base_url and api_key_env are not.
        #expect(result.value?["model"] == "custom-model")
        #expect(session.model.chatRequests.count == 1)
        #expect(session.model.chatRequests.first?.header("Authorization") == "Bearer \(EditorSession.testKey)")
        let warnings = session.client.notifications("window/showMessage").filter {
            $0["message"]?.stringValue?.contains("base_url") == true
        }
        #expect(warnings.count == 1)
    }

    @Test func rateLimitWithRetryAfterIsRetried() async throws {
        let session = try await EditorSession.start(files: ["a.swift": "let a = 1\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.error(status: 429, type: "rate_limit_reached_error", message: "slow down", headers: ["Retry-After": "1"]))
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        let started = ContinuousClock.now
        let result = try await edit(session, uri)
        #expect(result.value != nil)
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(session.model.chatRequests.count == 2)
    }

    @Test func persistent503IsAClearErrorAndTheServerKeepsServing() async throws {
        let session = try await EditorSession.start(files: ["a.swift": "let a = 1\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        for _ in 0..<3 {
            session.model.enqueue(.error(status: 503, type: "engine_overloaded_error", message: "The engine is currently overloaded"))
        }
        let response = try await edit(session, uri)
        #expect(response.errorCode == -32803)
        #expect(session.model.chatRequests.count == 3)
        let message = try #require(response.errorMessage)
        #expect(message.contains("503") || message.lowercased().contains("overloaded"))
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        #expect(try await edit(session, uri).value != nil)
    }

    @Test func theKeyNeverReachesTheEditorOrTheLog() async throws {
        let session = try await EditorSession.start(files: ["a.swift": "let a = 1\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        // A server that echoes the key back in its error body.
        session.model.enqueue(
            .error(status: 401, type: "invalid_authentication_error", message: "Invalid Authentication: \(EditorSession.testKey)"))
        let response = try await edit(session, uri)
        #expect(response.errorCode == -32803)
        let message = try #require(response.errorMessage)
        #expect(message.contains("K2_API_KEY was rejected by \(session.model.baseURL)"))
        #expect(message.contains("moonshot.cn"))
        _ = try await session.client.call("shutdown")
        session.client.notify("exit")
        _ = try await session.client.waitForExit()
        #expect(!session.everythingSentToTheEditor.contains(EditorSession.testKey))
        #expect(!session.client.stderrText.contains(EditorSession.testKey))
        #expect(!session.client.stderrText.contains("SECRETKEY"))
        // Trace logging was on: the stderr log is not empty, it just never holds the key.
        #expect(session.client.stderrText.contains("k2/edit"))
    }

    @Test func missingKeyIsAClearErrorWithoutAnyRequest() async throws {
        let session = try await EditorSession.start(files: ["a.swift": "let a = 1\n"], environment: ["K2_API_KEY": ""])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        let response = try await edit(session, uri)
        #expect(response.errorCode == -32803)
        #expect(response.errorMessage?.contains("K2_API_KEY is not set") == true)
        #expect(session.model.recordedRequests.isEmpty)
    }

    @Test func localServerNeedsNoKey() async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        let workspace = try TemporaryDirectory()
        try workspace.write("a.swift", "let a = 1\n")
        // A local server names its model as it likes; the one it lists serves both roles.
        model.setModels(["moonshotai/Kimi-K2-Instruct-0905"])
        let client = try LSPTestClient(environment: ["K2_LOCAL_BASE_URL": model.baseURL])
        try await client.initialize(rootPath: workspace.path, capabilities: EditorSession.fullCapabilities)
        client.openDocument(uri: workspace.uri("a.swift"), text: "let a = 1\n")
        model.enqueue(.text("```swift\nlet a = 2\n```"))
        let result = try await client.call(
            "k2/edit", ["textDocument": ["uri": .string(workspace.uri("a.swift"))], "range": selection, "instruction": "2"])
        #expect(result["model"] == "moonshotai/Kimi-K2-Instruct-0905")
        #expect(model.chatRequests.first?.header("Authorization") == nil)
        #expect(model.chatRequests.first?.json?["temperature"] == 0.6)
        #expect(model.chatRequests.first?.json?["max_tokens"] != nil)
        client.terminate()
    }

    @Test func editorSettingsChooseTheProfile() async throws {
        let session = try await EditorSession.start(
            files: ["a.swift": "let a = 1\n"], initializationOptions: ["k2lsp": ["profile": "enterprise"]])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        session.model.enqueue(.text("```swift\nlet a = 2\n```"))
        #expect(try await edit(session, uri).value?["model"] == "kimi-k2.7-code")
        session.client.notify("workspace/didChangeConfiguration", ["settings": ["k2lsp": ["profile": "user"]]])
        session.model.enqueue(.text("```swift\nlet a = 3\n```"))
        #expect(try await edit(session, uri).value?["model"] == "kimi-k2.6")
    }
}
