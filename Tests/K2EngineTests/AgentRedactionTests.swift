// Whatever a tool says goes to the model redacted, hints and errors included; edits still apply to the real text.
import AnyJSON
import Foundation
import K2Engine
import K2Provider
import K2Workspace
import Testing

@Suite struct AgentRedactionTests {
    private static let settings = """
        DEBUG = False
        DB_HOST = "db.internal"
        DB_PASSWORD = 'Hunter2-correct-horse-42'
        TIMEOUT = 30

        """

    private static let keyFile = """
        # deploy key, kept here by mistake
        key = '''
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACDmJk3Hx0k2m8cMiddleOfTheKeyLineZZZZ9w7Yy1nL9sAAAAoG1sZXhh
        -----END OPENSSH PRIVATE KEY-----
        '''

        """

    @Test func aFailedEditQuotesTheLinesAsReadFileShowsThem() async throws {
        let fixture = try await AgentFixture(["settings.py": Self.settings])
        let shown = try await fixture.call("read_file", ["path": "settings.py"])
        #expect(!shown.contains("Hunter2"))
        let hint = try await fixture.call(
            "edit_file",
            ["path": "settings.py", "old_text": "DB_PASSWORD = 'Hunter2-wrong-horse-41'\nTIMEOUT = 30\n", "new_text": "TIMEOUT = 60\n"])
        #expect(hint.contains("most similar lines"), "\(hint)")
        #expect(hint.contains("TIMEOUT = 30"))
        #expect(!hint.contains("Hunter2-correct"), "\(hint)")
        #expect(hint.contains(SecretPolicy.redactionMarker))
    }

    @Test func aHintNeverQuotesTheInnerLinesOfAPrivateKey() async throws {
        let fixture = try await AgentFixture(["deploy.py": Self.keyFile])
        let hint = try await fixture.call(
            "edit_file",
            ["path": "deploy.py", "old_text": "QyNTUxOQAAACDmJk3Hx0k2m8cMiddleOfTheKeyLineZZZZ9w7Yy1nL9sAAAAoG1sZXhx\n", "new_text": "x\n"])
        #expect(hint.contains("most similar lines"), "\(hint)")
        #expect(!hint.contains("MiddleOfTheKey"), "\(hint)")
    }

    @Test func anEditNextToARedactedLineStillAppliesToTheRealText() async throws {
        let fixture = try await AgentFixture(["settings.py": Self.settings])
        let result = try await fixture.call(
            "edit_file", ["path": "settings.py", "old_text": "TIMEOUT = 30\n", "new_text": "TIMEOUT = 60\n"])
        #expect(result.hasPrefix("Edited settings.py"), "\(result)")
        let edited = try await fixture.editedTexts()
        #expect(edited["settings.py"] == Self.settings.replacingOccurrences(of: "TIMEOUT = 30", with: "TIMEOUT = 60"))
    }

    @Test func gitMetadataIsNeverShownThoughItMayBeWritten() async throws {
        let config = "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hz\n"
        let fixture = try await AgentFixture([".git/config": config, ".git/hooks/pre-commit": "#!/bin/sh\n"],
            options: AgentWorkspaceOptions(allowProtectedWrites: true))
        for path in [".git/config", "./.git/hooks/pre-commit"] {
            let read = try await fixture.call("read_file", ["path": .string(path)])
            #expect(read.hasPrefix("Error: ") && read.contains("git metadata"), "\(path): \(read)")
        }
        let search = try await fixture.call("search", ["query": "extraheader"])
        #expect(search.hasPrefix("No matches"), "\(search)")
        let hint = try await fixture.call(
            "edit_file", ["path": ".git/config", "old_text": "extraheader = AUTHORIZATION: basic eC1hY2Nlc3Mt\n", "new_text": "x"])
        #expect(!hint.contains("eC1hY2Nlc3MtdG9rZW46Z2hz"), "\(hint)")
        let write = try await fixture.call("write_file", ["path": ".git/hooks/pre-commit", "content": "#!/bin/sh\nexit 0\n"])
        #expect(write.hasPrefix("Replaced"), "\(write)")
    }

    /// A tool that reports what it read without redacting it, as an MCP server's tool might.
    struct LeakyTool: AgentTool {
        let definition = ToolDefinition(
            name: "leaky", description: "Says a secret.", parameters: ["type": "object", "properties": [:]])
        let traits = ToolTraits(kind: .read, origin: .mcp(server: "leaky-server", tool: "leaky"), preapproved: true)
        func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
            throw ToolError("could not connect with api_key = 'q8Zr2mXv7LkP0sWd' to the server")
        }
    }

    @Test func theLoopRedactsEveryToolResultOnItsWayToTheModel() async throws {
        let fixture = try await AgentFixture(["settings.py": Self.settings])
        var registry = ToolRegistry.standard
        registry.register(LeakyTool())
        let model = ScriptedAgentModel([
            ScriptedAgentModel.calls([
                ("functions.leaky:0", "leaky", "{}"),
                ("functions.edit_file:1", "edit_file",
                 #"{"path":"settings.py","old_text":"DB_PASSWORD = 'Hunter2-wrong'\n","new_text":"x\n"}"#),
            ]),
            ScriptedAgentModel.answer("Done."),
        ])
        let events = EventLog()
        let loop = AgentLoop(registry: registry, workspace: fixture.workspace, limits: AgentLimits(), events: events.sink)
        let result = try await loop.run([.user("Fix the settings.")], callModel: model.caller)
        let sent = model.requests[1].filter { $0.role == .tool }.map(\.content).joined(separator: "\n")
        #expect(sent.contains("could not connect"), "\(sent)")
        #expect(!sent.contains("q8Zr2mXv7LkP0sWd"), "\(sent)")
        #expect(!sent.contains("Hunter2-correct"), "\(sent)")
        #expect(!result.steps.map(\.resultPreview).joined().contains("q8Zr2mXv7LkP0sWd"))
    }
}
