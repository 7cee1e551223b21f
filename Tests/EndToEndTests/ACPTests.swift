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

extension Result where Success == JSONValue, Failure == ResponseError {
    fileprivate var failure: ResponseError? {
        if case .failure(let error) = self { return error }
        return nil
    }
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
            == ["K2 Instruct (kimi-k2.6)", "K2 Thinking (kimi-k2.7-code)"])
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
        fixture.model.enqueue(.text("Thought about it: all good.", reasoning: "Checking once more."), forModel: "kimi-k2.7-code")
        #expect(try await editor.stopReason(of: editor.prompt(sessionID, "Is it right now?")) == "end_turn")
        #expect(fixture.model.chatRequests.last?.json?["model"] == "kimi-k2.7-code")

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
        fixture.model.enqueue(.streamThenStall([.roleDelta, .content("Let me start by")]), forModel: "kimi-k2.7-code")
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
        fixture.model.enqueue(.text("Yes, it says Hi."), forModel: "kimi-k2.7-code")
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

/// The rest of the protocol, each on a fresh agent.
@Suite(.serialized) struct ACPBehaviourTests {
    /// A started agent with an initialized session.
    private func session(
        _ fixture: ACPFixture, readsFiles: Bool = true, writesFiles: Bool = true, environment: [String: String] = [:],
        arguments: [String] = ["acp", "--log-level", "debug"]
    ) async throws -> (ACPEditor, String) {
        let editor = try fixture.agent(environment: environment, arguments: arguments)
        try await editor.initialize(readsFiles: readsFiles, writesFiles: writesFiles)
        let (id, _) = try await editor.newSession(cwd: fixture.workspace.path)
        return (editor, id)
    }

