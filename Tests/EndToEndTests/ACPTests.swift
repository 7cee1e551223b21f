// `k2lsp acp` end to end: a scripted ACP editor drives the binary, K2 is the scripted server on loopback.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

private let greeter = "struct Greeter {\n    func greet() -> String { \"Hello\" }\n}\n"
/// What the editor's buffer holds: unsaved changes the disk does not have yet.
private let greeterBuffer = "struct Greeter {\n    // unsaved\n    func greet() -> String { \"Hello\" }\n}\n"

private func call(_ id: String, _ name: String, _ arguments: JSONValue) -> ScriptedToolCall {
    ScriptedToolCall(id: id, name: name, arguments: arguments.serialized())
}

/// The messages of chat request `index`.
private func messages(_ model: ScriptedK2Server, _ index: Int) -> [JSONValue] {
    model.chatRequests[index].json?["messages"]?.arrayValue ?? []
}

/// A workspace, a session store and the scripted K2 server, for one test.
private struct ACPFixture {
    let model: ScriptedK2Server
    let workspace: TemporaryDirectory
    let state: TemporaryDirectory

    static func start(files: [String: String] = ["Sources/Greeter.swift": greeter]) async throws -> ACPFixture {
        let fixture = ACPFixture(
            model: try await ScriptedK2Server.start(), workspace: try TemporaryDirectory(),
            state: try TemporaryDirectory(prefix: "k2lsp-state"))
        for (path, text) in files { try fixture.workspace.write(path, text) }
        return fixture
    }

    func path(_ relative: String) -> String { workspace.path + "/" + relative }

    func agent(environment: [String: String] = [:], arguments: [String] = ["acp", "--log-level", "debug"]) throws
        -> ACPEditor
    {
        try ACPEditor(
            modelBaseURL: model.baseURL, stateDirectory: state.path, workingDirectory: workspace.path,
            environment: environment, arguments: arguments)
    }
}

@Suite(.serialized) struct ACPTests {
    @Test func aSessionFromInitializeToReloadingItAfterARestart() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        let greeterPath = fixture.path("Sources/Greeter.swift")
        var editor = try fixture.agent()
        editor.setBuffer(greeterPath, greeterBuffer)

        // initialize
        let initialized = try await editor.initialize()
        #expect(initialized["protocolVersion"] == 1)
        #expect(initialized["authMethods"] == [])
        #expect(initialized["agentInfo"]?["name"] == "k2lsp")
        let capabilities = try #require(initialized["agentCapabilities"])
        #expect(capabilities["loadSession"] == true)
        #expect(capabilities["promptCapabilities"]?["embeddedContext"] == true)
        #expect(capabilities["sessionCapabilities"] == ["list": [:], "resume": [:], "close": [:]])

        // session/new: the choices, and the slash commands once the editor has the id
        let (sessionID, created) = try await editor.newSession(cwd: fixture.workspace.path)
        let options = try #require(created["configOptions"]?.arrayValue)
        #expect(options.map { $0["id"] } == ["model", "mode"])
        #expect(options[0]["category"] == "model")
        #expect(options[0]["currentValue"] == "instruct")
        #expect(options[0]["options"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            == ["K2 Instruct (kimi-k2-0905-preview)", "K2 Thinking (kimi-k2-thinking)"])
        #expect(options[1]["currentValue"] == "ask")
        #expect(created["modes"]?["currentModeId"] == "ask")
        #expect(created["modes"]?["availableModes"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["ask", "auto"])
        let commands = try await editor.client.waitForNotification("session/update") {
            $0["update"]?["sessionUpdate"] == "available_commands_update"
        }
        #expect(commands["update"]?["availableCommands"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            == ["explain", "tests", "fix", "doc", "context"])

        // Prompt 1: K2 thinks, states a plan, reads the file (the editor's buffer), edits it with permission.
        fixture.model.enqueue(.text(
            "", reasoning: "The greeting lives in Greeter.swift; read it first.",
            toolCalls: [
                call("functions.update_plan:0", "update_plan", ["steps": [["step": "Read Greeter", "status": "in_progress"], ["step": "Change the greeting", "status": "pending"]]]),
                call("functions.read_file:1", "read_file", ["path": "Sources/Greeter.swift"]),
            ]))
        fixture.model.enqueue(.text(
            "", reasoning: "Now change it.",
            toolCalls: [call("functions.edit_file:2", "edit_file", ["path": "Sources/Greeter.swift", "old_text": "\"Hello\"", "new_text": "\"Hi\""])]))
        fixture.model.enqueue(.text("I changed the greeting to Hi."))
        editor.answerPermissions(["allow_once"])
        let first = editor.prompt(sessionID, "Make the greeting shorter.")
        #expect(try await editor.stopReason(of: first) == "end_turn")

