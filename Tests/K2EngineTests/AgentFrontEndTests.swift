// What the agent offers a second front end (ACP): histories to continue, changes written as made, presentations of
// calls, attachments, the plan tool and the prompt variant — all protocol-free.
import AnyJSON
import Foundation
import K2Provider
import K2Workspace
import Synchronization
import Testing

@testable import K2Engine

/// A file access that serves editor buffers and records writes (an editor's fs/read_text_file and write_text_file).
final class RecordingFileAccess: AgentFileAccess {
    private let state = Mutex<(buffers: [String: String], writes: [(path: String, text: String, expected: String?)])>(([:], []))

    init(buffers: [String: String] = [:]) {
        state.withLock { $0.buffers = buffers }
    }

    var writes: [(path: String, text: String, expected: String?)] { state.withLock { $0.writes } }

    func setBuffer(_ path: String, _ text: String) { state.withLock { $0.buffers[path] = text } }

    func readText(atPath path: String) async throws -> String? {
        state.withLock { $0.buffers[path] }
    }

    func writeText(_ text: String, atPath path: String, expected: String?) async throws {
        try state.withLock { state in
            let current = state.buffers[path]
            guard current == expected else { throw FileAccessError("\(path) changed in the editor.") }
            state.buffers[path] = text
            state.writes.append((path, text, expected))
        }
    }
}

@Suite struct ConversationHistoryTests {
    @Test func everyCallIsAnsweredOnceAndStrayAnswersAndSystemPromptsGo() {
        let calls = [ToolCall(id: "a", name: "read_file", arguments: "{}"), ToolCall(id: "b", name: "search", arguments: "{}")]
        let history: [ChatMessage] = [
            .system("old system prompt"),
            .user("first"),
            .assistant("", toolCalls: calls),
            .tool(callID: "a", name: "read_file", content: "A"),
            .tool(callID: "zzz", name: "read_file", content: "answers nothing"),
            // The turn was cancelled before `b` ran.
            .user("second"),
        ]
        let prepared = ConversationHistory.prepared(history, budgetTokens: 100_000)
        #expect(prepared.map(\.role) == [.user, .assistant, .tool, .tool, .user])
        #expect(prepared[2].toolCallID == "a")
        #expect(prepared[3].toolCallID == "b")
        #expect(prepared[3].content == ConversationHistory.notRunAnswer)
        // A call left open at the very end is answered too.
        let open = ConversationHistory.prepared([.user("x"), .assistant("", toolCalls: calls)], budgetTokens: 100_000)
        #expect(open.suffix(2).map(\.toolCallID) == ["a", "b"])
    }

    @Test func theOldestExchangesAreLeftOutWhenTheWholeDoesNotFit() {
        let long = String(repeating: "word ", count: 3_000)
        let history: [ChatMessage] = [.user("one " + long), .assistant("reply one"), .user("two"), .assistant("reply two")]
        let prepared = ConversationHistory.prepared(history, budgetTokens: 1_000)
        #expect(prepared.count == 2)
        #expect(prepared[0].content == ConversationHistory.leftOutNote + "\n\ntwo")
        #expect(ConversationHistory.prepared(history, budgetTokens: 1_000_000).count == 4)
        // The last exchange is kept whatever it costs.
        #expect(ConversationHistory.prepared([.user(long)], budgetTokens: 10).count == 1)
    }
}

@Suite struct ChangesWrittenAsMadeTests {
    @Test func anEditReadsTheEditorsBufferAndWritesItAtOnce() async throws {
        let access = RecordingFileAccess()
        let fixture = try await AgentFixture(["a.swift": "let a = 1\n"], fileAccess: access)
        let path = fixture.root + "/a.swift"
        access.setBuffer(path, "let a = 1 // unsaved\n")
        let tool = EditFileTool(delivery: .asMade)
        let arguments: JSONValue = ["path": "a.swift", "old_text": "1", "new_text": "2"]
        let presentation = await tool.presentation(of: arguments, in: fixture.workspace)
        #expect(presentation.title == "Edit a.swift")
        #expect(presentation.change == ProposedFileChange(path: path, oldText: "let a = 1 // unsaved\n", newText: "let a = 2 // unsaved\n"))
        #expect(presentation.locations == [ToolLocation(path: path, line: 1)])
        #expect(access.writes.isEmpty, "presenting a call changes nothing")

        _ = try await tool.run(arguments, in: fixture.workspace)
        #expect(access.writes.map(\.text) == ["let a = 2 // unsaved\n"])
        #expect(access.writes.first?.expected == "let a = 1 // unsaved\n")
        #expect(fixture.disk("a.swift") == "let a = 1\n", "the editor's access wrote it, not the disk")
    }

