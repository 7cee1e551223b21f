// The language server: the message loop, the lifecycle state machine and dispatch.
import AnyJSON
import Foundation
import JSONRPC
import K2Engine
import K2Provider
import K2Workspace
import LSP
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

public struct ServerOptions: Sendable {
    public var version: String
    public var environment: [String: String]
    /// `--config FILE`: the user configuration file to read instead of the default location.
    public var configPathOverride: String?
    public var maximumMessageBytes: Int
    /// How often the parent process named by `processId` is checked.
    public var parentPollInterval: Duration
    public var providerTimeouts: ProviderTimeouts
    public var retryPolicy: RetryPolicy
    /// Tools for agent runs beyond the built-in ones (the executable passes the MCP client); the server does not know
    /// where they come from.
    public var agentToolSources: [any AgentToolSource]
    /// How long a command waits for the editor to answer `window/workDoneProgress/create` before it goes on
    /// without progress.
    public var progressCreateTimeout: Duration
    /// Reply mistakes of the server itself (a handler that answers twice or never) are logged as errors; without
    /// this, a debug build also stops at them (an assertion failure). The in-process test harness sets it to record
    /// them, so that the test fails instead of the whole test process.
    public var onReplyViolation: (@Sendable (ReplyViolation) -> Void)?

    public init(
        version: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        configPathOverride: String? = nil, maximumMessageBytes: Int = 64 << 20,
        parentPollInterval: Duration = .seconds(1), providerTimeouts: ProviderTimeouts = .standard,
        retryPolicy: RetryPolicy = .standard, agentToolSources: [any AgentToolSource] = [],
        progressCreateTimeout: Duration = .seconds(5), onReplyViolation: (@Sendable (ReplyViolation) -> Void)? = nil
    ) {
        self.agentToolSources = agentToolSources
        self.providerTimeouts = providerTimeouts
        self.retryPolicy = retryPolicy
        self.version = version
        self.environment = environment
        self.configPathOverride = configPathOverride
        self.maximumMessageBytes = maximumMessageBytes
        self.parentPollInterval = parentPollInterval
        self.progressCreateTimeout = progressCreateTimeout
        self.onReplyViolation = onReplyViolation
    }
}

/// Where the server is in the LSP lifecycle.
enum LifecycleState: Sendable, Equatable {
    case uninitialized
    case running
    case shutDown
}

/// State set by `initialize` and read by every handler.
struct SessionState: Sendable {
    var lifecycle: LifecycleState = .uninitialized
    var features = ClientFeatures()
    var positionEncoding: PositionEncoding = .utf16
    var workspaceFolders: [String] = []
    var initializationOptions: JSONValue?
    var engine: Engine?
    var shownMessages: Set<String> = []
    /// Set by `exit`: the process exit code (0 after `shutdown`).
    var exitCode: Int32?
}

public final class LanguageServer: Sendable {
    let options: ServerOptions
    let connection: Connection
    let documents = DocumentStore()
    let logger: Logger
    let session = Mutex(SessionState())
    let progressTokens = ProgressTokens()
    let diagnostics = DiagnosticsStore()
    let completions = InlineCompletionCoordinator()

    public init(input: FileHandle, output: FileHandle, options: ServerOptions, logger baseLogger: Logger) {
        self.options = options
        let logger = baseLogger
        let onViolation = options.onReplyViolation
        connection = Connection(
            input: input, output: output,
            options: ConnectionOptions(
                framing: .contentLength, maximumMessageBytes: options.maximumMessageBytes,
                cancellations: MessageRegistry.lsp.cancellations,
                trace: { direction, body in
                    logger.trace("\(direction) \(String(decoding: body.prefix(4000), as: UTF8.self))")
                },
                onViolation: { violation in
                    logger.error("\(violation) Please report this with the log (--log-file).")
                    if let onViolation { onViolation(violation) } else { assertionFailure(violation.description) }
                }))
        var clientLogger = baseLogger
        clientLogger.handler = MultiplexLogHandler([baseLogger.handler, ClientLogHandler(connection: connection)])
        self.logger = clientLogger
    }

    var features: ClientFeatures { session.withLock { $0.features } }
    var positionEncoding: PositionEncoding { session.withLock { $0.positionEncoding } }
    var workspaceFolders: [String] { session.withLock { $0.workspaceFolders } }
    /// The one owner of the requests in flight.
    var requests: RequestTracker { connection.requests }

    /// Serves until `exit`, EOF or the parent's death. Returns the process exit code.
    public func run() async -> Int32 {
        connection.start()
        let exitCode = await messageLoop()
        connection.close()
        await session.withLock { $0.engine }?.shutdown()
        return exitCode
    }

