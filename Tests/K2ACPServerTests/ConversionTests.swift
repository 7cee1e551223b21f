// ACP <-> engine values: prompts into instructions and attachments, choices, MCP servers, and the wire shapes the
// schema fixes (tagged unions, the diff's null oldText, permission outcomes).
import ACP
import AnyJSON
import Foundation
import JSONRPC
import K2Config
import K2Engine
import Testing

@testable import K2ACPServer

@Suite struct PromptContentTests {
    @Test func mentionsStandWhereTheyWereAndBecomeAttachments() {
        let prompt = PromptContent(
            [
                .text("Compare"),
                .resourceLink(uri: "file:///work/app/Sources/A.swift", name: "A.swift", mimeType: nil),
                .text("with"),
                .resource(.text(uri: "file:///work/app/B.swift", text: "let b = 2\n", mimeType: "text/x-swift")),
                .resourceLink(uri: "file:///elsewhere/C.swift", name: "C.swift", mimeType: nil),
                .unsupported(type: "image"),
            ], cwd: "/work/app")
        #expect(prompt.instruction.hasPrefix("Compare Sources/A.swift with B.swift /elsewhere/C.swift"))
        #expect(prompt.instruction.hasSuffix("(The user also attached image, which k2lsp cannot pass to K2.)"))
        #expect(
            prompt.attachments == [
                AgentAttachment(location: "/work/app/Sources/A.swift"),
                AgentAttachment(location: "/work/app/B.swift", text: "let b = 2\n"),
                AgentAttachment(location: "/elsewhere/C.swift"),
            ])
        #expect(prompt.title == "Compare Sources/A.swift with B.swift /elsewhere/C.swift")
        #expect(prompt.command == nil)
    }

    @Test func aSlashCommandIsReadFromTheStart() {
        let prompt = PromptContent([.text("  /tests the parser\nplease")], cwd: "/w")
        #expect(prompt.command?.command == .tests)
        #expect(prompt.command?.rest == "the parser\nplease")
        #expect(SlashCommand.tests.instruction("the parser")?.hasPrefix("Write tests for the parser.") == true)
        #expect(PromptContent([.text("/unknown x")], cwd: "/w").command == nil)
        #expect(PromptContent([.text("a /explain b")], cwd: "/w").command == nil)
        #expect(SlashCommand.context.instruction("x") == nil)
        #expect(SlashCommand.available.map(\.name) == ["explain", "tests", "fix", "doc", "context"])
    }

    @Test func embeddedTextIsStoredAsALink() {
        let stored = PromptContent.stored([.text("x"), .resource(.text(uri: "file:///w/a.txt", text: "secret", mimeType: nil))])
        #expect(stored == [.text("x"), .resourceLink(uri: "file:///w/a.txt", name: "a.txt", mimeType: nil)])
    }
}

@Suite struct SessionChoicesTests {
    @Test func optionsShowTheResolvedIdsAndSettingChecksValues() throws {
        var choices = SessionChoices(model: .instruct, mode: .ask)
        let options = choices.configOptions(models: [.instruct: "kimi-k2-0905-preview", .thinking: "kimi-k2-thinking"])
        #expect(options.map(\.id) == ["model", "mode"])
        #expect(options[0].options.map(\.name) == ["K2 Instruct (kimi-k2-0905-preview)", "K2 Thinking (kimi-k2-thinking)"])
        try choices.set("model", to: "thinking")
        try choices.set("mode", to: "auto")
        #expect(choices == SessionChoices(model: .thinking, mode: .auto))
        #expect(choices.modes.currentModeId == "auto")
        #expect(throws: ACPFailure.self) { try choices.set("model", to: "k3") }
        #expect(throws: ACPFailure.self) { try choices.set("mode", to: "yolo") }
        #expect(throws: ACPFailure.self) { try choices.set("speed", to: "fast") }
    }
}

@Suite struct ACPWireTests {
    private func json<T: Encodable>(_ value: T) throws -> JSONValue { try JSONValue(encoding: value) }

    @Test func aDiffForANewFileHasANullOldText() throws {
        let diff = try json(ToolCallContent.diff(path: "/w/new.txt", oldText: nil, newText: "x\n"))
        #expect(diff == ["type": "diff", "path": "/w/new.txt", "oldText": nil, "newText": "x\n"])
    }

