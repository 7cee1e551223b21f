// Why an MCP server did not start, or a call did not finish: sentences that say what to do next.

/// A server that could not be started; reported once (log, editor notice, `k2lsp mcp list`) and its tools left out.
enum MCPStartFailure: Error, Sendable, Hashable, CustomStringConvertible {
    case missingVariable(name: String, field: String)
    case commandNotFound(command: String)
    case launchFailed(command: String, reason: String)
    case exitedDuringStart(exit: MCPProcessExit, stderrTail: String)
    case timedOut(seconds: Double)
    case handshakeFailed(message: String)
    /// The server answered the handshake with a revision the SDK does not speak (or refused ours, naming only
    /// revisions it does not).
    case unsupportedRevision(offered: String)
    /// The server speaks only the stateless 2026-07-28 revision, which has no `initialize` handshake.
    case statelessOnly
    /// The 2024-11-05 HTTP+SSE transport (`type: sse`).
    case legacySSETransport
    case toolListFailed(message: String)

    /// Whether this is a limit of k2lsp (shown as "not supported") rather than a problem with the server or its
    /// configuration.
    var isUnsupported: Bool {
        switch self {
        case .unsupportedRevision, .statelessOnly, .legacySSETransport: true
        default: false
        }
    }

    var description: String {
        switch self {
        case .missingVariable(let name, let field):
            return "${\(name)} in \(field) is not set in k2lsp's environment. Export \(name) where k2lsp starts, or write ${\(name):-fallback}."
        case .commandNotFound(let command):
            return "the command '\(command)' was not found on PATH. Give its full path in 'command', or install it."
        case .launchFailed(let command, let reason):
            return "'\(command)' could not be started (\(reason)). Check the command and 'cwd'."
        case .exitedDuringStart(let exit, let stderrTail):
            let said = stderrTail.isEmpty ? "" : " Its last stderr lines:\n\(stderrTail)"
            return "the server \(exit) while starting. Run its command in a terminal to see why.\(said)"
        case .timedOut(let seconds):
            return "the server did not finish starting within \(Self.seconds(seconds)) (startup_timeout). Check that it speaks MCP on stdout (logs go to stderr), or raise startup_timeout."
        case .handshakeFailed(let message):
            return "the MCP handshake failed: \(message)."
        case .unsupportedRevision(let offered):
            return "not supported: the server speaks MCP revision \(offered), and k2lsp's MCP client (swift-sdk 0.12.1) speaks 2024-11-05 to 2025-11-25."
        case .statelessOnly:
            return "not supported: the server speaks only the stateless 2026-07-28 revision of MCP (no initialize handshake), and k2lsp's MCP client (swift-sdk 0.12.1) speaks the handshake revisions up to 2025-11-25. Use a server version that also accepts 2025-11-25."
        case .legacySSETransport:
            return "not supported: 'type: sse' is the HTTP+SSE transport of MCP 2024-11-05, which k2lsp does not speak. Point 'url' at the server's streamable HTTP endpoint (often /mcp) and drop 'type'."
        case .toolListFailed(let message):
            return "listing its tools failed: \(message)."
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

/// A call that did not produce a result; the message goes to the model as the tool's error.
enum MCPCallFailure: Error, Sendable, Hashable, CustomStringConvertible {
    case timedOut(server: String, seconds: Double)
    case serverExited(server: String, exit: MCPProcessExit)
    case notRunning(server: String, reason: String)
    case failed(server: String, message: String)

    var description: String {
        switch self {
        case .timedOut(let server, let seconds):
            return "MCP server '\(server)' did not answer within \(MCPStartFailure.seconds(seconds)) (mcp_servers.\(server).timeout), so the call was cancelled. Try a smaller request, or carry on without this tool."
        case .serverExited(let server, let exit):
            return "MCP server '\(server)' \(exit) during the call, so it has no result. Carry on without this tool."
        case .notRunning(let server, let reason):
            return "MCP server '\(server)' is not running (\(reason)). Carry on without this tool."
        case .failed(let server, let message):
            return "MCP server '\(server)' answered with an error: \(message)"
        }
    }
}
