// The ACP agent (`k2lsp acp`): the message loop over newline-delimited JSON-RPC, initialize, and the sessions.
import ACP
import AnyJSON
import Foundation
import JSONRPC
import K2Config
import K2Engine
import K2Provider
import Logging
import Synchronization

public struct ACPAgentOptions: Sendable {
    public var version: String
    public var environment: [String: String]
    /// `--config FILE`: the user configuration file to read instead of the default location.
    public var configPathOverride: String?
    public var maximumMessageBytes: Int
    public var providerTimeouts: ProviderTimeouts
    public var retryPolicy: RetryPolicy
    /// How long the agent waits for the editor to answer `fs/read_text_file` or `fs/write_text_file` before it
    /// reads the disk instead (or reports the write as failed). A permission request waits as long as the user takes.
    public var fileRequestTimeout: Duration
    /// The MCP client, as the executable wires it: the tool sources of one session's engine, given the MCP servers
    /// its editor sent (in the configuration's form) and the session id (the group that owns them). They are shut
    /// down with the session.
    public var sessionToolSources: @Sendable (_ servers: [MCPServerSettings], _ sessionID: String) -> [any AgentToolSource]
    /// The MCP transports that client supports beyond stdio (`agentCapabilities.mcpCapabilities`).
    public var mcpTransports: AgentCapabilities.MCP
    /// Reply mistakes of the agent itself (a handler that answers twice or never); debug builds stop at them.
    public var onReplyViolation: (@Sendable (ReplyViolation) -> Void)?

    public init(
        version: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        configPathOverride: String? = nil, maximumMessageBytes: Int = 64 << 20,
        providerTimeouts: ProviderTimeouts = .standard, retryPolicy: RetryPolicy = .standard,
        fileRequestTimeout: Duration = .seconds(60),
        sessionToolSources: @escaping @Sendable (_ servers: [MCPServerSettings], _ sessionID: String) -> [any AgentToolSource] = {
            _, _ in []
        },
        mcpTransports: AgentCapabilities.MCP = AgentCapabilities.MCP(http: false, sse: false),
        onReplyViolation: (@Sendable (ReplyViolation) -> Void)? = nil
    ) {
        self.version = version
        self.environment = environment
        self.configPathOverride = configPathOverride
        self.maximumMessageBytes = maximumMessageBytes
        self.providerTimeouts = providerTimeouts
        self.retryPolicy = retryPolicy
        self.fileRequestTimeout = fileRequestTimeout
        self.sessionToolSources = sessionToolSources
        self.mcpTransports = mcpTransports
        self.onReplyViolation = onReplyViolation
    }
}

/// What `initialize` told the agent about the editor.
struct ClientState: Sendable {
    var capabilities = ClientCapabilities()
    var info: Implementation?
}

public final class ACPAgent: Sendable {
    let options: ACPAgentOptions
    let connection: Connection
    let logger: Logger
    let store: SessionStore
    private let client = Mutex<ClientState?>(nil)
    private let sessions = Mutex<[SessionID: ACPSession]>([:])

    public init(input: FileHandle, output: FileHandle, options: ACPAgentOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        store = SessionStore(environment: options.environment, logger: logger)
        let onViolation = options.onReplyViolation
        connection = Connection(
            input: input, output: output,
            options: ConnectionOptions(
                framing: .newlineDelimited, maximumMessageBytes: options.maximumMessageBytes,
                cancellations: MessageRegistry.acp.cancellations,
                cancellingOutgoing: { id in
                    .notification(method: CancelRequestNotification.method, params: ["requestId": id.jsonValue])
                },
                trace: { direction, body in
                    logger.trace("\(direction) \(String(decoding: body.prefix(4000), as: UTF8.self))")
                },
                onViolation: ReplyViolation.standardHandler { violation in
                    logger.error("\(violation) Please report this with the log (--log-file).")
                    onViolation?(violation)
                }))
    }

    /// Serves until the editor closes stdin. Returns the process exit code (0: the editor ended the session).
    public func run() async -> Int32 {
        connection.start()
        let dispatcher = Dispatcher(table: Self.dispatchTable, owner: self, requests: connection.requests)
        switch await dispatcher.serve(connection) {
        case .endOfInput(truncatedFrame: true):
            logger.warning("The input ended inside a message; the editor closed the pipe.")
        case .stopRequested(let reason):
            logger.warning("\(reason); stopping.")
        case .endOfInput, .finished:
            break
        }
        connection.close()
        for session in sessions.withLock({ Array($0.values) }) { await session.close() }
        return 0
    }

    var clientCapabilities: ClientCapabilities { client.withLock { $0?.capabilities } ?? ClientCapabilities() }

    // MARK: initialize

    func initialize(_ request: InitializeRequest) -> InitializeResponse {
        client.withLock { $0 = ClientState(capabilities: request.clientCapabilities ?? .init(), info: request.clientInfo) }
        let fs = request.clientCapabilities?.fs
        logger.info(
            "Initialized for \(request.clientInfo?.name ?? "an unnamed client") (protocol \(request.protocolVersion); reads files: \(fs?.readTextFile == true), writes files: \(fs?.writeTextFile == true)).")
        return InitializeResponse(
            protocolVersion: ProtocolVersion.current,
            agentCapabilities: AgentCapabilities(
                loadSession: true, promptCapabilities: .init(embeddedContext: true), mcpCapabilities: options.mcpTransports,
                sessionCapabilities: .init(list: Supported(), resume: Supported(), close: Supported())),
            authMethods: [],
            agentInfo: Implementation(name: "k2lsp", title: "K2 (k2lsp)", version: options.version))
    }

    // MARK: Sessions

    func session(_ id: SessionID) throws(ACPFailure) -> ACPSession {
        guard let session = sessions.withLock({ $0[id] }) else { throw .unknownSession(id) }
        return session
    }

    func register(_ session: ACPSession) {
        let replaced = sessions.withLock { sessions -> ACPSession? in
            defer { sessions[session.id] = session }
            return sessions[session.id]
        }
        if let replaced { Task { await replaced.close() } }
    }

    func remove(_ id: SessionID) -> ACPSession? {
        sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Sends one session update; updates go out in the order they are made.
    func send(_ update: SessionUpdate, in sessionID: SessionID) {
        connection.notify(SessionNotification(sessionId: sessionID, update: update))
    }
}

/// ACP's rules around dispatch: requests wait for `initialize`, errors are answered and logged.
extension ACPAgent: DispatchOwner {
    public func refusal(ofRequest method: String) -> ResponseError? {
        let initialized = client.withLock { $0 != nil }
        switch (initialized, method) {
        case (false, InitializeRequest.method), (true, _): return nil
        case (false, _): return ResponseError(acp: ACPFailure.notInitialized)
        }
    }

    public func accepts(notification method: String) -> Bool {
        client.withLock { $0 != nil }
    }

    public func errorResponse(for error: any Error, method: String) -> ResponseError {
        let response = ResponseError(acp: error)
        if response.code == ResponseError.internalErrorCode { logger.error("\(method) failed: \(response.message)") }
        return response
    }

    public func notificationFailed(_ method: String, reason: String) {
        logger.warning("'\(method)' was not applied: \(reason)")
    }

    public func ignored(notification method: String) {
        logger.debug("Ignored the notification '\(method)'.")
    }

    public func refused(reason: String) {
        logger.warning("Refused a malformed message: \(reason)")
    }
}
