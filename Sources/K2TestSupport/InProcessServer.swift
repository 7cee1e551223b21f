// `LanguageServer` in the test process over pipes (like sourcekit-lsp's TestSourceKitLSPClient): no process to
// spawn, options injectable, and every reply mistake of a handler recorded.
import Foundation
import JSONRPC
import K2Server
import Logging
import Synchronization

/// Which server a test session talks to; the same test body runs against either (as Hummingbird's test modes do).
public enum ServerUnderTest: Sendable {
    /// The built `k2lsp` binary, started with these arguments.
    case binary(arguments: [String])
    /// `LanguageServer` in this process; `configure` adjusts its options (deadlines, limits).
    case inProcess(configure: @Sendable (inout ServerOptions) -> Void)

    public static let binary = ServerUnderTest.binary(arguments: ["serve", "--log-level", "trace"])
    public static let inProcess = ServerUnderTest.inProcess(configure: { _ in })
}

/// A value shared with escaping closures.
final class SharedValue<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func get() -> Value { value.withLock { $0 } }
    func update(_ change: (inout Value) -> Void) { value.withLock { change(&$0) } }
}

/// Runs one `LanguageServer` until its input closes or it exits.
public final class InProcessServer: Sendable {
    public let client: LSPTestClient
    private let violations = SharedValue<[ReplyViolation]>([])

    /// Every double reply or dropped request of this server so far. A passing test expects none.
    public var replyViolations: [ReplyViolation] { violations.get() }

    /// Starts the server with the environment a spawned binary would get: `environment` plus PATH and a scratch
    /// HOME, never the test runner's own (so a developer's real K2_API_KEY cannot reach a test).
    public init(environment: [String: String] = [:], configure: @Sendable (inout ServerOptions) -> Void = { _ in }) {
        var serverEnvironment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": FileManager.default.temporaryDirectory.path,
            "XDG_CONFIG_HOME": FileManager.default.temporaryDirectory.appendingPathComponent("k2lsp-no-config").path,
        ]
        serverEnvironment.merge(environment) { _, new in new }
        let recorded = violations
        var options = ServerOptions(version: "0.0.0-test", environment: serverEnvironment)
        configure(&options)
        let previous = options.onReplyViolation
        options.onReplyViolation = { violation in
            recorded.update { $0.append(violation) }
            previous?(violation)
        }
        let log = SharedValue("")
        var logger = Logger(label: "k2lsp") { _ in CapturingLogHandler(log: log) }
        logger.logLevel = .trace
        let toServer = Pipe()
        let fromServer = Pipe()
        let server = LanguageServer(
            input: toServer.fileHandleForReading, output: fromServer.fileHandleForWriting, options: options,
            logger: logger)
        let exitCode = SharedValue<Int32?>(nil)
        let serverOutput = fromServer.fileHandleForWriting
        Task {
            let code = await server.run()
            exitCode.update { $0 = code }
            try? serverOutput.close()
        }
        let clientOutput = toServer.fileHandleForWriting
        client = LSPTestClient(
            endpoint: ServerEndpoint(
                toServer: clientOutput, fromServer: fromServer.fileHandleForReading, log: { log.get() },
                exitStatus: { exitCode.get() }, kill: { try? clientOutput.close() }))
    }
}

/// Keeps the server's log lines for failure messages, as stderr does for the binary.
private struct CapturingLogHandler: LogHandler {
    let log: SharedValue<String>
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.update { $0 += "\(event.level) \(event.message)\n" }
    }
}
