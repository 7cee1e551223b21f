// A stdio MCP server program: its own pipes (never k2lsp's stdin/stdout), its stderr logged, stopped on request.
import Foundation
import Logging
import MCP
import Synchronization

#if canImport(System)
    import System
#else
    @preconcurrency import SystemPackage
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a stdio server is started with, `${VAR}`s expanded.
struct StdioLaunchPlan: Sendable {
    var executable: String
    var arguments: [String]
    var environment: [String: String]
    var workingDirectory: String
    /// Values to blank out of the server's stderr before it is logged.
    var secrets: Set<String>
}

/// One running server program. The SDK's `StdioTransport` reads and writes the program's pipes; `onExit` runs once,
/// on a Foundation thread, when the program ends for any reason.
final class StdioServerProcess: Sendable {
    /// At most this much of a server's stderr is logged over its life; the last lines are kept for error messages.
    static let stderrLogLimit = 64 * 1024
    static let stderrLineLimit = 2000
    static let stderrTailLines = 12

    let transport: StdioTransport
    let processIdentifier: Int32
    private let process: Mutex<Process?>
    /// The pipes' file descriptors stay open while these live: the transport reads and writes them by number, so
    /// they are released only after the transport is disconnected (see `MCPServerConnection`).
    private let pipes: Mutex<(input: Pipe, output: Pipe, errors: Pipe)?>
    private let stderr: StderrLog
    private let exit: ExitRecord

    private init(
        transport: StdioTransport, process: Process, pipes: (Pipe, Pipe, Pipe), stderr: StderrLog, exit: ExitRecord
    ) {
        self.transport = transport
        self.processIdentifier = process.processIdentifier
        self.process = Mutex(process)
        self.pipes = Mutex(pipes)
        self.stderr = stderr
        self.exit = exit
    }

