// MCP tools inside the agent loop: a huge result is capped with advice, an unapproved call is refused to the model.
import AnyJSON
import K2Config
import K2Engine
import K2Provider
import K2TestSupport
import K2Workspace
import Synchronization
import Testing

@testable import K2MCP

/// A model that answers from a script and records the conversations it was sent.
private final class Script: Sendable {
    private let state: Mutex<(turns: [ChatTurn], requests: [[ChatMessage]])>

    init(_ turns: [ChatTurn]) { state = Mutex((turns, [])) }

    var requests: [[ChatMessage]] { state.withLock { $0.requests } }

    var caller: AgentModelCaller {
        { [self] messages, _ in
            let turn = state.withLock { state -> ChatTurn? in
                state.requests.append(messages)
                return state.turns.isEmpty ? nil : state.turns.removeFirst()
            }
            guard let turn else { throw TestSupportError("the script has no turn left") }
            return AgentModelTurn(turn: turn, model: "kimi-k2-0905-preview")
        }
    }

    static func call(_ name: String, _ arguments: JSONValue) -> ChatTurn {
        ChatTurn(
            content: "", toolCalls: [ToolCall(id: "functions.\(name):0", name: name, arguments: arguments.serialized())],
            finishReason: "tool_calls", model: "kimi-k2-0905-preview")
    }

    static func answer(_ text: String) -> ChatTurn {
        ChatTurn(content: text, finishReason: "stop", model: "kimi-k2-0905-preview")
    }
}

private final class Progress: Sendable {
    let calls = Mutex<[ToolCallProgress]>([])
    var sink: EngineEventSink {
        { [self] event in if case .toolCall(let call) = event { calls.withLock { $0.append(call) } } }
    }
}

private func loop(
    _ bench: MCPBench, _ servers: [MCPServerSettings], limits: AgentLimits = AgentLimits(), progress: Progress
) async -> AgentLoop {
    var registry = ToolRegistry.standard
    _ = registry.adding(await bench.tools(servers))
    let workspace = AgentWorkspace(root: bench.folder.path, documents: DocumentStore())
    return AgentLoop(registry: registry, workspace: workspace, limits: limits, events: progress.sink)
}

private func toolMessage(_ request: [ChatMessage]) -> ChatMessage? {
    request.last { $0.role == .tool }
}

@Suite struct MCPAgentLoopTests {
    @Test func aHugeResultIsCappedWithAdviceForThisTool() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let progress = Progress()
        let agent = await loop(bench, [try bench.testServer()], limits: AgentLimits(toolOutputLimit: 100_000), progress: progress)
        let script = Script([Script.call("mcp__test__huge", ["characters": 300_000]), Script.answer("Done.")])
        _ = try await agent.run([ChatMessage.user("Fetch it.")], callModel: script.caller)
        let content = try #require(toolMessage(script.requests[1])?.content)
        #expect(content.count < 100_300)
        #expect(content.hasSuffix("[Output cut: showing 100000 of 300000 characters (agent.tool_output_limit). Ask the tool for less: a narrower query, fewer results, or one page at a time.]"))
        #expect(progress.calls.withLock { $0.map(\.status) } == [.started, .done])
    }

    /// Nobody can be asked in LSP or CLI mode: a tool auto_approve does not cover is refused, and the model told.
    @Test func anUnapprovedCallIsRefusedToTheModel() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let progress = Progress()
        let agent = await loop(bench, [try bench.testServer(autoApprove: .tools(["echo"]))], progress: progress)
        let script = Script([
            Script.call("mcp__test__add", ["a": 1]), Script.call("mcp__test__echo", ["text": "ok"]), Script.answer("Done."),
        ])
        let result = try await agent.run([ChatMessage.user("Add.")], callModel: script.caller)
        let refusal = try #require(toolMessage(script.requests[1]))
        #expect(refusal.toolCallID == "functions.mcp__test__add:0")
        #expect(refusal.content == "Error: not run: " + UnattendedPermissionPolicy.notApproved(server: "test", tool: "add"))
        #expect(toolMessage(script.requests[2])?.content == "ok")
        #expect(result.steps.map(\.ok) == [false, true])
        let calls = progress.calls.withLock { $0 }
        #expect(calls.map(\.status) == [.started, .refused, .started, .done])
        #expect(calls[1].traits?.origin == .mcp(server: "test", tool: "add"))
        #expect(calls[1].resultPreview?.contains("has not allowed tool 'add' of MCP server 'test'") == true)
    }

    /// A server that dies in a call answers that call with an error; the run goes on with its other tools.
    @Test func aCrashMidCallLeavesTheRunGoing() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let progress = Progress()
        let agent = await loop(bench, [try bench.testServer()], progress: progress)
        let script = Script([
            Script.call("mcp__test__crash", [:]), Script.call("list_files", [:]), Script.answer("Carried on."),
        ])
        let result = try await agent.run([ChatMessage.user("Try.")], callModel: script.caller)
        #expect(result.summary == "Carried on.")
        #expect(toolMessage(script.requests[1])?.content.contains("exited with status 3 during the call") == true)
        #expect(result.steps.map(\.ok) == [false, true])
    }
}
