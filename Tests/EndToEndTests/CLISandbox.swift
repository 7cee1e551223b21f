// The headless CLI's test bench: runs the k2lsp binary like a shell would, in a temporary workspace, against a scripted K2.
import Foundation
import K2TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// What one run of the binary left behind.
struct CLIResult: Sendable, CustomStringConvertible {
    var exitCode: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(exitCode)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

enum CLIRun {
    /// Runs `k2lsp` to completion with exactly `environment` (plus PATH), `stdin` as its input (none when nil) and
    /// its output captured; kills it after `timeout`.
    static func run(
        arguments: [String], stdin: String? = nil, environment: [String: String], workingDirectory: String,
        timeout: Duration = .seconds(60)
    ) async throws -> CLIResult {
        try await runProcess(
            executable: try BinaryLocator.k2lspPath(), arguments: arguments, stdin: stdin, environment: environment,
            workingDirectory: workingDirectory, timeout: timeout)
    }

    /// Runs a program (one at a time with the other CLI tests: see `ProcessSlots`).
    static func runProcess(
        executable: String, arguments: [String], stdin: String? = nil, environment: [String: String],
        workingDirectory: String, timeout: Duration = .seconds(60)
    ) async throws -> CLIResult {
        await ProcessSlots.shared.acquire()
        do {
            let result = try await runNow(
                executable: executable, arguments: arguments, stdin: stdin, environment: environment,
                workingDirectory: workingDirectory, timeout: timeout)
            await ProcessSlots.shared.release()
            return result
        } catch {
            await ProcessSlots.shared.release()
            throw error
        }
    }

    private static func runNow(
        executable: String, arguments: [String], stdin: String?, environment: [String: String],
        workingDirectory: String, timeout: Duration
    ) async throws -> CLIResult {
        let result = try await ExternalTools.run(
            executable, arguments, environment: environment, inheritEnvironment: false, stdin: stdin,
            workingDirectory: workingDirectory, timeout: timeout)
        return CLIResult(exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr)
    }
}

/// Limits how many CLI runs are in flight. Swift Testing runs every test at once; dozens of k2lsp processes
/// starting together on a small machine starve the timing-sensitive tests of other suites (2 s first-byte timeouts).
actor ProcessSlots {
    static let shared = ProcessSlots(limit: 2)

    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = limit
    }

    func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the slot to the next waiter, if any.
    func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// A scripted K2 server, a workspace (a folder with `.git`, so it is found as the workspace) and a home folder
/// without configuration: the binary sees nothing of the developer's machine.
final class CLISandbox: Sendable {
    static let apiKey = "sk-test-cli-SECRETKEY-0123456789abcdef"

    let model: ScriptedK2Server
    let workspace: TemporaryDirectory
    let home: TemporaryDirectory

    private init(model: ScriptedK2Server, workspace: TemporaryDirectory, home: TemporaryDirectory) {
        self.model = model
        self.workspace = workspace
        self.home = home
    }

    static func start(files: [String: String] = [:]) async throws -> CLISandbox {
        let workspace = try TemporaryDirectory(prefix: "k2lsp-cli-workspace")
        try FileManager.default.createDirectory(atPath: workspace.path + "/.git", withIntermediateDirectories: true)
        for (path, contents) in files { try workspace.write(path, contents) }
        return CLISandbox(
            model: try await ScriptedK2Server.start(), workspace: workspace,
            home: try TemporaryDirectory(prefix: "k2lsp-cli-home"))
    }

    var environment: [String: String] {
        [
            "K2_API_BASE_URL": model.baseURL, "K2_API_KEY": Self.apiKey, "HOME": home.path,
            "XDG_CONFIG_HOME": home.path + "/.config", "XDG_CACHE_HOME": home.path + "/.cache",
        ].merging(EditorSession.pinnedModels) { $1 }
    }

    /// Runs `k2lsp arguments…` in the workspace (or a folder inside it); `removing` drops variables.
    func run(
        _ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:],
        removing: [String] = [], in subdirectory: String? = nil
    ) async throws -> CLIResult {
        var environment = self.environment.merging(extra) { _, new in new }
        for name in removing { environment[name] = nil }
        return try await CLIRun.run(
            arguments: arguments, stdin: stdin, environment: environment,
            workingDirectory: subdirectory.map { workspace.path + "/" + $0 } ?? workspace.path)
    }

    func path(_ relativePath: String) -> String { workspace.path + "/" + relativePath }

    func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relativePath))))
    }

    func writeBytes(_ relativePath: String, _ bytes: [UInt8]) throws {
        try workspace.write(relativePath, "")
        try Data(bytes).write(to: URL(fileURLWithPath: path(relativePath)))
    }

    /// The user message of the `index`th chat request.
    func userMessage(_ index: Int = 0) -> String {
        guard model.chatRequests.indices.contains(index) else { return "" }
        let messages = model.chatRequests[index].json?["messages"]?.arrayValue ?? []
        return messages.last { $0["role"] == "user" }?["content"]?.stringValue ?? ""
    }

    func finish() async {
        await model.shutdown()
    }
}
