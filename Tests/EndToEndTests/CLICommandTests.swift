// `k2lsp complete`, `context`, `doctor`, `config` and `agent` end to end against the scripted K2 server.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite struct CLICommandTests {
    static let adder = "func add(_ a: Int, _ b: Int) -> Int {\n    return \n}\n"

    @Test func completePrintsTheCompletionText() async throws {
        let sandbox = try await CLISandbox.start(files: ["add.swift": Self.adder])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text("```swift\na + b\n}\n```"))
        let result = try await sandbox.run(["complete", "add.swift", "--line", "2", "--column", "12"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "a + b")
        #expect(sandbox.userMessage().contains("return <|cursor|>"))
    }

    @Test func completeWithoutAColumnCompletesAtTheEndOfTheLineAndSpeaksJSON() async throws {
        let sandbox = try await CLISandbox.start(files: ["add.swift": Self.adder])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text("a + b"))
        let result = try await sandbox.run(["complete", "add.swift", "--line", "2", "--json"])
        #expect(result.exitCode == 0, "\(result)")
        let json = try JSONValue(parsing: Data(result.stdout.utf8))
        #expect(json["text"] == "a + b")
        #expect(json["model"] == "kimi-k2.6")
        #expect(sandbox.userMessage().contains("return <|cursor|>"))
    }

    @Test func contextListsTheFile() async throws {
        let sandbox = try await CLISandbox.start(files: ["Sources/add.swift": Self.adder, "README.md": "# Adder\n"])
        defer { Task { await sandbox.finish() } }
        let result = try await sandbox.run(["context", "Sources/add.swift:2", "--task", "edit"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("Context for Sources/add.swift:2 (task: edit)"), "\(result)")
        #expect(result.stdout.contains("Included, in prompt order:"))
        #expect(sandbox.model.recordedRequests.isEmpty)
        let json = try await sandbox.run(["context", "Sources/add.swift", "--json"])
        #expect(json.exitCode == 0, "\(json)")
        let bundle = try JSONValue(parsing: Data(json.stdout.utf8))
        #expect(bundle["file"] == "Sources/add.swift")
        #expect(bundle["line"] == 1)
        let paths = bundle["items"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        #expect(paths.contains("Sources/add.swift"), "\(json.stdout)")
    }

    @Test func doctorPassesAgainstAWorkingServer() async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        sandbox.model.setModels(["kimi-k2.6"])
        sandbox.model.enqueue(
            .text("Hello!", toolCalls: [ScriptedToolCall(id: "functions.ping:0", name: "ping", arguments: "{}")]))
        let result = try await sandbox.run(["doctor"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("K2 Instruct: kimi-k2.6 (thinking off) at \(sandbox.model.baseURL)"))
        #expect(result.stdout.contains("chosen:       set by environment $K2_INSTRUCT_MODEL_ID"))
        #expect(result.stdout.contains("result:       OK"))
        #expect(result.stdout.contains("the model called ping"))
        #expect(!result.stdout.contains("K2 Thinking"))
    }

    @Test func doctorChecksThinkingWhenTheProfileUsesIt() async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        sandbox.model.setModels(["kimi-k2.6", "kimi-k2.7-code"])
        sandbox.model.enqueue(.text("Hello!"))
        sandbox.model.enqueue(.text("Hello!", reasoning: "A greeting."))
        let result = try await sandbox.run(["doctor", "--profile", "enterprise", "--json"])
        #expect(result.exitCode == 0, "\(result)")
        let json = try JSONValue(parsing: Data(result.stdout.utf8))
        #expect(json["ok"] == true)
        #expect(json["checks"]?.arrayValue?.compactMap { $0["label"]?.stringValue } == ["K2 Instruct", "K2 Thinking"])
        #expect(sandbox.model.chatRequests.count == 2)
    }

    @Test func doctorFailsOnARejectedKeyWithoutPrintingIt() async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.error(status: 401, type: "invalid_authentication_error", message: "Invalid Authentication"))
        let result = try await sandbox.run(["doctor"])
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stdout.contains("FAILED"))
        #expect(result.stdout.contains("K2_API_KEY"))
        #expect(result.stderr.contains("run `k2lsp doctor` again"))
        #expect(!result.stdout.contains(CLISandbox.apiKey) && !result.stderr.contains(CLISandbox.apiKey))
    }

    @Test func doctorWithoutAKeyExits2AndSendsNothing() async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        let result = try await sandbox.run(["doctor"], removing: ["K2_API_KEY"])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("export K2_API_KEY"))
        #expect(sandbox.model.recordedRequests.isEmpty)
    }

    @Test func configShowsSourcesAndNeverTheKey() async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        let result = try await sandbox.run(["config", "--profile", "pro"], removing: Array(EditorSession.pinnedModels.keys))
        #expect(result.exitCode == 0, "\(result)")
        let rows = result.stdout.split(separator: "\n").map(String.init)
        func row(_ key: String) -> String? { rows.first { $0.hasPrefix(key + " ") } }
        #expect(row("providers.instruct.base_url")?.contains("environment $K2_API_BASE_URL") == true, "\(result)")
        #expect(row("providers.instruct.api_key")?.contains("set") == true)
        #expect(row("profile")?.contains("pro") == true)
        #expect(row("profile")?.contains("command line") == true)
        #expect(row("providers.instruct.model")?.contains("built-in default") == true)
        #expect(!result.stdout.contains(CLISandbox.apiKey) && !result.stderr.contains(CLISandbox.apiKey))
        #expect(sandbox.model.recordedRequests.isEmpty)

        let missing = try await sandbox.run(["config", "--json"], removing: ["K2_API_KEY"])
        #expect(missing.exitCode == 0, "\(missing)")
        let json = try JSONValue(parsing: Data(missing.stdout.utf8))
        let apiKey = json["values"]?.arrayValue?.first { $0["key"] == "providers.instruct.api_key" }
        #expect(apiKey?["value"] == "missing")
    }

    @Test func configWithErrorsListsThemAndExits2() async throws {
        let sandbox = try await CLISandbox.start(files: [".k2lsp.yaml": "edit:\n  max_tokens: many\n"])
        defer { Task { await sandbox.finish() } }
        try sandbox.home.write(".config/k2lsp/config.yaml", "profile: [not, a, profile]\n")
        let result = try await sandbox.run(["config"])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stdout.contains("problems:"))
        #expect(result.stdout.contains("'profile'"))
    }

    @Test func agentNeedsAnInstructionAndAKey() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": "let a = 1\n"])
        defer { Task { await sandbox.finish() } }
        let noInstruction = try await sandbox.run(["agent"])
        #expect(noInstruction.exitCode == 2, "\(noInstruction)")
        #expect(noInstruction.stderr.contains("-m"))
        let noKey = try await sandbox.run(["agent", "-m", "rename a to b"], removing: ["K2_API_KEY"])
        #expect(noKey.exitCode == 2, "\(noKey)")
        #expect(sandbox.model.recordedRequests.isEmpty)
    }

    @Test func helpAndVersionExit0OnStdout() async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        let help = try await sandbox.run(["edit", "--help"])
        #expect(help.exitCode == 0, "\(help)")
        #expect(help.stdout.contains("--write"))
        let version = try await sandbox.run(["--version"])
        #expect(version.exitCode == 0, "\(version)")
        #expect(!version.stdout.isEmpty)
    }
}
