// The headless commands against Kimi as hosted today: doctor, models, config, notices, keys and hardening.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite struct CLIHostedKimiTests {
    private static let unpinned = Array(EditorSession.pinnedModels.keys)

    private func hostedSandbox(models: [String] = HostedAPI.liveMoonshotModels, files: [String: String] = [:])
        async throws -> CLISandbox
    {
        let sandbox = try await CLISandbox.start(files: files)
        sandbox.model.behaveLikeHostedAPI(HostedAPI(models: models, acceptedKey: CLISandbox.apiKey))
        return sandbox
    }

    @Test func aKeyAlonePassesDoctorAndNothingItSendsIsRefused() async throws {
        let sandbox = try await hostedSandbox()
        defer { Task { await sandbox.finish() } }
        let result = try await sandbox.run(["doctor", "--profile", "enterprise"], removing: Self.unpinned)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("Roles (profile enterprise):"))
        #expect(result.stdout.contains("K2 Instruct  kimi-k2.6 (thinking off): the first K2 Instruct preference that GET /models lists"))
        #expect(result.stdout.contains("K2 Thinking  kimi-k2.7-code (thinking on)"))
        #expect(result.stdout.contains("result:       OK"))
        #expect(sandbox.model.recordedRequests.allSatisfy { $0.replyStatus == 200 }, "\(sandbox.model.recordedRequests.map(\.replyStatus))")
        let chats = sandbox.model.chatRequests
        #expect(chats.map(\.model) == ["kimi-k2.6", "kimi-k2.7-code"])
        #expect(chats.allSatisfy { $0.json?["messages"] == [["role": "user", "content": "Hello K2!"]] })
    }

    @Test func doctorPassesOnAKeyWithOnlyK3Models() async throws {
        let sandbox = try await hostedSandbox(models: HostedAPI.k3OnlyModels)
        defer { Task { await sandbox.finish() } }
        let result = try await sandbox.run(["doctor", "--json"], removing: Self.unpinned)
        #expect(result.exitCode == 0, "\(result)")
        let json = try JSONValue(parsing: Data(result.stdout.utf8))
        #expect(json["ok"] == true)
        #expect(json["roles"]?[0]?["model"] == "kimi-k3")
        #expect(json["roles"]?[0]?["request"] == "reasoning_effort low")
        #expect(json["checks"]?[0]?["request"] == "reasoning_effort low")
        #expect(sandbox.model.chatRequests.first?.json?["reasoning_effort"] == "low")
    }

    @Test func modelsListsWhatTheKeyCanUseAndWhyEachRoleGotItsModel() async throws {
        let sandbox = try await hostedSandbox(models: ["kimi-k3", "kimi-k2.7-code", "kimi-k2.6", "someone-elses-model"])
        defer { Task { await sandbox.finish() } }
        let text = try await sandbox.run(["models"], removing: Self.unpinned)
        #expect(text.exitCode == 0, "\(text)")
        #expect(text.stdout.contains("Models at \(sandbox.model.baseURL) (GET /models):"))
        #expect(text.stdout.contains("[kimi-k2.6] thinking switchable (thinking), 262144 tokens, fixed sampling (none sent), max_completion_tokens"))
        #expect(text.stdout.contains("someone-elses-model  [unknown: conservative profile]"))
        #expect(text.stdout.contains("K2 Thinking  kimi-k2.7-code (thinking on): the first K2 Thinking preference that GET /models lists [not used by this profile]"))
        #expect(sandbox.model.chatRequests.isEmpty)

        let json = try await sandbox.run(["models", "--json"], environment: ["K2_THINKING_MODEL_ID": "kimi-k3"], removing: ["K2_INSTRUCT_MODEL_ID"])
        #expect(json.exitCode == 0, "\(json)")
        let output = try JSONValue(parsing: Data(json.stdout.utf8))
        #expect(output["endpoints"]?[0]?["models"]?.arrayValue?.count == 4)
        #expect(output["roles"]?[1]?["model"] == "kimi-k3")
        #expect(output["roles"]?[1]?["reason"] == "set by environment $K2_THINKING_MODEL_ID")
        #expect(output["roles"]?[1]?["request"] == "reasoning_effort high")
        // The second process read the listing from the cache the first one wrote (same key, within a day).
        #expect(sandbox.model.recordedRequests.filter { $0.path.hasSuffix("/models") }.count == 1)
        let cacheFiles = try FileManager.default.contentsOfDirectory(atPath: sandbox.home.path + "/.cache/k2lsp")
        #expect(cacheFiles.count == 1)
        let cached = try String(contentsOfFile: sandbox.home.path + "/.cache/k2lsp/" + cacheFiles[0], encoding: .utf8)
        #expect(cached.contains("kimi-k2.7-code") && !cached.contains(CLISandbox.apiKey))
    }

    @Test func aMoonshotAPIKeyIsPickedUpAndConfigSaysWhich() async throws {
        let sandbox = try await hostedSandbox(files: ["a.py": "x = 1\n"])
        defer { Task { await sandbox.finish() } }
        let environment = ["MOONSHOT_API_KEY": CLISandbox.apiKey]
        let config = try await sandbox.run(["config"], environment: environment, removing: ["K2_API_KEY"])
        let row = config.stdout.split(separator: "\n").first { $0.hasPrefix("providers.instruct.api_key ") }
        #expect(row?.contains("set (K2_API_KEY is not set, so MOONSHOT_API_KEY is used)") == true, "\(config)")
        #expect(row?.contains("environment $MOONSHOT_API_KEY") == true)
        sandbox.model.enqueue(.text("```python\nx = 2\n```"))
        let edit = try await sandbox.run(
            ["edit", "a.py", "--lines", "1-1", "-m", "two"], environment: environment, removing: ["K2_API_KEY"] + Self.unpinned)
        #expect(edit.exitCode == 0, "\(edit)")
        #expect(sandbox.model.chatRequests.first?.header("Authorization") == "Bearer \(CLISandbox.apiKey)")
        #expect(!edit.stderr.contains(CLISandbox.apiKey) && !config.stdout.contains(CLISandbox.apiKey))
    }

    @Test func aRetiredIdIsReplacedAndTheCommandLineSaysSo() async throws {
        let sandbox = try await hostedSandbox(files: ["a.py": "x = 1\n"])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text("```python\nx = 2\n```"))
        let result = try await sandbox.run(
            ["edit", "a.py", "--lines", "1-1", "-m", "two"], environment: ["K2_INSTRUCT_MODEL_ID": "kimi-k2-0905-preview"])
        #expect(result.exitCode == 0, "\(result)")
        let notice =
            "Note: kimi-k2-0905-preview was retired by Moonshot; using kimi-k2.6 (thinking off) for K2 Instruct. "
            + "Set K2_INSTRUCT_MODEL_ID to choose another."
        #expect(result.stderr.components(separatedBy: notice).count == 2, "\(result)")
        #expect(sandbox.model.chatRequests.map(\.model) == ["kimi-k2-0905-preview", "kimi-k2.6"])
    }

    @Test func doctorShowsAFieldItHadToFix() async throws {
        let sandbox = try await hostedSandbox(files: [".k2lsp.yaml": "models:\n  kimi-k2.6:\n    temperature: 0.3\n"])
        defer { Task { await sandbox.finish() } }
        let result = try await sandbox.run(["doctor"], removing: Self.unpinned)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("adjusted:     k2lsp dropped 'temperature' after the server refused it (invalid temperature"))
        #expect(sandbox.model.chatRequests.map(\.replyStatus) == [400, 200])
    }

    @Test func anAskedForCompletionWaitsOutARateLimitAndSaysSo() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.py": "def add(a, b):\n    return \n"])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(
            .error(status: 429, type: "rate_limit_reached_error", message: "slow down", headers: ["Retry-After": "1"]))
        sandbox.model.enqueue(.text("a + b"))
        let result = try await sandbox.run(["complete", "a.py", "--line", "2"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "a + b")
        #expect(result.stderr.contains("Retrying (attempt 2): rate limited, retrying in 1 s"), "\(result)")
        #expect(result.stderr.contains("Note: 127.0.0.1 is rate-limiting this key") || result.stderr.contains("Note: Moonshot is rate-limiting"))
    }

    @Test func aHugeRetryAfterIsAProviderErrorNotACrash() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.py": "x = 1\n"])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(
            .error(
                status: 429, type: "rate_limit_reached_error", message: "please retry after 99999999999999999999 seconds",
                headers: ["Retry-After": "1e20"]))
        let result = try await sandbox.run(["edit", "a.py", "--lines", "1-1", "-m", "two"])
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr.contains("rate-limiting"))
        #expect(sandbox.model.chatRequests.count == 1)
    }

    @Test func aKeyWithALineBreakStopsEveryCommandBeforeAnythingIsSent() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.py": "x = 1\n"])
        defer { Task { await sandbox.finish() } }
        for arguments in [["doctor"], ["edit", "a.py", "-m", "two"], ["models"]] {
            let result = try await sandbox.run(arguments, environment: ["K2_API_KEY": CLISandbox.apiKey + "\n"])
            #expect(result.exitCode == 2, "\(result)")
            #expect(result.stderr.contains("K2_API_KEY contains a line break"), "\(result)")
            #expect(!result.stderr.contains("SECRETKEY"))
        }
        #expect(sandbox.model.recordedRequests.isEmpty)
    }

    @Test func providerTimeoutsAreConfigurableAndNamedInTheError() async throws {
        let sandbox = try await CLISandbox.start(files: [
            "a.py": "x = 1\n", ".k2lsp.yaml": "provider:\n  timeouts:\n    first_byte: 1\n",
        ])
        defer { Task { await sandbox.finish() } }
        // The server would answer after 30 s: 30 times the configured limit.
        sandbox.model.enqueue(.delayed(.seconds(30), .text("```python\nx = 2\n```")))
        // Only the first-byte limit can end this run with exit 3 before the server answers (exit 0).
        let result = try await sandbox.run(["edit", "a.py", "--lines", "1-1", "-m", "two"])
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr.contains("sent nothing for 1 s"), "\(result)")
        #expect(result.stderr.contains("raise provider.timeouts.first_byte"))
        let config = try await sandbox.run(["config"])
        #expect(config.stdout.contains("provider.timeouts.first_byte"))
    }
}
