// One started MCP server: the SDK client over its transport, its tools, calls with deadlines, and its end.
import AnyJSON
import Foundation
import K2Config
import Logging
import MCP

/// A tool as the server listed it.
struct MCPListedTool: Sendable, Hashable {
    var name: String
    var description: String
    var inputSchema: JSONValue
    /// The server's own hint that the tool only reads (shown by `k2lsp mcp list`; permission does not rely on it).
    var readOnlyHint: Bool
}

/// A server that finished its handshake and listed its tools. When a stdio server's program ends, or its stream
/// ends, the client is disconnected at once, so every pending call fails then instead of at its deadline.
actor MCPServerConnection {
    let settings: MCPServerSettings
    let protocolRevision: String
    let serverName: String
    let tools: [MCPListedTool]
    private let client: Client
    private let process: StdioServerProcess?
    private var closed = false
    /// An HTTP server forgot the session; the pool starts a new connection for the next run.
    private var sessionExpired = false

    private init(
        settings: MCPServerSettings, protocolRevision: String, serverName: String, tools: [MCPListedTool],
        client: Client, process: StdioServerProcess?
    ) {
        self.settings = settings
        self.protocolRevision = protocolRevision
        self.serverName = serverName
        self.tools = tools
        self.client = client
        self.process = process
    }

    /// Launches (stdio) or connects (HTTP), does the handshake and lists the tools, all within the start-up
    /// deadline. On any failure nothing is left running.
    static func start(
        _ settings: MCPServerSettings, endpoint: MCPEndpoint, clientVersion: String, logger: Logger
    ) async throws(MCPStartFailure) -> MCPServerConnection {
        let client = Client(name: "k2lsp", version: clientVersion)
        // The SDK logs through its transport's logger. Its warnings are about cases handled here (event-stream
        // answers on Linux), so only its errors reach the log unless the log is at trace level.
        var sdkLogger = logger
        if logger.logLevel > .trace { sdkLogger.logLevel = .error }
        let disconnect: @Sendable () -> Void = { Task { await client.disconnect() } }
        let transport: PumpedTransport
        var process: StdioServerProcess?
        switch endpoint {
        case .stdio(let plan):
            let started = try StdioServerProcess.launch(
                plan, server: settings.name, logger: logger, transportLogger: sdkLogger
            ) { exit in
                logger.info("MCP server '\(settings.name)' \(exit).")
                disconnect()
            }
            process = started
            transport = PumpedTransport(
                wrapping: started.transport, splitsEventStreams: false, logger: sdkLogger, onEnd: disconnect)
        case .http(let url, let headers, _):
            transport = PumpedTransport.http(
                url: url, headers: headers,
                requestTimeout: max(settings.callTimeoutSeconds, settings.startupTimeoutSeconds) + 5, logger: sdkLogger,
                onEnd: disconnect)
        }
        let deadline = Duration.seconds(settings.startupTimeoutSeconds)
        let cleanUp = {
            await client.disconnect()
            await process?.terminate()
        }
        let handshake = await DeadlineRace.first(within: deadline) { try await client.connect(transport: transport) }
        let initialized: Initialize.Result
        switch handshake {
        case .value(let result):
            initialized = result
        case .failure(let error):
            // Judged before the clean-up, whose stop would otherwise read as the program's own exit.
            let failure = startFailure(error, process: process)
            await cleanUp()
            throw failure
        case .timedOut, .cancelled:
            let failure = startFailure(nil, process: process, timeout: settings.startupTimeoutSeconds)
            await cleanUp()
            throw failure
        }
        guard Version.supported.contains(initialized.protocolVersion) else {
            await cleanUp()
            throw .unsupportedRevision(offered: initialized.protocolVersion)
        }
        await transport.negotiated(protocolVersion: initialized.protocolVersion)
        let listing = await DeadlineRace.first(within: deadline) { try await listAllTools(client) }
        switch listing {
        case .value(let tools):
            return MCPServerConnection(
                settings: settings, protocolRevision: initialized.protocolVersion,
                serverName: initialized.serverInfo.name, tools: tools, client: client, process: process)
        case .failure(let error):
            let exit = process?.exitStatus
            await cleanUp()
            if let exit { throw .exitedDuringStart(exit: exit, stderrTail: process?.stderrTail ?? "") }
            throw .toolListFailed(message: describe(error))
        case .timedOut, .cancelled:
            let failure = startFailure(nil, process: process, timeout: settings.startupTimeoutSeconds)
            await cleanUp()
            throw failure
        }
    }

    /// Whether calls can still reach the server.
    var isRunning: Bool { !closed && !sessionExpired && process?.exitStatus == nil }

    /// Calls a tool within the server's deadline. Cancelling the calling task (the agent run) cancels the call,
    /// on the wire too (`notifications/cancelled`).
    /// - Throws: `MCPCallFailure`, or `CancellationError` when the caller was cancelled.
    func call(_ tool: String, arguments: [String: JSONValue]) async throws -> CallTool.Result {
        let name = settings.name
        if let exit = process?.exitStatus { throw MCPCallFailure.serverExited(server: name, exit: exit) }
        if closed { throw MCPCallFailure.notRunning(server: name, reason: "it was stopped") }
        let request: RequestContext<CallTool.Result>
        do {
            let values = try arguments.mapValues { try $0.decode(Value.self) }
            request = try await client.send(CallTool.request(.init(name: tool, arguments: values)))
        } catch {
            if let exit = await exitAfterFailure() { throw MCPCallFailure.serverExited(server: name, exit: exit) }
            throw MCPCallFailure.notRunning(server: name, reason: Self.describe(error))
        }
        let outcome = await DeadlineRace.first(within: .seconds(settings.callTimeoutSeconds)) {
            try await request.value
        }
        switch outcome {
        case .value(let result):
            return result
        case .failure(let error):
            if let exit = await exitAfterFailure() { throw MCPCallFailure.serverExited(server: name, exit: exit) }
            if error is CancellationError { throw CancellationError() }
            let message = Self.describe(error)
            // An HTTP server that forgot the session answers every later request the same way: start afresh next run.
            if message.contains("Session expired") { sessionExpired = true }
            throw MCPCallFailure.failed(server: name, message: message)
        case .timedOut:
            try? await client.cancelRequest(request.requestID, reason: "k2lsp's deadline for this call passed")
            throw MCPCallFailure.timedOut(server: name, seconds: settings.callTimeoutSeconds)
        case .cancelled:
            try? await client.cancelRequest(request.requestID, reason: "the agent run was cancelled")
            throw CancellationError()
        }
    }

    /// Disconnects, then stops the program (stdin closed, SIGTERM, SIGKILL).
    func shutdown() async {
        guard !closed else { return }
        closed = true
        await client.disconnect()
        await process?.terminate()
    }

    /// A disconnect caused by the program's end may be seen a moment before the exit status is recorded.
    private func exitAfterFailure() async -> MCPProcessExit? {
        guard let process else { return nil }
        for _ in 0..<50 {
            if let exit = process.exitStatus { return exit }
            if (try? await Task.sleep(for: .milliseconds(10))) == nil { break }
        }
        return process.exitStatus
    }

    private static func listAllTools(_ client: Client) async throws -> [MCPListedTool] {
        var tools: [MCPListedTool] = []
        var cursor: String?
        for _ in 0..<100 {
            let page = try await client.listTools(cursor: cursor)
            for tool in page.tools {
                tools.append(
                    MCPListedTool(
                        name: tool.name, description: tool.description ?? "",
                        inputSchema: (try? JSONValue(encoding: tool.inputSchema)) ?? ["type": "object"],
                        readOnlyHint: tool.annotations.readOnlyHint ?? false))
            }
            guard let next = page.nextCursor, !next.isEmpty else { break }
            cursor = next
        }
        return tools
    }

    /// Why the handshake failed, by kind: the program's end, a stateless-only server, a deadline, or the error.
    private static func startFailure(
        _ error: (any Error)?, process: StdioServerProcess?, timeout: Double? = nil
    ) -> MCPStartFailure {
        if let exit = process?.exitStatus {
            return .exitedDuringStart(exit: exit, stderrTail: process?.stderrTail ?? "")
        }
        if let error {
            if let mcpError = error as? MCPError, mcpError.code == -32022 || "\(mcpError)".contains("2026-07-28") {
                return .statelessOnly
            }
            return .handshakeFailed(message: describe(error))
        }
        return .timedOut(seconds: timeout ?? MCPServerSettings.defaultStartupTimeoutSeconds)
    }

    static func describe(_ error: any Error) -> String {
        if let mcpError = error as? MCPError {
            return mcpError.errorDescription ?? "\(mcpError)"
        }
        return error.localizedDescription
    }
}
