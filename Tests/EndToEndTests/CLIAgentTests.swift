// `k2lsp agent` end to end: a scripted multi-step run prints its diff and step log, and writes only with --write.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite struct CLIAgentTests {
    private func enqueueRun(_ sandbox: CLISandbox) {
        sandbox.model.enqueue(
            .text(
                "", reasoning: "Read the file first.",
                toolCalls: [ScriptedToolCall(id: "functions.read_file:0", name: "read_file", arguments: #"{"path":"greet.py"}"#)]))
        sandbox.model.enqueue(
            .text(
                "", reasoning: "Now rename.",
                toolCalls: [
                    ScriptedToolCall(
                        id: "functions.edit_file:1", name: "edit_file",
                        arguments: #"{"path":"greet.py","old_text":"def hello():","new_text":"def greet():"}"#)
                ]))
        sandbox.model.enqueue(.text("Renamed hello to greet."))
    }

    @Test func agentPrintsTheDiffAndTheStepLogAndLeavesFilesAlone() async throws {
        let sandbox = try await CLISandbox.start(files: ["greet.py": "def hello():\n    return 'hi'\n"])
        defer { Task { await sandbox.finish() } }
        enqueueRun(sandbox)
        let result = try await sandbox.run(["agent", "-m", "rename hello to greet"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("--- a/greet.py"))
        #expect(result.stdout.contains("-def hello():"))
        #expect(result.stdout.contains("+def greet():"))
        #expect(result.stderr.contains("read_file"))
        #expect(result.stderr.contains("edit_file"))
        #expect(try sandbox.workspace.read("greet.py") == "def hello():\n    return 'hi'\n")
        // The second request carries the first turn's reasoning and the exact tool_call_id.
        let second = try #require(sandbox.model.chatRequests.dropFirst().first?.json?["messages"]?.arrayValue)
        let assistant = try #require(second.first { $0["role"] == "assistant" })
        #expect(assistant["reasoning_content"] == "Read the file first.")
        #expect(second.contains { $0["role"] == "tool" && $0["tool_call_id"] == "functions.read_file:0" })
    }

    @Test func agentWritesWithWrite() async throws {
        let sandbox = try await CLISandbox.start(files: ["greet.py": "def hello():\n    return 'hi'\n"])
        defer { Task { await sandbox.finish() } }
        enqueueRun(sandbox)
        let result = try await sandbox.run(["agent", "-m", "rename hello to greet", "--write", "--json"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(try sandbox.workspace.read("greet.py") == "def greet():\n    return 'hi'\n")
        let json = try JSONValue(parsing: Data(result.stdout.utf8))
        #expect(json["files"]?[0]?["path"] == "greet.py")
        #expect(json["steps"]?.arrayValue?.count == 2)
    }
}