        #expect(editor.text(sessionID, kind: "agent_thought_chunk") == "The greeting lives in Greeter.swift; read it first.Now change it.")
        #expect(editor.text(sessionID, kind: "agent_message_chunk") == "I changed the greeting to Hi.")
        #expect(editor.updates(sessionID, kind: "agent_message_chunk").count > 1, "the reply is streamed in chunks")
        let plan = try #require(editor.updates(sessionID, kind: "plan").first)
        #expect(plan["entries"]?.arrayValue?.compactMap { $0["content"]?.stringValue } == ["Read Greeter", "Change the greeting"])
        #expect(plan["entries"]?[0]?["status"] == "in_progress")
        let toolCalls = editor.updates(sessionID, kind: "tool_call")
        #expect(toolCalls.compactMap { $0["kind"]?.stringValue } == ["read", "edit"])
        #expect(toolCalls.compactMap { $0["status"]?.stringValue } == ["pending", "pending"])
        #expect(toolCalls[0]["title"] == "Read Sources/Greeter.swift")
        #expect(toolCalls[0]["locations"] == [["path": .string(greeterPath)]])
        #expect(toolCalls[0]["toolCallId"] == "functions.read_file:1")
        let updatedBuffer = greeterBuffer.replacingOccurrences(of: "\"Hello\"", with: "\"Hi\"")
        let diff: JSONValue = ["type": "diff", "path": .string(greeterPath), "oldText": .string(greeterBuffer), "newText": .string(updatedBuffer)]
        #expect(toolCalls[1]["content"] == [diff])
        #expect(toolCalls[1]["locations"] == [["path": .string(greeterPath), "line": 3]])
        let statuses = editor.updates(sessionID, kind: "tool_call_update").compactMap { update -> String? in
            guard let id = update["toolCallId"]?.stringValue, let status = update["status"]?.stringValue else { return nil }
            return "\(id.split(separator: ".").last ?? ""):\(status)"
        }
        #expect(statuses == ["read_file:1:in_progress", "read_file:1:completed", "edit_file:2:in_progress", "edit_file:2:completed"])
        // Permission was asked before the write, with the diff; the write went through the editor.
        let permission = try #require(editor.permissionRequests.first)
        #expect(permission["sessionId"] == .string(sessionID))
        #expect(permission["toolCall"]?["toolCallId"] == "functions.edit_file:2")
        #expect(permission["toolCall"]?["content"] == [diff])
        #expect(permission["options"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["allow_once", "allow_always", "reject_once"])
        #expect(editor.writes.map(\.path) == [greeterPath])
        #expect(editor.buffer(greeterPath) == updatedBuffer)
        #expect(try fixture.workspace.read("Sources/Greeter.swift") == greeter, "the editor saves, not the agent")
        // The model saw the unsaved buffer, and got its reasoning back with the call.
        #expect(messages(fixture.model, 1).contains { $0["role"] == "tool" && $0["content"]?.stringValue?.contains("// unsaved") == true })
        #expect(messages(fixture.model, 1).first { $0["role"] == "assistant" }?["reasoning_content"]
            == "The greeting lives in Greeter.swift; read it first.")
        let usage = try #require(editor.updates(sessionID, kind: "usage_update").last)
        #expect(usage["size"] == 262_144)
        #expect(usage["used"] == 19)
        // Every update of the turn came before its answer.
        let received = editor.client.receivedMessages
        let answerIndex = try #require(received.firstIndex { $0.jsonValue["id"] == first.jsonValue && $0.jsonValue["method"] == nil })
        let lastUpdate = try #require(received.lastIndex { $0.jsonValue["method"] == "session/update" })
        #expect(lastUpdate < answerIndex)

        // Prompt 2: an edit the user rejects; the conversation goes on from prompt 1.
        fixture.model.enqueue(.text(
            "", toolCalls: [call("functions.edit_file:0", "edit_file", ["path": "Sources/Greeter.swift", "old_text": "\"Hi\"", "new_text": "\"Hey\""])]))
        fixture.model.enqueue(.text("Left it as it was."))
        editor.answerPermissions(["reject_once"])
        let second = editor.prompt(sessionID, "Now make it Hey.")
        #expect(try await editor.stopReason(of: second) == "end_turn")
        #expect(editor.writes.count == 1, "a rejected edit is not written")
        #expect(editor.updates(sessionID, kind: "tool_call_update").last?["status"] == "failed")
        let secondRequest = messages(fixture.model, 3)
        #expect(secondRequest.contains { $0["role"] == "assistant" && $0["content"] == "I changed the greeting to Hi." })
        #expect(secondRequest.last?["content"]?.stringValue?.hasSuffix("Instruction: Now make it Hey.") == true)
        #expect(messages(fixture.model, 4).last?["content"]?.stringValue?.hasPrefix("Error: not run: the user rejected this call") == true)

        // K2 Thinking for the next request, and auto mode.
        let switched = try await editor.client.call(
            "session/set_config_option", ["sessionId": .string(sessionID), "configId": "model", "value": "thinking"])
        #expect(switched["configOptions"]?.arrayValue?.map { $0["currentValue"] } == ["thinking", "ask"])
        _ = try await editor.client.call(
            "session/set_config_option", ["sessionId": .string(sessionID), "configId": "mode", "value": "auto"])
        _ = try await editor.client.waitForNotification("session/update") { $0["update"]?["sessionUpdate"] == "current_mode_update" }
        fixture.model.enqueue(.text("Thought about it: all good.", reasoning: "Checking once more."), forModel: "kimi-k2-thinking")
        #expect(try await editor.stopReason(of: editor.prompt(sessionID, "Is it right now?")) == "end_turn")
        #expect(fixture.model.chatRequests.last?.json?["model"] == "kimi-k2-thinking")

        // A line of garbage gets a parse error; the agent keeps serving.
        editor.client.sendRaw(Data("this is not JSON\n".utf8))
        let parseError = try await editor.client.waitFor("a parse error") { messages in
            messages.lazy.compactMap { message -> ResponseError? in
                if case .response(nil, .failure(let error)) = message { return error }
                return nil
            }.first
        }
        #expect(parseError.code == -32700)

        // Cancel mid-stream: chunks so far are delivered, the turn answers cancelled, the upstream stream closes.
        fixture.model.enqueue(.streamThenStall([.roleDelta, .content("Let me start by")]), forModel: "kimi-k2-thinking")
        let chunksBefore = editor.updates(sessionID, kind: "agent_message_chunk").count
        let cancelled = editor.prompt(sessionID, "Rewrite everything.")
        let running = editor
        _ = try await editor.client.waitFor("the stalled chunk") { _ in
            running.updates(sessionID, kind: "agent_message_chunk").count > chunksBefore ? true : nil
        }
        let stalledIndex = fixture.model.chatRequests.last.map(\.index) ?? 0
        editor.client.notify("session/cancel", ["sessionId": .string(sessionID)])
        #expect(try await editor.stopReason(of: cancelled) == "cancelled")
        #expect(await fixture.model.connectionClosedInstant(forRequestAt: stalledIndex, timeout: .seconds(20)) != nil)

        // Restart: the session is listed and reloads with its history replayed, then continues.
        #expect(try await editor.quit() == 0)
        editor = try fixture.agent()
        try await editor.initialize()
        let listed = try await editor.client.call("session/list", ["cwd": .string(fixture.workspace.path)])
        let entry = try #require(listed["sessions"]?.arrayValue?.first)
        #expect(entry["sessionId"] == .string(sessionID))
        #expect(entry["title"] == "Make the greeting shorter.")
        #expect(entry["updatedAt"]?.stringValue != nil)
        let loaded = try await editor.client.call(
            "session/load", ["sessionId": .string(sessionID), "cwd": .string(fixture.workspace.path), "mcpServers": []])
        #expect(loaded["configOptions"]?.arrayValue?.map { $0["currentValue"] } == ["thinking", "auto"])
        #expect(editor.updates(sessionID, kind: "user_message_chunk").compactMap { $0["content"]?["text"]?.stringValue }
            == ["Make the greeting shorter.", "Now make it Hey.", "Is it right now?", "Rewrite everything."])
        #expect(editor.text(sessionID, kind: "agent_message_chunk").contains("I changed the greeting to Hi."))
        #expect(editor.text(sessionID, kind: "agent_thought_chunk").hasPrefix("The greeting lives in Greeter.swift"))
        let replayedCalls = editor.updates(sessionID, kind: "tool_call")
        #expect(replayedCalls.compactMap { $0["status"]?.stringValue } == ["completed", "completed", "failed"])
        #expect(replayedCalls[1]["content"] == [diff])
        fixture.model.enqueue(.text("Yes, it says Hi."), forModel: "kimi-k2-thinking")
        #expect(try await editor.stopReason(of: editor.prompt(sessionID, "What does it say?")) == "end_turn")
        let continued = messages(fixture.model, fixture.model.chatRequests.count - 1)
        #expect(continued.contains { $0["content"] == "I changed the greeting to Hi." })
        // The cancelled turn left no dangling call and no half reply in the history.
        #expect(!continued.contains { $0["content"]?.stringValue == "Let me start by" })

        let sessionFile = fixture.state.path + "/k2lsp/sessions/\(sessionID).jsonl"
        let mode = try FileManager.default.attributesOfItem(atPath: sessionFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try await editor.quit() == 0)
    }
}