    @Test func updatesAreTaggedAndRoundTrip() throws {
        let updates: [SessionUpdate] = [
            .agentThoughtChunk(.text("hm")),
            .toolCall(ToolCallInfo(toolCallId: "c", title: "Read a", kind: .read, status: .pending, locations: [.init(path: "/a", line: 2)])),
            .toolCallUpdate(ToolCallInfo(toolCallId: "c", status: .inProgress)),
            .plan([PlanEntry(content: "Read", priority: .medium, status: .inProgress)]),
            .availableCommands(SlashCommand.available),
            .currentMode("auto"),
            .sessionInfo(title: "T", updatedAt: nil),
            .usage(used: 19, size: 262_144),
        ]
        for update in updates {
            let value = try json(update)
            #expect(value["sessionUpdate"]?.stringValue == update.tag)
            #expect(try value.decode(SessionUpdate.self) == update)
        }
        #expect(try json(SessionUpdate.toolCallUpdate(ToolCallInfo(toolCallId: "c", status: .inProgress)))
            == ["sessionUpdate": "tool_call_update", "toolCallId": "c", "status": "in_progress"])
    }

    @Test func mcpServersDecodeInEachTransportAndBecomeSettings() throws {
        let servers = try JSONValue(parsing: Data(#"""
            [{"name": "fs", "command": "/bin/fs", "args": ["--stdio"], "env": [{"name": "TOKEN", "value": "t"}]},
             {"type": "http", "name": "api", "url": "https://x/mcp", "headers": [{"name": "Authorization", "value": "Bearer y"}]},
             {"type": "sse", "name": "old", "url": "https://x/sse", "headers": []}]
            """#.utf8)).decode([MCPServer].self)
        let settings = ACPAgent.mcpSettings(servers)
        #expect(settings.map(\.name) == ["fs", "api", "old"])
        #expect(settings[0].transport == .stdio(command: "/bin/fs", arguments: ["--stdio"], environment: ["TOKEN": "t"], workingDirectory: nil))
        #expect(settings[1].transport == .http(url: "https://x/mcp", headers: ["Authorization": "Bearer y"]))
        #expect(settings[2].transport == .legacySSE(url: "https://x/sse", headers: [:]))
        #expect(settings.allSatisfy { $0.autoApprove == .none }, "nothing an editor sends is pre-approved")
        #expect(throws: (any Error).self) { try JSONValue(parsing: Data(#"{"type": "ws", "name": "x", "url": "u"}"#.utf8)).decode(MCPServer.self) }
    }

    @Test func permissionOutcomesDecodeAndUnknownOnesAreRefused() throws {
        let selected = try JSONValue(parsing: Data(#"{"outcome": {"outcome": "selected", "optionId": "allow_once"}}"#.utf8))
        #expect(try selected.decode(RequestPermissionResponse.self).outcome == .selected(optionId: "allow_once"))
        let cancelled = try JSONValue(parsing: Data(#"{"outcome": {"outcome": "cancelled"}}"#.utf8))
        #expect(try cancelled.decode(RequestPermissionResponse.self).outcome == .cancelled)
        #expect(throws: (any Error).self) {
            try JSONValue(parsing: Data(#"{"outcome": {"outcome": "maybe"}}"#.utf8)).decode(RequestPermissionResponse.self)
        }
        // Some editors answer fs/write_text_file with null rather than {}.
        #expect((try? JSONValue.null.decode(WriteTextFileResponse.self)) != nil)
    }

    @Test func newSessionParamsAreLenientAboutAMissingServerList() throws {
        let request = try JSONValue(parsing: Data(#"{"cwd": "/w"}"#.utf8)).decode(NewSessionRequest.self)
        #expect(request.workspace == SessionWorkspace(cwd: "/w"))
        let load = try JSONValue(parsing: Data(#"{"sessionId": "s", "cwd": "/w", "mcpServers": []}"#.utf8))
            .decode(LoadSessionRequest.self)
        #expect(load.sessionId == "s")
        #expect(LoadSessionRequest.method == "session/load")
        #expect(ResumeSessionRequest.method == "session/resume")
    }

    @Test func engineErrorsKeepK2lspsVocabulary() {
        let stopped = ResponseError(acp: EngineError.stopped(.turnLimit(turns: 3)))
        #expect(stopped.code == -32803)
        #expect(stopped.data == ["kind": "refused"])
        #expect(ResponseError(acp: EngineError.invalidRequest("x")).code == -32602)
        #expect(ResponseError(acp: ACPFailure.unknownSession("s")).code == -32002)
        #expect(ResponseError(acp: CancellationError()).code == -32800)
        #expect(ACPAgent.stopReason(for: EngineError.stopped(.tokenBudget(used: 10, limit: 5)))?.0 == .maxTokens)
        #expect(ACPAgent.stopReason(for: EngineError.stopped(.repeatedCall(tool: "read_file", times: 5)))?.0 == .endTurn)
        #expect(ACPAgent.stopReason(for: EngineError.refused("no"))?.0 == .refusal)
        #expect(ACPAgent.stopReason(for: EngineError.notConfigured("no key")) == nil)
    }
}