    private func messageLoop() async -> Int32 {
        let dispatcher = Dispatcher(table: Self.dispatchTable, owner: self, requests: connection.requests)
        let end = await dispatcher.serve(connection) { [self] in session.withLock { $0.exitCode != nil } }
        switch end {
        case .finished:
            break
        case .endOfInput(let truncated):
            if truncated { logger.warning("The input ended inside a message; the editor closed the pipe.") }
            logger.info("Input closed; shutting down.")
        case .stopRequested(let reason):
            logger.warning("\(reason); shutting down.")
            return 1
        }
        return session.withLock { $0.exitCode ?? ($0.lifecycle == .shutDown ? 0 : 1) }
    }

    // MARK: Lifecycle

    func initialize(_ request: InitializeRequest) async -> InitializeResult {
        let features = ClientFeatures(capabilities: request.capabilities)
        var folders = (request.workspaceFolders ?? []).compactMap { FileURI.path(fromURI: $0.uri) }
        if folders.isEmpty {
            if let root = request.rootUri.flatMap(FileURI.path(fromURI:)) {
                folders = [root]
            } else if let rootPath = request.rootPath, !rootPath.isEmpty {
                folders = [rootPath]
            }
        }
        let engine = await makeEngine(workspaceFolders: folders, initializationOptions: request.initializationOptions)
        session.withLock { state in
            state.engine = engine
            state.lifecycle = .running
            state.features = features
            state.positionEncoding = features.negotiatedPositionEncoding
            state.workspaceFolders = folders
            state.initializationOptions = request.initializationOptions
        }
        if let processID = request.processId {
            watchParentProcess(Int32(truncatingIfNeeded: processID))
        }
        logger.info(
            "Initialized for \(request.clientInfo?.name ?? "an unnamed client") with \(folders.count) workspace folder(s), positions in \(features.negotiatedPositionEncoding.rawValue)."
        )
        return InitializeResult(
            capabilities: Self.capabilities(encoding: features.negotiatedPositionEncoding),
            serverInfo: ServerInfo(name: "k2lsp", version: options.version))
    }

    /// Outstanding requests still get their replies; `exit` (or EOF) ends them.
    func shutdown() {
        session.withLock { $0.lifecycle = .shutDown }
    }

    /// `exit`, in any state: the loop ends after it, with 0 only after `shutdown`.
    func receivedExit() {
        session.withLock { $0.exitCode = $0.lifecycle == .shutDown ? 0 : 1 }
    }

    static func capabilities(encoding: PositionEncoding) -> ServerCapabilities {
        ServerCapabilities(registry: .lsp, positionEncoding: encoding.rawValue)
    }

    /// Ends the server when the editor that started it dies without closing the pipe.
    private func watchParentProcess(_ processID: Int32) {
        guard processID > 0 else { return }
        let interval = options.parentPollInterval
        let connection = self.connection
        Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if kill(processID, 0) != 0, errno == ESRCH {
                    connection.requestStop(reason: "The editor process (processId) is gone")
                    return
                }
            }
        }
    }
}

/// The LSP lifecycle around dispatch: what is refused before `initialize` and after `shutdown`, which client
/// capabilities decide staleness, and how errors are answered and logged.
extension LanguageServer: DispatchOwner {
    public func refusal(ofRequest method: String) -> ResponseError? {
        switch (session.withLock { $0.lifecycle }, method) {
        case (.uninitialized, InitializeRequest.method):
            return nil
        case (.uninitialized, _):
            return ResponseError(
                code: ResponseError.serverNotInitializedCode,
                message: "The server is not initialized: send 'initialize' first.")
        case (.running, InitializeRequest.method):
            return .invalidRequest("The server is already initialized.")
        case (.shutDown, _):
            return .invalidRequest("The server is shutting down: only 'exit' is accepted now.")
        case (.running, _):
            return nil
        }
    }

    public func accepts(notification method: String) -> Bool {
        if method == ExitNotification.method { return true }
        let lifecycle = session.withLock { $0.lifecycle }
        if lifecycle == .uninitialized { logger.debug("Dropped '\(method)' received before initialize.") }
        return lifecycle == .running
    }

    public func retriesOnContentModified(_ method: String) -> Bool {
        features.retryOnContentModified.contains(method)
    }

    public func errorResponse(for error: any Error, method: String) -> ResponseError {
        let response = ResponseError(error)
        if response.code == ResponseError.internalErrorCode { logger.error("\(method) failed: \(response.message)") }
        return response
    }

    public func notificationFailed(_ method: String, reason: String) {
        logger.warning("'\(method)' was not applied: \(reason)")
    }

    public func ignored(notification method: String) {
        if !method.hasPrefix("$/") { logger.debug("Ignored unknown notification '\(method)'.") }
    }

    public func refused(reason: String) {
        logger.warning("Refused a malformed message: \(reason)")
    }
}
