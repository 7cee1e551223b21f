// `k2lsp acp` driven by the reference Python ACP SDK (PyPI `agent-client-protocol`, 0.12.x): its pydantic models
// check every answer and update against the schema, and its client sends ids from 0. CI installs the SDK and
// requires this test (K2LSP_REQUIRE_ACP_SDK=1); elsewhere it is skipped when the SDK is not importable.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

enum ReferenceACPSDK {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ACPReference/reference_client.py").path

    /// The interpreter that imports the SDK, resolved once (a pyenv shim needs the caller's environment; the real
    /// executable does not, so the test can run it with a clean one).
    static let python: String? = {
        guard let shim = ExternalTools.find("python3") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shim)
        process.arguments = ["-c", "import sys; from acp import spawn_agent_process; print(sys.executable)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }()

    static let shouldRun = ProcessInfo.processInfo.environment["K2LSP_REQUIRE_ACP_SDK"] == "1" || python != nil
}

@Suite(
    .serialized,
    .enabled(
        if: ReferenceACPSDK.shouldRun,
        "the reference Python ACP SDK is not importable: pip install 'agent-client-protocol==0.12.*' (CI installs it and sets K2LSP_REQUIRE_ACP_SDK=1)"
    ))
struct ACPReferenceSDKTests {
    @Test func theReferenceClientRunsASessionAndReloadsIt() async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        let workspace = try TemporaryDirectory()
        let state = try TemporaryDirectory(prefix: "k2lsp-state")
        try workspace.write("Greeter.swift", "let greeting = \"hello\"\n")
        model.enqueue(
            .text(
                "", reasoning: "Read, then edit.",
                toolCalls: [
                    ScriptedToolCall(id: "functions.read_file:0", name: "read_file", arguments: #"{"path":"Greeter.swift"}"#),
                    ScriptedToolCall(
                        id: "functions.edit_file:1", name: "edit_file",
                        arguments: #"{"path":"Greeter.swift","old_text":"hello","new_text":"hi"}"#),
                ]),
            forModel: "kimi-k2.7-code")
        model.enqueue(.text("Now it says hi.", reasoning: "Done."), forModel: "kimi-k2.7-code")

        let python = try #require(ReferenceACPSDK.python, "python3 cannot import the reference ACP SDK (acp)")
        let result = try await ExternalTools.run(
            python, [ReferenceACPSDK.script, try BinaryLocator.k2lspPath(), workspace.path],
            environment: [
                "K2_API_BASE_URL": model.baseURL, "K2_API_KEY": EditorSession.testKey, "XDG_STATE_HOME": state.path,
                "XDG_CONFIG_HOME": state.path + "/no-config", "HOME": state.path,
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            ],
            inheritEnvironment: false, timeout: .seconds(120))
        try #require(result.exitCode == 0, "the reference client failed:\n\(result.stderr)")
        let report = try JSONValue(parsing: Data(result.stdout.utf8))
        #expect(report["protocolVersion"] == 1)
        #expect(report["loadSession"] == true)
        #expect(report["embeddedContext"] == true)
        #expect(report["configOptions"] == ["model", "mode"])
        #expect(report["modes"] == ["ask", "auto"])
        #expect(report["modelAfterSwitch"] == "thinking")
        #expect(report["stopReason"] == "end_turn")
        #expect(report["thought"] == "Read, then edit.Done.")
        #expect(report["reply"] == "Now it says hi.")
        #expect(report["permissionRequests"] == ["functions.edit_file:1"])
        #expect(report["writes"] == ["Greeter.swift"])
        #expect(report["buffer"] == "let greeting = \"hi\"\n")
        let kinds = report["kinds"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for kind in ["agent_thought_chunk", "agent_message_chunk", "tool_call", "tool_call_update", "usage_update", "available_commands_update"] {
            #expect(kinds.contains(kind), "no \(kind) update: \(kinds)")
        }
        #expect(report["listed"] == [true])
        #expect(report["loadedModel"] == "thinking")
        #expect(report["replayedPrompt"] == "Say hi instead of hello.")
        #expect(report["replayedKinds"]?.arrayValue?.contains("tool_call") == true)
        #expect(model.chatRequests.allSatisfy { $0.json?["model"] == "kimi-k2.7-code" })
    }
}
