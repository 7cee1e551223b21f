// k2/agent and k2.agent end to end: the binary, a scripted K2 replaying multi-turn tool conversations.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

private let counter = "struct Counter {\n    var count = 0\n}\n"

/// A scripted tool turn: reasoning, then the calls `(id, name, arguments)`.
private func toolTurn(_ calls: [(String, String, JSONValue)], reasoning: String = "Let me look.") -> ScriptedReply {
    .text("", reasoning: reasoning, toolCalls: calls.map { ScriptedToolCall(id: $0.0, name: $0.1, arguments: $0.2.serialized()) })
}

/// The messages of chat request `index`.
private func messages(_ session: EditorSession, _ index: Int) -> [JSONValue] {
    session.model.chatRequests[index].json?["messages"]?.arrayValue ?? []
}

private func toolMessages(_ session: EditorSession, _ index: Int) -> [JSONValue] {
    messages(session, index).filter { $0["role"] == "tool" }
}

@Suite(.serialized) struct AgentTests {
    @Test func readEditAnswerYieldsOneWorkspaceEdit() async throws {
        let session = try await EditorSession.start(files: ["Sources/Counter.swift": counter])
        defer { Task { await session.finish() } }
        let uri = try session.open("Sources/Counter.swift", version: 3)
        session.model.enqueue(toolTurn([("functions.read_file:0", "read_file", ["path": "Sources/Counter.swift"])], reasoning: "Read it first."))
        session.model.enqueue(toolTurn(
            [("functions.edit_file:1", "edit_file", ["path": "Sources/Counter.swift", "old_text": "var count = 0", "new_text": "var count = 1"])],
            reasoning: "Now edit."))
        session.model.enqueue(.text("Counter now starts at 1."))
        let result = try await session.client.call(
            "k2/agent", ["instruction": "Start counting at 1.", "textDocument": ["uri": .string(uri)]])

        let changes = try #require(result["edit"]?["documentChanges"]?.arrayValue)
        #expect(changes.count == 1)
        #expect(changes.first?["textDocument"]?["uri"] == .string(uri))
        #expect(changes.first?["textDocument"]?["version"] == 3)
        let edit = try #require(changes.first?["edits"]?[0])
        #expect(try apply(edit, to: counter) == "struct Counter {\n    var count = 1\n}\n")
        #expect(result["summary"] == "Counter now starts at 1.")
        #expect(result["model"] == "kimi-k2.6")
        #expect(result["steps"]?.arrayValue?.compactMap { $0["tool"]?.stringValue } == ["read_file", "edit_file"])
        #expect(result["steps"]?[0]?["ok"] == true)
        #expect(result["steps"]?[0]?["arguments"] == ["path": "Sources/Counter.swift"])
        #expect(result["usage"]?["promptTokens"] == 36)

        #expect(session.model.chatRequests.count == 3)
        let first = try #require(session.model.chatRequests.first?.json)
        #expect(first["tools"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue }
            == ["read_file", "list_files", "search", "edit_file", "write_file", "get_diagnostics"])
        #expect(first["temperature"] == nil)
        #expect(first["thinking"] == ["type": "disabled"])
        #expect(first["max_completion_tokens"] == 8192)
        #expect(first["messages"]?[1]?["content"]?.stringValue?.hasSuffix("Instruction: Start counting at 1.") == true)
        // The second request carries the first turn's reasoning and answers its call by the exact id.
        let assistant = try #require(messages(session, 1).first { $0["role"] == "assistant" })
        #expect(assistant["reasoning_content"] == "Read it first.")
        #expect(assistant["tool_calls"]?[0]?["id"] == "functions.read_file:0")
        let tool = try #require(toolMessages(session, 1).first)
        #expect(tool["tool_call_id"] == "functions.read_file:0")
        #expect(tool["name"] == "read_file")
        #expect(tool["content"] == .string("Sources/Counter.swift: all 3 lines\n" + counter))
        let third = messages(session, 2).filter { $0["role"] == "assistant" }
        #expect(third.map { $0["reasoning_content"] } == ["Read it first.", "Now edit."])
        #expect(toolMessages(session, 2).map { $0["tool_call_id"] } == ["functions.read_file:0", "functions.edit_file:1"])
        // The system prompt is byte-identical across requests (prefix caching).
        #expect(Set((0..<3).map { messages(session, $0).first?["content"] }).count == 1)
        // Nothing was written: the editor applies the edit.
        #expect(try session.workspace.read("Sources/Counter.swift") == counter)
    }

    @Test func enterpriseProfileRunsOnTheThinkingModel() async throws {
        let session = try await EditorSession.start(files: ["a.txt": "A\n"], environment: ["K2_PROFILE": "enterprise"])
        defer { Task { await session.finish() } }
        session.model.enqueue(.text(
            "", reasoning: "The user wants a look around. I will list the files first.",
            toolCalls: [ScriptedToolCall(id: "functions.list_files:0", name: "list_files", arguments: "{}")],
            chunkDelay: .milliseconds(120)))
        session.model.enqueue(.text("Nothing to change."))
        let result = try await session.client.call(
            "k2/agent", ["instruction": "Look around.", "workDoneToken": "think-1"])
        // The reasoning reaches the editor as progress.
        let progress = session.client.notifications("$/progress").filter { $0["token"] == "think-1" }
        #expect(progress.contains { $0["value"]?["message"]?.stringValue?.hasPrefix("Thinking: ") == true })
        #expect(result["model"] == "kimi-k2.7-code")
        for request in session.model.chatRequests {
            #expect(request.json?["model"] == "kimi-k2.7-code")
            #expect(request.json?["temperature"] == nil)
            #expect(request.json?["thinking"] == ["type": "enabled"])
            #expect(request.json?["max_completion_tokens"] == .int(32768 + 4096))  // plus the reasoning allowance
        }
        #expect(toolMessages(session, 1).first?["content"]?.stringValue?.contains("a.txt") == true)
    }

    @Test func escapesAndSecretsAreRefusedAndNeverSent() async throws {
        let outside = try TemporaryDirectory(prefix: "k2lsp-outside")
        try outside.write("secret.txt", "OUTSIDE-SECRET-CONTENT\n")
        let envValue = "sk-live-ENVSECRET0123456789"
        let session = try await EditorSession.start(files: [".env": "API_KEY=\(envValue)\n", "a.txt": "A\n"])
        defer { Task { await session.finish() } }
        try FileManager.default.createSymbolicLink(atPath: session.workspace.path + "/link", withDestinationPath: outside.path)
        let calls: [(String, String, JSONValue)] = [
            ("functions.read_file:0", "read_file", ["path": .string("../\((outside.path as NSString).lastPathComponent)/secret.txt")]),
            ("functions.read_file:1", "read_file", ["path": .string(outside.path + "/secret.txt")]),
            ("functions.read_file:2", "read_file", ["path": "link/secret.txt"]),
            ("functions.read_file:3", "read_file", ["path": ".env"]),
            ("functions.search:4", "search", ["query": "SECRET"]),
            ("functions.write_file:5", "write_file", ["path": "../escaped.txt", "content": "pwned\n"]),
            ("functions.write_file:6", "write_file", ["path": "link/planted.txt", "content": "pwned\n"]),
        ]
        session.model.enqueue(toolTurn(calls))
        session.model.enqueue(.text("I could not read those."))
        let result = try await session.client.call("k2/agent", ["instruction": "Show me the secrets."])

        let answers = toolMessages(session, 1)
        #expect(answers.map { $0["tool_call_id"] } == calls.map { .string($0.0) })
        for answer in answers {
            let content = answer["content"]?.stringValue ?? ""
            #expect(content.hasPrefix("Error: ") || content.hasPrefix("No matches"), "\(content)")
        }
        #expect(result["steps"]?.arrayValue?.filter { $0["ok"] == true }.count == 1)
        #expect(result["edit"]?["documentChanges"]?.arrayValue?.isEmpty == true)
        for sent in [session.everythingSentToTheModel, session.everythingSentToTheEditor] {
            #expect(!sent.contains("OUTSIDE-SECRET-CONTENT"))
            #expect(!sent.contains(envValue))
        }
        let parent = (session.workspace.path as NSString).deletingLastPathComponent
        #expect(!FileManager.default.fileExists(atPath: parent + "/escaped.txt"))
        #expect(!FileManager.default.fileExists(atPath: outside.path + "/planted.txt"))
    }

    @Test func malformedArgumentsAreAnsweredAndTheRunGoesOn() async throws {
        let session = try await EditorSession.start(files: ["a.txt": "A\n"])
        defer { Task { await session.finish() } }
        session.model.enqueue(.text("", toolCalls: [
            ScriptedToolCall(id: "functions.read_file:0", name: "read_file", arguments: #"{"path": "a.tx"#),
            ScriptedToolCall(id: "functions.delete_file:1", name: "delete_file", arguments: #"{"path":"a.txt"}"#),
        ]))
        session.model.enqueue(toolTurn([("functions.read_file:2", "read_file", ["path": "a.txt"])]))
        session.model.enqueue(.text("Read it."))
        let result = try await session.client.call("k2/agent", ["instruction": "Read a.txt."])
        let answers = toolMessages(session, 1)
        #expect(answers.count == 2)
        #expect(answers[0]["content"]?.stringValue?.hasPrefix("Error: the arguments of this read_file call are not valid JSON") == true)
        #expect(answers[1]["content"]?.stringValue?.hasPrefix("Error: there is no tool named \"delete_file\"") == true)
        #expect(result["steps"]?.arrayValue?.compactMap { $0["ok"]?.boolValue } == [false, false, true])
    }

    @Test func aModelThatNeverStopsIsCutAtTheCap() async throws {
        let session = try await EditorSession.start(
            files: ["a.txt": "A\n"], initializationOptions: ["agent": ["max_turns": 2]])
        defer { Task { await session.finish() } }
        for turn in 0..<4 {
            session.model.enqueue(toolTurn([("functions.search:\(turn)", "search", ["query": .string("q\(turn)")])]))
        }
        let response = try await session.client.request("k2/agent", ["instruction": "Search forever."])
        #expect(response.errorCode == -32803)
        #expect(response.errorMessage?.contains("agent.max_turns") == true)
        #expect(response.errorMessage?.contains("Nothing was changed") == true)
        #expect(session.model.chatRequests.count == 2)
    }

    @Test func cancelMidRunClosesTheStream() async throws {
        let session = try await EditorSession.start(files: ["a.txt": "A\n"])
        defer { Task { await session.finish() } }
        session.model.enqueue(toolTurn([("functions.read_file:0", "read_file", ["path": "a.txt"])]))
        session.model.enqueue(.streamThenStall([.roleDelta, .reasoning("Thinking about")]))
        let id = session.client.sendRequest("k2/agent", ["instruction": "Read and think."])
        #expect(await session.model.waitForRequests(count: 2))
        try await Task.sleep(for: .milliseconds(100))
        session.client.notify("$/cancelRequest", ["id": id.jsonValue])
        let response = try await session.client.response(to: id)
        #expect(response.errorCode == -32800)
        #expect(await session.model.connectionClosedInstant(forRequestAt: 1, timeout: .seconds(20)) != nil)
        try await Task.sleep(for: .milliseconds(100))
        #expect(session.model.chatRequests.count == 2)
        #expect(session.client.responses(to: id).count == 1)
    }

    @Test func agentCommandAppliesNewFilesWithCreateFileAndReportsToolCalls() async throws {
        let session = try await EditorSession.start(files: ["README.md": "# App\n"])
        defer { Task { await session.finish() } }
        session.model.enqueue(toolTurn([
            ("functions.write_file:0", "write_file", ["path": "docs/USAGE.md", "content": "# Usage\nRun it.\n"]),
            ("functions.edit_file:1", "edit_file", ["path": "README.md", "old_text": "# App\n", "new_text": "# App\nSee docs/USAGE.md.\n"]),
        ]))
        session.model.enqueue(.text("Added docs/USAGE.md and linked it."))
        let result = try await session.client.call(
            "workspace/executeCommand",
            ["command": "k2.agent", "arguments": [["instruction": "Document usage.", "workDoneToken": "agent-1"]]])
        #expect(result["applied"] == true)
        #expect(result["summary"] == "Added docs/USAGE.md and linked it.")
        let applied = try #require(session.client.serverRequests("workspace/applyEdit").first)
        #expect(applied["label"] == "K2: agent")
        let changes = try #require(applied["edit"]?["documentChanges"]?.arrayValue)
        #expect(changes.count == 3)
        #expect(changes[0]["kind"] == "create")
        #expect(changes[0]["uri"] == .string(session.workspace.uri("docs/USAGE.md")))
        #expect(changes[1]["edits"]?[0]?["newText"] == "# Usage\nRun it.\n")
        #expect(changes[2]["textDocument"]?["uri"] == .string(session.workspace.uri("README.md")))
        #expect(!FileManager.default.fileExists(atPath: session.workspace.path + "/docs/USAGE.md"))

        let notifications = session.client.notifications("k2/toolCall")
        #expect(notifications.compactMap { $0["status"]?.stringValue } == ["started", "done", "started", "done"])
        #expect(notifications.compactMap { $0["tool"]?.stringValue } == ["write_file", "write_file", "edit_file", "edit_file"])
        #expect(notifications.compactMap { $0["step"]?.intValue } == [1, 1, 2, 2])
        #expect(notifications[1]["resultPreview"] == "Created docs/USAGE.md (2 lines).")
        #expect(notifications.allSatisfy { $0["requestId"] != nil && $0["requestId"] != .null })
        let progress = session.client.notifications("$/progress").filter { $0["token"] == "agent-1" }
        #expect(progress.first?["value"]?["kind"] == "begin")
        #expect(progress.last?["value"]?["kind"] == "end")
    }
}
