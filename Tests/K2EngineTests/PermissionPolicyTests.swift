// The permission hook of an agent run: asked once per call with the tool's traits; a denial reaches the model.
import AnyJSON
import K2Engine
import K2Provider
import Synchronization
import Testing

/// A policy like ACP's "ask" mode: records each request and refuses edits.
private final class AskingPolicy: ToolPermissionPolicy {
    let asked = Mutex<[ToolPermissionRequest]>([])

    func decide(_ request: ToolPermissionRequest) async -> ToolPermissionDecision {
        asked.withLock { $0.append(request) }
        return request.traits.kind == .edit ? .deny(reason: "the user rejected this edit.") : .allow
    }
}

@Suite struct PermissionPolicyTests {
    @Test func everyCallIsAskedAndADenialIsAnsweredToTheModel() async throws {
        let workspace = try await AgentFixture(["a.txt": "A\n"])
        let model = ScriptedAgentModel([
            ScriptedAgentModel.calls([
                ("functions.read_file:0", "read_file", #"{"path":"a.txt"}"#),
                ("functions.edit_file:1", "edit_file", #"{"path":"a.txt","old_text":"A","new_text":"B"}"#),
            ]),
            ScriptedAgentModel.answer("Left it alone."),
        ])
        let policy = AskingPolicy()
        let events = EventLog()
        let loop = AgentLoop(
            registry: .standard, workspace: workspace.workspace, limits: AgentLimits(), permissions: policy,
            events: events.sink)
        let result = try await loop.run([.user("Change A to B.")], callModel: model.caller)

        let asked = policy.asked.withLock { $0 }
        #expect(asked.map(\.tool) == ["read_file", "edit_file"])
        #expect(asked.map(\.callID) == ["functions.read_file:0", "functions.edit_file:1"])
        #expect(asked.map(\.step) == [1, 2])
        #expect(asked.map(\.traits) == [ToolTraits(kind: .read), ToolTraits(kind: .edit)])
        #expect(asked[1].arguments == ["path": "a.txt", "old_text": "A", "new_text": "B"])
        let answers = model.requests[1].filter { $0.role == .tool }
        #expect(answers.last?.content == "Error: not run: the user rejected this edit.")
        #expect(events.toolCalls.map(\.status) == [.started, .done, .started, .refused])
        #expect(result.steps.map(\.ok) == [true, false])
        #expect(try await workspace.editedTexts().isEmpty)
    }

    /// Where nobody can be asked, built-in tools run and MCP tools need the user's auto_approve.
    @Test func theUnattendedPolicy() async {
        let policy = UnattendedPermissionPolicy()
        func decide(_ traits: ToolTraits) async -> ToolPermissionDecision {
            await policy.decide(ToolPermissionRequest(step: 1, callID: "c", tool: "t", arguments: [:], traits: traits))
        }
        #expect(await decide(ToolTraits(kind: .edit)) == .allow)
        #expect(await decide(ToolTraits(kind: .external, origin: .mcp(server: "s", tool: "t"), preapproved: true)) == .allow)
        #expect(
            await decide(ToolTraits(kind: .external, origin: .mcp(server: "s", tool: "t")))
                == .deny(reason: UnattendedPermissionPolicy.notApproved(server: "s", tool: "t")))
    }
}