    @Test func withoutAKeyAPromptFailsSayingWhatToDo() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        let (editor, id) = try await session(fixture, environment: ["K2_API_KEY": ""])
        let answer = try await editor.client.response(to: editor.prompt(id, "Hello"))
        let error = try #require(answer.failure)
        #expect(error.message.contains("K2_API_KEY is not set"))
        #expect(error.message.contains("k2lsp doctor"))
        #expect(error.data?["kind"] == "notConfigured")
        #expect(fixture.model.chatRequests.isEmpty)
    }

    @Test func theAcpFlagOfTheDefaultCommandSpeaksACP() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        let editor = try fixture.agent(arguments: ["--acp"])
        #expect(try await editor.initialize()["protocolVersion"] == 1)
        #expect(try await editor.quit() == 0)
    }

    @Test func withoutEditorFileSupportAutoModeWritesTheDiskKeepingLineEndings() async throws {
        let crlf = "one\r\ntwo\r\nthree\r\n"
        let fixture = try await ACPFixture.start(files: ["notes.txt": crlf])
        defer { Task { await fixture.model.shutdown() } }
        let (editor, id) = try await session(fixture, readsFiles: false, writesFiles: false)
        _ = try await editor.client.call("session/set_mode", ["sessionId": .string(id), "modeId": "auto"])
        let mirrored = try await editor.client.waitForNotification("session/update") {
            $0["update"]?["sessionUpdate"] == "config_option_update"
        }
        #expect(mirrored["update"]?["configOptions"]?[1]?["currentValue"] == "auto")
        fixture.model.enqueue(.text(
            "", toolCalls: [call("c1", "edit_file", ["path": "notes.txt", "old_text": "two", "new_text": "TWO"])]))
        fixture.model.enqueue(.text("Done."))
        #expect(try await editor.stopReason(of: editor.prompt(id, "Shout two.")) == "end_turn")
        #expect(editor.permissionRequests.isEmpty, "auto mode does not ask")
        #expect(editor.client.serverRequests("fs/read_text_file").isEmpty)
        #expect(try fixture.workspace.read("notes.txt") == "one\r\nTWO\r\nthree\r\n")
    }

    @Test func aFileChangedOnDiskSinceK2ReadItIsNotOverwritten() async throws {
        let fixture = try await ACPFixture.start(files: ["a.txt": "alpha\n"])
        defer { Task { await fixture.model.shutdown() } }
        let (editor, id) = try await session(fixture, readsFiles: false, writesFiles: false)
        fixture.model.enqueue(.text("", toolCalls: [call("c1", "read_file", ["path": "a.txt"])]))
        fixture.model.enqueue(.text(
            "", toolCalls: [call("c2", "edit_file", ["path": "a.txt", "old_text": "alpha", "new_text": "beta"])]))
        fixture.model.enqueue(.text("Could not."))
        // The user edits the file while the permission prompt is up.
        editor.client.respondToServerRequests { method, _ in
            guard method == "session/request_permission" else { return nil }
            try? "changed by the user\n".write(toFile: fixture.path("a.txt"), atomically: true, encoding: .utf8)
            return .success(["outcome": ["outcome": "selected", "optionId": "allow_once"]])
        }
        #expect(try await editor.stopReason(of: editor.prompt(id, "Change alpha.")) == "end_turn")
        #expect(try fixture.workspace.read("a.txt") == "changed by the user\n")
        let result = messages(fixture.model, 2).last?["content"]?.stringValue ?? ""
        #expect(result.contains("changed on disk since the agent read it"), "\(result)")
        #expect(editor.updates(id, kind: "tool_call_update").last?["status"] == "failed")
    }

    @Test func limitsAndRefusalsAreStopReasonsNotErrors() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        let config = try fixture.workspace.write(".config/k2lsp.yaml", "agent:\n  max_turns: 1\n")
        let (editor, id) = try await session(fixture, environment: ["K2_CONFIG": config])
        fixture.model.enqueue(.text("", toolCalls: [call("c1", "list_files", [:])]))
        #expect(try await editor.stopReason(of: editor.prompt(id, "Look around.")) == "max_turn_requests")
        #expect(editor.text(id, kind: "agent_message_chunk").contains("agent.max_turns"))
        fixture.model.enqueue(.text("I can't help with that.", finishReason: "content_filter"))
        #expect(try await editor.stopReason(of: editor.prompt(id, "Something else.")) == "refusal")
        // The turn cut off by the limit left a call without an answer: the next request answers it as not run.
        let toolAnswers = messages(fixture.model, 1).filter { $0["role"] == "tool" }
        #expect(toolAnswers.count == 1)
        #expect(toolAnswers.first?["tool_call_id"] == messages(fixture.model, 1).first { $0["role"] == "assistant" }?["tool_calls"]?[0]?["id"])
        #expect(toolAnswers.first?["content"]?.stringValue?.hasPrefix("Error: not run") == true)
    }

    @Test func cancelRequestAnswersThePromptAtOnceAndClosesTheStream() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        let (editor, id) = try await session(fixture)
        fixture.model.enqueue(.streamThenStall([.roleDelta, .content("Working")]))
        let prompt = editor.prompt(id, "Go.")
        let model = fixture.model
        _ = try await editor.client.waitFor("the model request") { _ in model.chatRequests.isEmpty ? nil : true }
        editor.client.notify("$/cancel_request", ["requestId": prompt.jsonValue])
        #expect(try await editor.client.response(to: prompt).errorCode == -32800)
        #expect(await fixture.model.connectionClosedInstant(forRequestAt: fixture.model.chatRequests.first?.index ?? 0, timeout: .seconds(20)) != nil)
        #expect(editor.client.responses(to: prompt).count == 1)
    }

    @Test func cancellingDuringAPermissionPromptCancelsTheEditorsRequestToo() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        let (editor, id) = try await session(fixture)
        editor.respondToPermissionsNever()
        fixture.model.enqueue(.text(
            "", toolCalls: [call("c1", "write_file", ["path": "new.txt", "content": "x\n"])]))
        let prompt = editor.prompt(id, "Create new.txt.")
        _ = try await editor.client.waitForNotificationOrRequest("session/request_permission")
        editor.client.notify("session/cancel", ["sessionId": .string(id)])
        #expect(try await editor.stopReason(of: prompt) == "cancelled")
        let cancelled = try await editor.client.waitForNotification("$/cancel_request")
        #expect(cancelled["requestId"]?.stringValue?.hasPrefix("k2lsp-") == true)
        #expect(!FileManager.default.fileExists(atPath: fixture.path("new.txt")))
    }

    @Test func explainReadsButDoesNotEditAndContextAsksNoModel() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        let (editor, id) = try await session(fixture)
        _ = try await editor.client.call(
            "session/set_config_option", ["sessionId": .string(id), "configId": "mode", "value": "auto"])
        fixture.model.enqueue(.text(
            "", toolCalls: [call("c1", "edit_file", ["path": "Sources/Greeter.swift", "old_text": "Hello", "new_text": "Yo"])]))
        fixture.model.enqueue(.text("It returns a greeting."))
        #expect(try await editor.stopReason(of: editor.prompt(id, "/explain greet()")) == "end_turn")
        let instruction = messages(fixture.model, 0).last?["content"]?.stringValue ?? ""
        #expect(instruction.contains("Explain greet()"))
        #expect(messages(fixture.model, 1).last?["content"]?.stringValue?.contains("/explain") == true)
        #expect(try fixture.workspace.read("Sources/Greeter.swift") == greeter)
        #expect(editor.writes.isEmpty)

        let requests = fixture.model.chatRequests.count
        let link: JSONValue = ["type": "resource_link", "uri": .string(fixture.workspace.uri("Sources/Greeter.swift")), "name": "Greeter.swift"]
        #expect(try await editor.stopReason(of: editor.prompt(id, "/context", blocks: [link])) == "end_turn")
        #expect(fixture.model.chatRequests.count == requests)
        let report = editor.updates(id, kind: "agent_message_chunk").last?["content"]?["text"]?.stringValue ?? ""
        #expect(report.hasPrefix("What K2 would see for Sources/Greeter.swift"))
    }

    @Test func mentionsAndEmbeddedTextReachTheModelButSecretsDoNot() async throws {
        let fixture = try await ACPFixture.start(files: ["Sources/Greeter.swift": greeter, ".env": "TOKEN=abc\n"])
        defer { Task { await fixture.model.shutdown() } }
        let (editor, id) = try await session(fixture)
        fixture.model.enqueue(.text("Seen."))
        let blocks: [JSONValue] = [
            ["type": "resource_link", "uri": .string(fixture.workspace.uri("Sources/Greeter.swift")), "name": "Greeter.swift"],
            ["type": "resource", "resource": ["uri": .string(fixture.workspace.uri("Sources/Extra.swift")), "text": "let extra = 42\n"]],
            ["type": "resource", "resource": ["uri": .string(fixture.workspace.uri(".env")), "text": "TOKEN=s3cr3t-value\n"]],
        ]
        #expect(try await editor.stopReason(of: editor.prompt(id, "Compare", blocks: blocks)) == "end_turn")
        let sent = messages(fixture.model, 0).last?["content"]?.stringValue ?? ""
        #expect(sent.contains("Instruction: Compare Sources/Greeter.swift Sources/Extra.swift .env"))
        #expect(sent.contains("- Sources/Greeter.swift (read it with read_file when you need it)"))
        #expect(sent.contains("let extra = 42"))
        #expect(sent.contains(".env: not shown"))
        #expect(!String(decoding: fixture.model.chatRequests[0].body, as: UTF8.self).contains("s3cr3t"))
    }

    @Test func storedSessionsSurviveACorruptLineAndUnknownOnesAreNotFound() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        var (editor, id) = try await session(fixture)
        fixture.model.enqueue(.text("First answer."))
        #expect(try await editor.stopReason(of: editor.prompt(id, "First question.")) == "end_turn")
        #expect(try await editor.quit() == 0)
        let file = fixture.state.path + "/k2lsp/sessions/\(id).jsonl"
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"type\": \"message\", \"message\": {\"role\": tru\n".utf8))
        try handle.close()

        editor = try fixture.agent()
        try await editor.initialize()
        _ = try await editor.client.call(
            "session/resume", ["sessionId": .string(id), "cwd": .string(fixture.workspace.path), "mcpServers": []])
        #expect(editor.updates(id, kind: "user_message_chunk").isEmpty, "resume does not replay")
        #expect(editor.client.stderrText.contains("is not a session record k2lsp can read; it was skipped"))
        fixture.model.enqueue(.text("Second answer."))
        #expect(try await editor.stopReason(of: editor.prompt(id, "Second question.")) == "end_turn")
        #expect(messages(fixture.model, 1).contains { $0["content"] == "First answer." })

        let missing = try await editor.client.request(
            "session/load", ["sessionId": "sess_nothing", "cwd": .string(fixture.workspace.path), "mcpServers": []])
        #expect(missing.errorCode == -32002)
        let traversal = try await editor.client.request(
            "session/load", ["sessionId": "../../etc/passwd", "cwd": .string(fixture.workspace.path), "mcpServers": []])
        #expect(traversal.errorCode == -32002)
        _ = try await editor.client.call("session/close", ["sessionId": .string(id)])
        #expect(try await editor.client.request("session/prompt", ["sessionId": .string(id), "prompt": []]).errorCode == -32002)
    }

    @Test func whenThinkingIsNotServedTheModelOptionFallsBackToInstruct() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        let (editor, id) = try await session(fixture)
        _ = try await editor.client.call(
            "session/set_config_option", ["sessionId": .string(id), "configId": "model", "value": "thinking"])
        fixture.model.enqueue(.error(status: 404, type: "resource_not_found_error", message: "Not found the model kimi-k2.7-code"), forModel: "kimi-k2.7-code")
        fixture.model.enqueue(.text("Answered by Instruct."), forModel: "kimi-k2.6")
        #expect(try await editor.stopReason(of: editor.prompt(id, "Hi")) == "end_turn")
        let update = try #require(editor.updates(id, kind: "config_option_update").last)
        #expect(update["configOptions"]?[0]?["currentValue"] == "instruct")
    }

    @Test func anEditorsMCPServerIsUsedAndEachCallAsksPermission() async throws {
        let fixture = try await ACPFixture.start()
        defer { Task { await fixture.model.shutdown() } }
        let editor = try fixture.agent()
        let initialized = try await editor.initialize()
        #expect(initialized["agentCapabilities"]?["mcpCapabilities"] == ["http": true, "sse": false])
        let server: JSONValue = [
            "name": "notes", "command": .string(try BinaryLocator.testMCPServerPath()), "args": [], "env": [],
        ]
        let (id, _) = try await editor.newSession(cwd: fixture.workspace.path, mcpServers: [server])
        _ = try await editor.client.call(
            "session/set_config_option", ["sessionId": .string(id), "configId": "mode", "value": "auto"])
        fixture.model.enqueue(.text("", toolCalls: [call("functions.mcp__notes__echo:0", "mcp__notes__echo", ["text": "from MCP"])]))
        fixture.model.enqueue(.text("", toolCalls: [call("functions.mcp__notes__echo:1", "mcp__notes__echo", ["text": "again"])]))
        fixture.model.enqueue(.text("Both echoed."))
        editor.answerPermissions(["allow_always"])
        #expect(try await editor.stopReason(of: editor.prompt(id, "Echo twice.")) == "end_turn")
        let tools = fixture.model.chatRequests.first?.json?["tools"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue } ?? []
        #expect(tools.contains("mcp__notes__echo"))
        // Even in auto mode an MCP tool nobody pre-approved asks; allow_always covers the rest of the session.
        #expect(editor.permissionRequests.count == 1)
        #expect(editor.permissionRequests.first?["toolCall"]?["kind"] == "other")
        #expect(messages(fixture.model, 1).last?["content"] == "from MCP")
        #expect(messages(fixture.model, 2).last?["content"] == "again")
        _ = try await editor.client.call("session/close", ["sessionId": .string(id)])
        #expect(try await editor.quit() == 0)
    }
}
