// The MCP client against the test server program: listing, calls, crashes, deadlines, cancellation, failures, logs.
import AnyJSON
import Foundation
import K2Config
import K2Engine
import K2TestSupport
import Testing

@testable import K2MCP

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct MCPServerTests {
    @Test func toolsAreListedUnderK2NamesInAStableOrder() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let servers = [try bench.testServer(autoApprove: .tools(["echo"]))]
        let tools = await bench.tools(servers)
        let names = tools.map(\.definition.name)
        #expect(names.count == TestMCPServer.toolNames.count)
        #expect(names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(names.contains("mcp__test__echo"))
        #expect(names.contains("mcp__test__weird_name_with_spaces"))
        #expect(names.allSatisfy { $0.count <= 64 && $0.hasPrefix("mcp__test__") })
        let echo = try #require(tools.first { $0.definition.name == "mcp__test__echo" })
        #expect(echo.definition.description == "Tool 'echo' of MCP server 'test': Echoes its text back.")
        #expect(
            echo.definition.parameters
                == [
                    "type": "object", "properties": ["text": ["type": "string", "description": "(at least 1 characters)"]],
                    "required": ["text"],
                ])
        #expect(echo.traits == ToolTraits(kind: .external, origin: .mcp(server: "test", tool: "echo"), preapproved: true))
        #expect(tools.filter(\.traits.preapproved).map(\.definition.name) == ["mcp__test__echo"])
        // A second run gets the same bytes from the same running server.
        let again = await bench.tools(servers)
        #expect(again.map(\.definition) == tools.map(\.definition))
        #expect(bench.starts == 1)
    }

    @Test func callsReturnTextAndDescribeOtherContent() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let servers = [try bench.testServer()]
        let echo = try await bench.tool("mcp__test__echo", in: servers)
        #expect(try await run(echo, ["text": "hello from K2"], in: bench.folder.path) == "hello from K2")
        let add = try await bench.tool("mcp__test__add", in: servers)
        #expect(try await run(add, ["a": 2, "b": 40], in: bench.folder.path) == "42")
        let image = try await bench.tool("mcp__test__image", in: servers)
        #expect(
            try await run(image, [:], in: bench.folder.path)
                == "[An image (image/png, 3.0 KB) that is not shown: you read text only.]\na red square")
        let fail = try await bench.tool("mcp__test__fail", in: servers)
        #expect(
            try await run(fail, [:], in: bench.folder.path)
                == "Error: MCP server 'test' reports that fail failed: the tracker is down")
        #expect(try await run(echo, "not an object", in: bench.folder.path).hasPrefix("Error: mcp__test__echo takes a JSON object"))
    }

    /// The program's end disconnects the client, so the call fails at once, not at its (here ten-minute) deadline.
    @Test func aCrashFailsTheCallQuicklyAndTheNextRunRestartsTheServer() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let servers = [try bench.testServer(timeout: 600)]
        let crash = try await bench.tool("mcp__test__crash", in: servers)
        let started = ContinuousClock.now
        let answer = try await run(crash, [:], in: bench.folder.path)
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(answer == "Error: MCP server 'test' exited with status 3 during the call, so it has no result. Carry on without this tool.")
        let echo = try await bench.tool("mcp__test__echo", in: servers)
        #expect(try await run(echo, ["text": "back"], in: bench.folder.path) == "back")
        #expect(bench.starts == 2)
    }

    @Test func aSlowToolMeetsItsDeadlineAndTheServerStaysUsable() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let servers = [try bench.testServer(timeout: 1)]
        let tools = await bench.tools(servers)
        let sleep = try #require(tools.first { $0.definition.name == "mcp__test__sleep" })
        let answer = try await run(sleep, ["seconds": 600], in: bench.folder.path)
        #expect(answer.hasPrefix("Error: MCP server 'test' did not answer within 1 s (mcp_servers.test.timeout)"))
        let echo = try #require(tools.first { $0.definition.name == "mcp__test__echo" })
        #expect(try await run(echo, ["text": "still here"], in: bench.folder.path) == "still here")
    }

    @Test func cancellingTheRunCancelsTheCall() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let sleep = try await bench.tool("mcp__test__sleep", in: [try bench.testServer(timeout: 600)])
        let folder = bench.folder.path
        let call = Task { try await run(sleep, ["seconds": 600], in: folder) }
        try await Task.sleep(for: .milliseconds(200))
        call.cancel()
        let started = ContinuousClock.now
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func aStartFailureIsReportedOnceAndItsToolsLeftOut() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let missing = MCPServerSettings(
            name: "missing",
            transport: .stdio(command: "no-such-mcp-server", arguments: [], environment: [:], workingDirectory: nil))
        let servers = [missing, try bench.testServer()]
        let first = await bench.tools(servers)
        #expect(first.count == TestMCPServer.toolNames.count)
        _ = await bench.tools(servers)
        #expect(
            bench.notices == [
                "MCP server 'missing' did not start, so its tools are left out: the command 'no-such-mcp-server' was not found on PATH. Give its full path in 'command', or install it."
            ])
        #expect(bench.log.text.components(separatedBy: "MCP server 'missing' did not start").count == 2)
    }

    @Test func aServerThatDiesAtStartSaysWhatItWrote() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let dying = MCPServerSettings(
            name: "dying",
            transport: .stdio(
                command: "/bin/sh", arguments: ["-c", "echo 'cannot open the database' >&2; exit 4"], environment: [:],
                workingDirectory: nil))
        let report = await bench.source([dying]).report(configuration: .defaults, workspaceRoot: bench.folder.path)
        guard case .failed(let reason) = report.first?.state else {
            Issue.record("expected a failure, got \(report)")
            return
        }
        #expect(reason.hasPrefix("the server exited with status 4 while starting."))
        #expect(reason.hasSuffix("cannot open the database"))
    }

    @Test func aStatelessOnlyServerIsNotSupportedAndSaysWhy() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let servers = [try bench.testServer("modern", arguments: ["--stateless-only"])]
        #expect(await bench.tools(servers).isEmpty)
        #expect(bench.notices.first?.hasPrefix("MCP server 'modern' is not used, so its tools are left out: not supported:") == true)
        let report = await bench.source(servers).report(configuration: .defaults, workspaceRoot: bench.folder.path)
        #expect(report.first?.state == .notSupported(reason: "\(MCPStartFailure.statelessOnly)"))
        #expect("\(MCPStartFailure.statelessOnly)".contains("2026-07-28"))
    }

    @Test func aServerThatNeverAnswersMeetsTheStartupDeadline() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let silent = MCPServerSettings(
            name: "silent",
            transport: .stdio(command: "/bin/sleep", arguments: ["600"], environment: [:], workingDirectory: nil),
            startupTimeoutSeconds: 1)
        let report = await bench.source([silent]).report(configuration: .defaults, workspaceRoot: bench.folder.path)
        #expect(report.first?.state == .failed(reason: "\(MCPStartFailure.timedOut(seconds: 1))"))
    }

    /// Servers get a few of k2lsp's variables and their own env; never k2lsp's API key. Expanded secrets are blanked
    /// out of the server's stderr in the log.
    @Test func environmentIsChosenAndSecretsStayOutOfTheLog() async throws {
        let bench = try MCPBench(environment: ["K2_API_KEY": "sk-live-key-never-shared", "NOTES_TOKEN": "tok-0123456789"])
        defer { Task { await bench.finish() } }
        let servers = [
            try bench.testServer(environment: ["K2_TEST_MCP_SAY": "token ${NOTES_TOKEN}", "MODE": "${MISSING:-quiet}"])
        ]
        let getenv = try await bench.tool("mcp__test__getenv", in: servers)
        #expect(try await run(getenv, ["name": "K2_API_KEY"], in: bench.folder.path) == "(unset)")
        #expect(try await run(getenv, ["name": "MODE"], in: bench.folder.path) == "quiet")
        #expect(try await run(getenv, ["name": "HOME"], in: bench.folder.path) == bench.folder.path)
        await bench.finish()
        // The whole env value is blanked: literal env values are secrets as much as expanded ones.
        #expect(bench.log.text.contains("MCP server 'test' stderr: test server says: ***"))
        #expect(!bench.log.text.contains("tok-0123456789"))
    }

    /// Started with no signal blocked (Swift's worker threads block SIGTERM and SIGCHLD; children inherit masks).
    @Test func serversStartWithNoSignalBlocked() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let signals = try await bench.tool("mcp__test__signals", in: [try bench.testServer()])
        #expect(try await run(signals, [:], in: bench.folder.path) == "SigBlk:\t0000000000000000")
    }

    @Test func anUnsetVariableStopsTheStartAndIsNamed() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let servers = [try bench.testServer(environment: ["TOKEN": "${TRACKER_TOKEN}"])]
        #expect(await bench.tools(servers).isEmpty)
        #expect(bench.starts == 0)
        #expect(bench.notices.first?.contains("${TRACKER_TOKEN} in mcp_servers.test.env.TOKEN is not set") == true)
    }

    @Test func releasingTheGroupStopsItsServers() async throws {
        let bench = try MCPBench()
        defer { Task { await bench.finish() } }
        let source = bench.source([try bench.testServer()])
        _ = await source.tools(for: bench.context())
        let line = try String(contentsOfFile: bench.canary, encoding: .utf8)
        let pid = try #require(Int32(line.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        #expect(kill(pid, 0) == 0)
        await source.shutdown()
        var gone = false
        for _ in 0..<500 where !gone {
            gone = kill(pid, 0) != 0
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone)
    }
}
