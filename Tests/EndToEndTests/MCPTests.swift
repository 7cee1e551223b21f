// MCP servers end to end: the binary starts the test MCP server for an agent run, in the CLI and in the editor.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A user configuration naming the test server as `test` (counting its starts in `canary`).
private func testServerConfig(canary: String, autoApprove: String = "[echo]", extra: String = "") throws -> String {
    """
    mcp_servers:
      test:
        command: \(try BinaryLocator.testMCPServerPath())
        args: [--canary, \(canary)]
        auto_approve: \(autoApprove)
    \(extra)
    """
}

private func toolCall(_ id: String, _ name: String, _ arguments: JSONValue) -> ScriptedReply {
    .text("", reasoning: "Use the tool.", toolCalls: [ScriptedToolCall(id: id, name: name, arguments: arguments.serialized())])
}

private func toolNames(_ request: RecordedRequest?) -> [String] {
    request?.json?["tools"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue } ?? []
}

private func toolMessages(_ request: RecordedRequest?) -> [JSONValue] {
    request?.json?["messages"]?.arrayValue?.filter { $0["role"] == "tool" } ?? []
}

@Suite struct MCPTests {
    @Test func anMCPCallRoundTripsThroughTheAgentToTheNextRequest() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.txt": "A\n"])
        defer { Task { await sandbox.finish() } }
        let canary = sandbox.home.path + "/canary"
        try sandbox.home.write(".config/k2lsp/config.yaml", try testServerConfig(canary: canary))
        sandbox.model.enqueue(toolCall("functions.mcp__test__echo:0", "mcp__test__echo", ["text": "from the MCP server"]))
        sandbox.model.enqueue(toolCall("functions.mcp__test__crash:1", "mcp__test__crash", [:]))
        sandbox.model.enqueue(.text("The server said hello, then crashed."))
        let result = try await sandbox.run(["agent", "-m", "ask the test server"])
        #expect(result.exitCode == 0, "\(result)")

