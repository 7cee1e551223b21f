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

    public init(
        version: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        configPathOverride: String? = nil, maximumMessageBytes: Int = 64 << 20,
        parentPollInterval: Duration = .seconds(1), providerTimeouts: ProviderTimeouts = .standard,
        retryPolicy: RetryPolicy = .standard
    ) {
        self.providerTimeouts = providerTimeouts
        self.retryPolicy = retryPolicy
        self.version = version
        self.environment = environment
        self.configPathOverride = configPathOverride
        self.maximumMessageBytes = maximumMessageBytes
        self.parentPollInterval = parentPollInterval
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
}

public final class LanguageServer: Sendable {
    let options: ServerOptions
    let connection: Connection
    let inFlight: InFlightRequests
    let documents = DocumentStore()
    let logger: Logger
    let session = Mutex(SessionState())
    let progressTokens = ProgressTokens()
    let diagnostics = DiagnosticsStore()
    let completions = InlineCompletionCoordinator()

    public init(input: FileHandle, output: FileHandle, options: ServerOptions, logger baseLogger: Logger) {
        self.options = options
        let logger = baseLogger
        // The reader thread consults the in-flight table for `$/cancelRequest`; the table needs the connection.
        let cancellationTarget = Mutex<InFlightRequests?>(nil)
        let connection = Connection(
            input: input, output: output, maximumMessageBytes: options.maximumMessageBytes,
            trace: { direction, body in
                logger.trace("\(direction) \(String(decoding: body.prefix(4000), as: UTF8.self))")
            },
            interceptNotification: { method, params in
                guard method == CancelRequestNotification.method else { return false }
                if let id = RequestID(jsonValue: params?["id"]) {
                    cancellationTarget.withLock { $0 }?.cancel(id)
                }
                return true
            })
        self.connection = connection
        var clientLogger = baseLogger
        clientLogger.handler = MultiplexLogHandler([baseLogger.handler, ClientLogHandler(connection: connection)])
        self.logger = clientLogger
        inFlight = InFlightRequests(connection: connection)
        cancellationTarget.withLock { $0 = inFlight }
    }

    var features: ClientFeatures { session.withLock { $0.features } }
    var positionEncoding: PositionEncoding { session.withLock { $0.positionEncoding } }
    var workspaceFolders: [String] { session.withLock { $0.workspaceFolders } }

    /// Serves until `exit`, EOF or the parent's death. Returns the process exit code.
    public func run() async -> Int32 {
        connection.start()
        let exitCode = await messageLoop()
        inFlight.cancelAll()
        await session.withLock { $0.engine }?.shutdown()
        return exitCode
    }

    private func messageLoop() async -> Int32 {
        for await event in connection.incoming {
            switch event {
            case .request(let id, let method, let params):
                await dispatchRequest(id: id, method: method, params: params)
            case .notification(let method, let params):
                if method == ExitNotification.method {
                    return session.withLock { $0.lifecycle } == .shutDown ? 0 : 1
                }
                await dispatchNotification(method: method, params: params)
            case .invalid(let reply, let reason):
                logger.warning("Refused a malformed message: \(reason)")
                connection.send(reply)
            case .endOfInput(let truncated):
                if truncated { logger.warning("The input ended inside a message; the editor closed the pipe.") }
                logger.info("Input closed; shutting down.")
                return session.withLock { $0.lifecycle } == .shutDown ? 0 : 1
            case .parentProcessExited:
                logger.warning("The editor process (processId) is gone; shutting down.")
                return 1
            }
        }
        return session.withLock { $0.lifecycle } == .shutDown ? 0 : 1
    }

    private func dispatchRequest(id: RequestID, method: String, params: JSONValue?) async {
        let lifecycle = session.withLock { $0.lifecycle }
        switch (lifecycle, method) {
        case (.uninitialized, InitializeRequest.method):
            break
        case (.uninitialized, _):
            let error = ResponseError(
                code: ResponseError.serverNotInitializedCode,
                message: "The server is not initialized: send 'initialize' first.")
            connection.send(.response(id: id, result: .failure(error)))
            return
        case (.running, InitializeRequest.method):
            connection.send(
                .response(id: id, result: .failure(.invalidRequest("The server is already initialized."))))
            return
        case (.shutDown, _):
            connection.send(
                .response(
                    id: id,
                    result: .failure(.invalidRequest("The server is shutting down: only 'exit' is accepted now."))))
            return
        default:
            break
        }
        guard let handler = Self.requestHandlers[method] else {
            connection.send(.response(id: id, result: .failure(.methodNotFound(method))))
            return
        }
        let prepared: PreparedRequest
        do {
            prepared = try handler.prepare(params)
        } catch {
            connection.send(.response(id: id, result: .failure(ResponseError(error))))
            return
        }
        guard inFlight.begin(id: id, method: method, documentURI: prepared.documentURI) else { return }
        let context = RequestContext(id: id, method: method, server: self)
        if case .inline = handler.scheduling {
            await execute(prepared, context: context)
            return
        }
        let task = Task { await self.execute(prepared, context: context) }
        inFlight.attach(task: task, to: id)
    }

    private func execute(_ prepared: PreparedRequest, context: RequestContext) async {
        let result: Result<JSONValue, ResponseError>
        do {
            result = .success(try await prepared.run(context))
        } catch {
            let response = ResponseError(error)
            if response.code == ResponseError.internalErrorCode {
                logger.error("\(context.method) failed: \(response.message)")
            }
            result = .failure(response)
        }
        inFlight.reply(context.id, result)
    }

    private func dispatchNotification(method: String, params: JSONValue?) async {
        let lifecycle = session.withLock { $0.lifecycle }
        guard lifecycle == .running else {
            if lifecycle == .uninitialized { logger.debug("Dropped '\(method)' received before initialize.") }
            return
        }
        guard let handler = Self.notificationHandlers[method] else {
            if !method.hasPrefix("$/") { logger.debug("Ignored unknown notification '\(method)'.") }
            return
        }
        do {
            try await handler.run(params, self)
        } catch {
            logger.warning("'\(method)' was not applied: \(ResponseError(error).message)")
        }
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

    static func capabilities(encoding: PositionEncoding) -> ServerCapabilities {
        ServerCapabilities(
            positionEncoding: encoding.rawValue,
            textDocumentSync: .init(openClose: true, change: 2, save: .init(includeText: false)),
            inlineCompletionProvider: true,
            completionProvider: .init(resolveProvider: false),
            codeActionProvider: .init(
                codeActionKinds: ["quickfix", "refactor.rewrite", "source"], resolveProvider: true),
            executeCommandProvider: .init(commands: K2CommandName.allCases.map(\.rawValue)),
            workspace: .init(workspaceFolders: .init(supported: true, changeNotifications: true)),
            experimental: [
                "k2": [
                    "requests": .array(["k2/edit", "k2/explain", "k2/context", "k2/agent"]),
                    "notifications": .array(["k2/toolCall"]),
                ]
            ])
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
                    connection.injectParentExit()
                    return
                }
            }
        }
    }
}

extension RequestID {
    init?(jsonValue: JSONValue?) {
        switch jsonValue {
        case .int(let number)?: self = .number(number)
        case .string(let string)?: self = .string(string)
        default: return nil
        }
    }
}
