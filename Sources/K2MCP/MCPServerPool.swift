// The running MCP servers of one k2lsp process: started lazily on first use, shared by every run that names them,
// restarted after a crash, and stopped when nothing names them any more.
import Foundation
import K2Config
import Logging

/// A server as one run needs it: its settings and the folder it runs in (a different folder is a different server).
struct MCPLaunchKey: Sendable, Hashable {
    var settings: MCPServerSettings
    var workspaceRoot: String
}

/// What became of one server for one caller.
enum MCPServerOutcome: Sendable {
    case running(MCPServerConnection)
    /// `firstReport` is true the first time this failure is handed out, so that it is reported once.
    case failed(MCPStartFailure, firstReport: Bool)
}

/// Owns every server it starts. Servers are grouped by who asked ("configuration" for the user's servers, an ACP
/// session's own name for the servers its editor sent); a server no group names any more is stopped.
public actor MCPServerPool {
    /// A server that exits this many times is not started again (until its settings change).
    static let maximumStarts = 3

    private enum Entry {
        case starting(Task<Result<MCPServerConnection, MCPStartFailure>, Never>)
        case running(MCPServerConnection)
        case failed(MCPStartFailure)
    }

    private let environment: [String: String]
    private let clientVersion: String
    private let logger: Logger
    private var entries: [MCPLaunchKey: Entry] = [:]
    private var starts: [MCPLaunchKey: Int] = [:]
    private var reported: Set<MCPLaunchKey> = []
    private var groups: [String: Set<MCPLaunchKey>] = [:]

    /// - Parameters:
    ///   - environment: k2lsp's environment: `${VAR}` expansion, PATH, and the few variables servers inherit.
    ///   - clientVersion: sent as the client's version in the handshake.
    public init(environment: [String: String], clientVersion: String, logger: Logger) {
        self.environment = environment
        self.clientVersion = clientVersion
        self.logger = logger
    }

    /// The servers `group` uses now, each started if it is not running (concurrently, each within its start-up
    /// deadline). Servers the group used before and no group uses now are stopped. Cancelling the caller stops the
    /// wait, not a start under way (another run may want the server).
    func connect(_ servers: [MCPServerSettings], workspaceRoot: String, group: String) async -> [MCPServerOutcome] {
        let keys = servers.map { MCPLaunchKey(settings: $0, workspaceRoot: workspaceRoot) }
        await replaceGroup(group, with: Set(keys))
        var outcomes: [MCPServerOutcome?] = Array(repeating: nil, count: keys.count)
        await withTaskGroup(of: (Int, MCPServerOutcome).self) { tasks in
            for (index, key) in keys.enumerated() {
                tasks.addTask { (index, await self.outcome(for: key)) }
            }
            for await (index, outcome) in tasks { outcomes[index] = outcome }
        }
        return outcomes.map { $0 ?? .failed(.handshakeFailed(message: "the start was cancelled"), firstReport: false) }
    }

    /// Whether any of these servers would have to be started (to say so before the wait).
    func needsStart(_ servers: [MCPServerSettings], workspaceRoot: String) async -> Bool {
        for settings in servers {
            let key = MCPLaunchKey(settings: settings, workspaceRoot: workspaceRoot)
            switch entries[key] {
            case .running(let connection):
                if await !connection.isRunning { return true }
            case .starting, .none:
                return true
            case .failed:
                continue
            }
        }
        return false
    }

    /// Stops the servers only `group` used (an ACP session ended).
    public func release(group: String) async {
        await replaceGroup(group, with: [])
    }

    /// Stops every server (k2lsp is exiting).
    public func shutdown() async {
        groups = [:]
        let all = Array(entries.keys)
        await stop(all)
    }

    private func outcome(for key: MCPLaunchKey) async -> MCPServerOutcome {
        if case .running(let connection) = entries[key] {
            if await connection.isRunning { return .running(connection) }
            // It ended. Unless another caller restarted it while this one looked, let go of it (its pipes and
            // process) and start it again below.
            if case .running(let current) = entries[key], current === connection {
                entries[key] = nil
                await connection.shutdown()
            }
        }
        let started: Result<MCPServerConnection, MCPStartFailure>
        switch entries[key] {
        case .running(let connection):
            return .running(connection)
        case .failed(let failure):
            return report(failure, for: key)
        case .starting(let task):
            started = await wait(for: task)
        case .none:
            guard starts[key, default: 0] < Self.maximumStarts else {
                let failure = MCPStartFailure.handshakeFailed(
                    message: "the server ended \(Self.maximumStarts) times, so k2lsp stopped restarting it; fix it and change its settings (or restart k2lsp)")
                entries[key] = .failed(failure)
                return report(failure, for: key)
            }
            starts[key, default: 0] += 1
            let task = Task { await self.start(key) }
            entries[key] = .starting(task)
            started = await wait(for: task)
        }
        switch started {
        case .success(let connection): return .running(connection)
        case .failure(let failure): return report(failure, for: key)
        }
    }

    private func wait(
        for task: Task<Result<MCPServerConnection, MCPStartFailure>, Never>
    ) async -> Result<MCPServerConnection, MCPStartFailure> {
        switch await DeadlineRace.first(within: .seconds(86_400), { await task.value }) {
        case .value(let result): return result
        default: return .failure(.handshakeFailed(message: "the start was cancelled"))
        }
    }

    private func start(_ key: MCPLaunchKey) async -> Result<MCPServerConnection, MCPStartFailure> {
        let name = key.settings.name
        logger.info("Starting MCP server '\(name)' (\(key.settings.displayTransport)).")
        let result: Result<MCPServerConnection, MCPStartFailure>
        do throws(MCPStartFailure) {
            let endpoint = try MCPEndpoint.resolve(key.settings, environment: environment, workspaceRoot: key.workspaceRoot)
            let connection = try await MCPServerConnection.start(
                key.settings, endpoint: endpoint, clientVersion: clientVersion, logger: logger)
            let (revision, toolCount) = (connection.protocolRevision, connection.tools.count)
            logger.info("MCP server '\(name)' started: protocol \(revision), \(toolCount) tools.")
            result = .success(connection)
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let connection):
            // A group may have let go of the server while it was starting.
            if groups.values.contains(where: { $0.contains(key) }) {
                entries[key] = .running(connection)
            } else {
                entries[key] = nil
                await connection.shutdown()
            }
        case .failure(let failure):
            entries[key] = .failed(failure)
        }
        return result
    }

    private func report(_ failure: MCPStartFailure, for key: MCPLaunchKey) -> MCPServerOutcome {
        let first = reported.insert(key).inserted
        if first {
            let verb = failure.isUnsupported ? "is not used" : "did not start"
            logger.warning("MCP server '\(key.settings.name)' \(verb): \(failure)")
        }
        return .failed(failure, firstReport: first)
    }

    private func replaceGroup(_ group: String, with keys: Set<MCPLaunchKey>) async {
        let previous = groups[group] ?? []
        groups[group] = keys.isEmpty ? nil : keys
        let stillUsed = groups.values.reduce(into: Set<MCPLaunchKey>()) { $0.formUnion($1) }
        await stop(Array(previous.subtracting(stillUsed)))
    }

    private func stop(_ keys: [MCPLaunchKey]) async {
        var connections: [MCPServerConnection] = []
        for key in keys {
            if case .running(let connection) = entries[key] { connections.append(connection) }
            entries[key] = nil
            starts[key] = nil
            reported.remove(key)
        }
        await withTaskGroup(of: Void.self) { tasks in
            for connection in connections { tasks.addTask { await connection.shutdown() } }
        }
    }
}