        let first = sandbox.model.chatRequests.first
        let names = toolNames(first)
        #expect(Array(names.prefix(6)) == ["read_file", "list_files", "search", "edit_file", "write_file", "get_diagnostics"])
        #expect(names.dropFirst(6).allSatisfy { $0.hasPrefix("mcp__test__") })
        #expect(names.contains("mcp__test__weird_name_with_spaces"))
        let echo = try #require(first?.json?["tools"]?.arrayValue?.first { $0["function"]?["name"] == "mcp__test__echo" })
        #expect(echo["function"]?["description"] == "Tool 'echo' of MCP server 'test': Echoes its text back.")
        // The result reaches the next request, answered by the exact id.
        let answer = try #require(toolMessages(sandbox.model.chatRequests.dropFirst().first).first)
        #expect(answer["tool_call_id"] == "functions.mcp__test__echo:0")
        #expect(answer["name"] == "mcp__test__echo")
        #expect(answer["content"] == "from the MCP server")
        // crash was not approved: refused without reaching the server, so the server kept running.
        let refused = toolMessages(sandbox.model.chatRequests.last).last
        #expect(refused?["content"]?.stringValue?.hasPrefix("Error: not run: the user has not allowed tool 'crash' of MCP server 'test'") == true)
        #expect(result.stderr.contains("step 1 ok: mcp__test__echo"))
        #expect(result.stderr.contains("step 2 refused: mcp__test__crash"))
        #expect(try String(contentsOfFile: canary, encoding: .utf8).split(separator: "\n").count == 1)
    }

    /// A cloned repository's .k2lsp.yaml naming a server is code execution: nothing is started.
    @Test func anUntrustedWorkspaceCannotStartAServer() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.txt": "A\n"])
        defer { Task { await sandbox.finish() } }
        let canary = sandbox.home.path + "/canary"
        try sandbox.workspace.write(".k2lsp.yaml", try testServerConfig(canary: canary, autoApprove: "true"))
        sandbox.model.enqueue(toolCall("functions.mcp__test__echo:0", "mcp__test__echo", ["text": "pwned"]))
        sandbox.model.enqueue(.text("Nothing to do."))
        let result = try await sandbox.run(["agent", "-m", "look around"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: canary))
        #expect(!toolNames(sandbox.model.chatRequests.first).contains { $0.hasPrefix("mcp__") })
        #expect(toolMessages(sandbox.model.chatRequests.last).first?["content"]?.stringValue?.hasPrefix("Error: there is no tool named \"mcp__test__echo\"") == true)
        #expect(result.stderr.contains("a workspace file may not add or change MCP servers"))

        let listing = try await sandbox.run(["mcp", "list"])
        #expect(listing.stdout.hasPrefix("No MCP servers are configured."))
        #expect(!FileManager.default.fileExists(atPath: canary))
    }

    @Test func mcpListShowsServersRevisionsAndModelFacingNames() async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        let canary = sandbox.home.path + "/canary"
        let extra = """
              modern: { command: \(try BinaryLocator.testMCPServerPath()), args: [--stateless-only] }
              old: { url: "http://127.0.0.1:9/sse", type: sse }
              off: { command: nothing, enabled: false }
            """
        try sandbox.home.write(".config/k2lsp/config.yaml", try testServerConfig(canary: canary, extra: extra))
        let text = try await sandbox.run(["mcp", "list"])
        #expect(text.exitCode == 0, "\(text)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("modern (stdio: ") == true)
        #expect(lines.first?.contains("not supported: the server speaks only the stateless 2026-07-28 revision") == true)
        #expect(lines.contains("off (stdio: nothing): disabled (enabled: false)"))
        #expect(lines.contains { $0.hasPrefix("old (sse: http://127.0.0.1:9/sse): not supported: 'type: sse'") })
        #expect(lines.contains { $0.hasPrefix("test (stdio: ") && $0.hasSuffix("started, MCP 2025-11-25, \(TestMCPServer.toolNames.count) tools, auto-approve: echo") })
        #expect(lines.contains { $0.hasPrefix("  mcp__test__echo ") && $0.contains("echo (runs without asking): Echoes its text back.") })
        #expect(lines.contains { $0.hasPrefix("  mcp__test__weird_name_with_spaces ") && $0.contains("weird.name/with spaces (refused unless approved)") })

        let json = try await sandbox.run(["mcp", "list", "--json"])
        let servers = try #require(try JSONValue(parsing: Data(json.stdout.utf8)).arrayValue)
        #expect(servers.map { $0["name"] } == ["modern", "off", "old", "test"])
        #expect(servers.map { $0["state"] } == ["not-supported", "disabled", "not-supported", "started"])
        let test = try #require(servers.last)
        #expect(test["protocolRevision"] == "2025-11-25")
        #expect(test["serverName"] == "k2-test-mcp-server")
        #expect(test["tools"]?.arrayValue?.first { $0["name"] == "echo" }?["modelName"] == "mcp__test__echo")
        #expect(test["tools"]?.arrayValue?.first { $0["name"] == "echo" }?["readOnlyHint"] == true)
    }

    /// In the editor: servers start on the first agent run, a refused call is told to the editor as k2/toolCall,
    /// and the server stops with k2lsp.
    @Test func inTheEditorServersStartLazilyRefusalsAreNotifiedAndServersStopWithK2lsp() async throws {
        let config = try TemporaryDirectory(prefix: "k2lsp-mcp-config")
        let canary = config.path + "/canary"
        let configFile = try config.write("config.yaml", try testServerConfig(canary: canary))
        let session = try await EditorSession.start(files: ["a.txt": "A\n"], environment: ["K2_CONFIG": configFile])
        defer { Task { await session.finish() } }
        #expect(!FileManager.default.fileExists(atPath: canary))
        session.model.enqueue(toolCall("functions.mcp__test__add:0", "mcp__test__add", ["a": 1, "b": 2]))
        session.model.enqueue(toolCall("functions.mcp__test__echo:1", "mcp__test__echo", ["text": "allowed"]))
        session.model.enqueue(.text("Done."))
        let result = try await session.client.call("k2/agent", ["instruction": "Add one and two."])
        #expect(result["steps"]?.arrayValue?.map { $0["ok"] } == [false, true])
        let notifications = session.client.notifications("k2/toolCall")
        #expect(notifications.map { $0["status"] } == ["started", "refused", "started", "done"])
        let refusal = try #require(notifications.first { $0["status"] == "refused" })
        #expect(refusal["tool"] == "mcp__test__add")
        #expect(refusal["arguments"] == ["a": 1, "b": 2])
        #expect(refusal["resultPreview"]?.stringValue?.contains("has not allowed tool 'add' of MCP server 'test'") == true)
        #expect(toolMessages(session.model.chatRequests[1]).first?["content"]?.stringValue?.hasPrefix("Error: not run:") == true)
        #expect(toolMessages(session.model.chatRequests[2]).last?["content"] == "allowed")

        let line = try String(contentsOfFile: canary, encoding: .utf8)
        let pid = try #require(Int32(line.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        #expect(kill(pid, 0) == 0)
        #expect(try await session.client.shutdownAndExit() == 0)
        var gone = false
        for _ in 0..<500 where !gone {
            gone = kill(pid, 0) != 0
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone, "the MCP server outlived k2lsp")
    }
}
