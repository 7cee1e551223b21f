// Progress for k2.* commands: an editor that never answers window/workDoneProgress/create costs the progress, not
// the command.
import AnyJSON
import JSONRPC
import K2TestSupport
import Testing

@Suite struct ProgressTests {
    @Test func aCommandGoesOnWithoutProgressWhenTheEditorNeverAnswersCreate() async throws {
        let marked = MarkedText("$0a$0\n")
        // The deadline is injected: the test waits for the command, not for a clock.
        let session = try await inProcessSession(files: ["a.txt": marked.text]) { options in
            options.progressCreateTimeout = .milliseconds(50)
        }
        defer { Task { await session.finish() } }
        let uri = try session.open("a.txt", languageID: "plaintext")
        session.client.respondToServerRequests { method, _ in
            method == "window/workDoneProgress/create" ? LSPTestClient.noAnswer : nil
        }
        session.model.enqueue(.text("```\nb\n```"))
        let result = try await session.client.call(
            "workspace/executeCommand",
            ["command": "k2.refactor", "arguments": [["textDocument": ["uri": .string(uri)], "range": marked.range]]],
            timeout: .seconds(30))
        #expect(result["applied"] == true)
        #expect(session.client.serverRequests("window/workDoneProgress/create").count == 1)
        // No progress under a token the editor never acknowledged.
        #expect(session.client.notifications("$/progress").isEmpty)
        #expect(session.replyViolations.isEmpty)
    }
}
