// Locates third-party programs the editor tests drive (Neovim, Emacs), and runs them with a timeout.
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

public enum ExternalTools {
    /// The full path of an executable on PATH, or nil.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Neovim 0.12 (the first with LSP inline completion), which `.ci/install-editors` unpacks from Debian sid:
    /// `$K2LSP_NVIM12`, else the installer's default location.
    public static var neovim012: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["K2LSP_NVIM12"], "/tmp/k2lsp-editors/nvim12",
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// True when CI demands that editor tests run (`.ci/run` installs the editors and sets this), so a missing
    /// editor fails there instead of silently disabling its tests.
    public static var editorsRequired: Bool {
        ProcessInfo.processInfo.environment["K2LSP_REQUIRE_EDITORS"] == "1"
    }

    /// Whether a test that needs `name` should run: the tool is present, or CI requires it (and the test will fail).
    public static func available(_ name: String) -> Bool {
        editorsRequired || find(name) != nil
    }

    public struct RunResult: Sendable {
        public var exitCode: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
    }

    /// Runs a program to completion (or kills it after `timeout`), capturing its output.
    /// - Parameters:
    ///   - stdin: the program's input; none (`/dev/null`) when nil.
    ///   - inheritEnvironment: start from this process's environment; when false, only PATH plus `environment`,
    ///     so a developer's real K2_API_KEY can never reach the program under test.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        inheritEnvironment: Bool = true, stdin: String? = nil, workingDirectory: String? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged =
            inheritEnvironment
            ? ProcessInfo.processInfo.environment
            : ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        merged.merge(environment) { _, new in new }
        process.environment = merged
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let output = try TemporaryDirectory(prefix: "k2lsp-run-output")
        let stdoutPath = output.path + "/stdout"
        let stderrPath = output.path + "/stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        let inputPipe = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : inputPipe
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        if let stdin {
            try inputPipe.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                timedOut = true
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return RunResult(
            exitCode: process.terminationStatus,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "",
            timedOut: timedOut)
    }
}