    /// Starts the program. Its stdin and stdout are pipes owned here; k2lsp's own streams are never handed over.
    static func launch(
        _ plan: StdioLaunchPlan, server: String, logger: Logger, transportLogger: Logger,
        onExit: @escaping @Sendable (MCPProcessExit) -> Void
    ) throws(MCPStartFailure) -> StdioServerProcess {
        // A server that dies while we write to it must fail that write (EPIPE), not kill k2lsp with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plan.executable)
        process.arguments = plan.arguments
        process.environment = plan.environment
        process.currentDirectoryURL = URL(fileURLWithPath: plan.workingDirectory)
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let stderr = StderrLog(server: server, logger: logger, secrets: plan.secrets)
        let reader = errors.fileHandleForReading
        reader.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                stderr.finish()
            } else {
                stderr.append(data)
            }
        }
        // Set before the program runs: it may end before `launch` returns.
        let exitRecord = ExitRecord()
        process.terminationHandler = { ended in
            let exit = MCPProcessExit(
                status: ended.terminationStatus, bySignal: ended.terminationReason == .uncaughtSignal)
            exitRecord.value.withLock { $0 = exit }
            onExit(exit)
        }
        do {
            try withCleanSignalMask { try process.run() }
        } catch {
            reader.readabilityHandler = nil
            throw .launchFailed(command: plan.executable, reason: error.localizedDescription)
        }
        let transport = StdioTransport(
            input: FileDescriptor(rawValue: output.fileHandleForReading.fileDescriptor),
            output: FileDescriptor(rawValue: input.fileHandleForWriting.fileDescriptor),
            logger: transportLogger)
        return StdioServerProcess(
            transport: transport, process: process, pipes: (input, output, errors), stderr: stderr, exit: exitRecord)
    }

    /// How the program ended, once it has.
    var exitStatus: MCPProcessExit? { exit.value.withLock { $0 } }

    /// The last lines the server wrote to stderr (secrets blanked), for messages about why it failed.
    var stderrTail: String { stderr.tail }

    /// Stops the program the way the MCP spec asks: close its stdin, then SIGTERM, then SIGKILL, waiting between.
    /// Call it only after the transport is disconnected: it releases the descriptors the transport used.
    func terminate(grace: Duration = .seconds(2)) async {
        pipes.withLock { pipes in try? pipes?.input.fileHandleForWriting.close() }
        if await waitForExit(within: grace) { return release() }
        kill(processIdentifier, SIGTERM)
        if await waitForExit(within: grace) { return release() }
        kill(processIdentifier, SIGKILL)
        _ = await waitForExit(within: grace)
        release()
    }

    private func waitForExit(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while exitStatus == nil, process.withLock({ $0?.isRunning ?? false }) {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    private func release() {
        pipes.withLock { pipes in
            pipes?.errors.fileHandleForReading.readabilityHandler = nil
            pipes = nil
        }
        process.withLock { $0 = nil }
    }
}

private final class ExitRecord: Sendable {
    let value = Mutex<MCPProcessExit?>(nil)
}

/// Runs `body` with no signal blocked on this thread. Foundation spawns on the calling thread and the child inherits
/// its signal mask; Swift's worker threads block SIGTERM, SIGCHLD and more, so a server started from one could not
/// be stopped with SIGTERM, and one that waits for its own children (SIGCHLD) would hang.
private func withCleanSignalMask<Result>(_ body: () throws -> Result) rethrows -> Result {
    var empty = sigset_t()
    var previous = sigset_t()
    sigemptyset(&empty)
    pthread_sigmask(SIG_SETMASK, &empty, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    return try body()
}

/// How a server program ended.
struct MCPProcessExit: Sendable, Hashable, CustomStringConvertible {
    var status: Int32
    var bySignal: Bool

    var description: String { bySignal ? "was killed by signal \(status)" : "exited with status \(status)" }
}

/// Logs a server's stderr line by line at info level, up to `StdioServerProcess.stderrLogLimit` bytes, with secrets
/// (expanded `${VAR}` values) blanked; keeps the last lines for failure messages.
private final class StderrLog: Sendable {
    private struct State {
        var pending = Data()
        var logged = 0
        var announcedCap = false
        var tail: [String] = []
    }

    private let server: String
    private let logger: Logger
    private let secrets: [String]
    private let state = Mutex(State())

    init(server: String, logger: Logger, secrets: Set<String>) {
        self.server = server
        self.logger = logger
        self.secrets = secrets.sorted { $0.count > $1.count }
    }

    func append(_ data: Data) {
        let lines = state.withLock { state -> [String] in
            state.pending.append(data)
            var lines: [String] = []
            while let newline = state.pending.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: state.pending[state.pending.startIndex..<newline], as: UTF8.self))
                state.pending.removeSubrange(state.pending.startIndex...newline)
            }
            // A line that never ends still gets logged, in pieces.
            if state.pending.count > StdioServerProcess.stderrLineLimit {
                lines.append(String(decoding: state.pending, as: UTF8.self))
                state.pending.removeAll()
            }
            return lines
        }
        for line in lines { log(line) }
    }

    func finish() {
        let rest = state.withLock { state -> String in
            defer { state.pending.removeAll() }
            return String(decoding: state.pending, as: UTF8.self)
        }
        if !rest.isEmpty { log(rest) }
    }

    var tail: String { state.withLock { $0.tail.joined(separator: "\n") } }

    private func log(_ rawLine: String) {
        var line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
        for secret in secrets { line = line.replacingOccurrences(of: secret, with: "***") }
        if line.count > StdioServerProcess.stderrLineLimit {
            line = String(line.prefix(StdioServerProcess.stderrLineLimit)) + "…"
        }
        let (shouldLog, announceCap) = state.withLock { state -> (Bool, Bool) in
            state.tail.append(line)
            if state.tail.count > StdioServerProcess.stderrTailLines { state.tail.removeFirst() }
            if state.logged + line.utf8.count <= StdioServerProcess.stderrLogLimit {
                state.logged += line.utf8.count + 1
                return (true, false)
            }
            defer { state.announcedCap = true }
            return (false, !state.announcedCap)
        }
        if shouldLog {
            logger.info("MCP server '\(server)' stderr: \(line)")
        } else if announceCap {
            logger.info(
                "MCP server '\(server)' wrote more than \(StdioServerProcess.stderrLogLimit / 1024) KB to stderr; the rest is not logged.")
        }
    }
}