    @Test func aFileTheUserChangedMeanwhileIsNotOverwrittenAndIsReadAfresh() async throws {
        let access = RecordingFileAccess()
        let fixture = try await AgentFixture(["a.txt": "x\n"], fileAccess: access)
        let path = fixture.root + "/a.txt"
        access.setBuffer(path, "one\n")
        _ = try await fixture.call("read_file", ["path": "a.txt"])
        access.setBuffer(path, "one, edited by the user\n")
        let tool = EditFileTool(delivery: .asMade)
        await #expect(throws: ToolError.self) {
            try await tool.run(["path": "a.txt", "old_text": "one", "new_text": "two"], in: fixture.workspace)
        }
        #expect(access.writes.isEmpty)
        #expect(try await fixture.call("read_file", ["path": "a.txt"]).hasSuffix("one, edited by the user\n"))
    }

    @Test func theDiskAccessKeepsLineEndingsAndCreatesNewFiles() async throws {
        let fixture = try await AgentFixture(["crlf.txt": "a\r\nb\r\n"], fileAccess: DiskFileAccess())
        _ = try await fixture.call("read_file", ["path": "crlf.txt"])
        let edit = EditFileTool(delivery: .asMade)
        _ = try await edit.run(["path": "crlf.txt", "old_text": "b", "new_text": "c"], in: fixture.workspace)
        #expect(fixture.disk("crlf.txt") == "a\r\nc\r\n")
        let write = WriteFileTool(delivery: .asMade)
        let created = try await write.run(["path": "new/file.txt", "content": "hello\n"], in: fixture.workspace)
        #expect(created == "Created new/file.txt (1 lines).")
        #expect(fixture.disk("new/file.txt") == "hello\n")
        // Once written, the run's later writes expect what it wrote.
        _ = try await write.run(["path": "new/file.txt", "content": "hello again\n"], in: fixture.workspace)
        #expect(fixture.disk("new/file.txt") == "hello again\n")
        #expect(try await fixture.workspace.listFiles().contains("new/file.txt"))
    }

    /// While the user looks at the proposed change, someone creates the file: the allowed change (a new file) is not
    /// made another way (replacing theirs).
    @Test func whatIsAllowedIsWhatIsMade() async throws {
        let fixture = try await AgentFixture([:], fileAccess: DiskFileAccess())
        let model = ScriptedAgentModel([
            ScriptedAgentModel.calls([("c0", "write_file", #"{"path":"late.txt","content":"mine\n"}"#)]),
            ScriptedAgentModel.answer("Could not."),
        ])
        let log = EventLog()
        let loop = AgentLoop(
            registry: .standard(for: .asMade), workspace: fixture.workspace, limits: AgentLimits(),
            permissions: ChangesFileWhileAsking(path: fixture.root + "/late.txt"), events: log.sink)
        _ = try await loop.run([.system("s"), .user("u")], callModel: model.caller)
        #expect(fixture.disk("late.txt") == "someone else's\n")
        #expect(log.toolCalls.first?.presentation?.title == "Create late.txt")
        #expect(log.toolCalls.last?.status == .failed)
        #expect(log.toolCalls.last?.output?.hasPrefix("Error: not run: late.txt changed while this change waited to be allowed") == true)
    }
}

/// A person who takes a while: the file appears before they allow the call.
struct ChangesFileWhileAsking: ToolPermissionPolicy {
    let path: String

    func decide(_ request: ToolPermissionRequest) async -> ToolPermissionDecision {
        try? AgentFixture.write("someone else's\n", to: path)
        return .allow
    }
}

@Suite struct AgentFrontEndPromptTests {
    @Test func theWriteAsMadePromptDiffersOnlyInWhenChangesAreSaved() {
        let asMade = AgentPrompt.systemPrompt(for: .asMade)
        #expect(AgentPrompt.systemPrompt(for: .atTheEnd) == AgentPrompt.systemPrompt)
        #expect(AgentPrompt.systemPrompt.contains(AgentPrompt.reviewedAtTheEnd))
        #expect(asMade.contains(AgentPrompt.savedAsMade))
        #expect(!asMade.contains("all or nothing"))
        #expect(EditFileTool(delivery: .asMade).definition.description.hasSuffix("(the user may be asked to approve it first)."))
        #expect(ToolRegistry.standard.tool(named: "edit_file")?.definition.description.hasSuffix("applies all changes at the end.") == true)
    }

    @Test func attachmentsAreNamedShownRedactedOrRefused() async throws {
        let fixture = try await AgentFixture(["Sources/a.swift": "let a = 1\n", ".env": "TOKEN=x\n"])
        let rendered = try #require(
            await AgentPrompt.attachments(
                [
                    AgentAttachment(location: fixture.root + "/Sources/a.swift"),
                    AgentAttachment(location: fixture.root + "/Sources/b.swift", text: "let key = \"sk-live-abcdefghijklmnopqrstuvwxyz0123\"\n"),
                    AgentAttachment(location: fixture.root + "/.env", text: "TOKEN=s3cr3t\n"),
                    AgentAttachment(location: "/etc/hosts", text: "127.0.0.1 localhost\n"),
                    AgentAttachment(location: "untitled:Untitled-1", text: "scratch ``` text\n"),
                ], in: fixture.workspace))
        #expect(rendered.hasPrefix("## Attached by the user\n- Sources/a.swift (read it with read_file when you need it)\n"))
        #expect(rendered.contains("- Sources/b.swift (its text is below)"))
        #expect(rendered.contains(".env: not shown (.env is a secret file"))
        #expect(!rendered.contains("s3cr3t"))
        #expect(rendered.contains("- /etc/hosts: outside the workspace, so not shown"))
        #expect(!rendered.contains("localhost"))
        #expect(rendered.contains("### untitled:Untitled-1\n````\nscratch ``` text\n````"))
        #expect(!rendered.contains("sk-live-abcdefghijklmnopqrstuvwxyz0123"), "secret-looking values are redacted")
        #expect(await AgentPrompt.attachments([], in: fixture.workspace) == nil)
    }

    @Test func thePlanToolReportsEachPlanAndRefusesABadOne() async throws {
        let fixture = try await AgentFixture([:])
        let plans = Mutex<[[PlanStep]]>([])
        let tool = UpdatePlanTool { steps in plans.withLock { $0.append(steps) } }
        let result = try await tool.run(
            ["steps": [["step": "Read", "status": "completed"], ["step": "Edit", "status": "in_progress"]]],
            in: fixture.workspace)
        #expect(result == "Plan updated: 2 steps, 1 completed.")
        #expect(plans.withLock { $0 } == [[PlanStep(text: "Read", status: .completed), PlanStep(text: "Edit", status: .inProgress)]])
        await #expect(throws: ToolError.self) {
            try await tool.run(["steps": [["step": "Read", "status": "done"]]], in: fixture.workspace)
        }
        #expect(await tool.presentation(of: [:], in: fixture.workspace).isBookkeeping)
    }

    @Test func aRunReportsEveryMessageItAddsAndEachCallsPresentation() async throws {
        let fixture = try await AgentFixture(["a.txt": "A\n"])
        let model = ScriptedAgentModel([
            ScriptedAgentModel.calls([("c0", "read_file", #"{"path":"a.txt","start_line":1}"#)]),
            ScriptedAgentModel.answer("Read it."),
        ])
        let log = EventLog()
        let loop = AgentLoop(registry: .standard, workspace: fixture.workspace, limits: AgentLimits(), events: log.sink)
        _ = try await loop.run([.system("s"), .user("u")], callModel: model.caller)
        #expect(log.messages.map(\.role) == [.assistant, .tool, .assistant])
        #expect(log.messages[1].toolCallID == "c0")
        let started = try #require(log.toolCalls.first)
        #expect(started.callID == "c0")
        #expect(started.presentation?.title == "Read a.txt (from line 1)")
        #expect(started.presentation?.locations == [ToolLocation(path: fixture.root + "/a.txt", line: 1)])
        #expect(log.toolCalls.last?.output?.hasPrefix("a.txt: all 1 lines") == true)
    }
}

extension EventLog {
    var messages: [ChatMessage] {
        all.compactMap { if case .message(let message) = $0 { return message } else { return nil } }
    }
}
