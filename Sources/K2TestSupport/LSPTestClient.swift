// A scripted editor: spawns the real k2lsp binary and speaks framed JSON-RPC to it through pipes.
import AnyJSON
import Foundation
import JSONRPC
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The server a test client talks to: the pipes to it and from it, and how to see its log and end it.
public struct ServerEndpoint: Sendable {
    public var toServer: FileHandle
    public var fromServer: FileHandle
    public var framing: Framing
    /// What the server logged so far (stderr, or an in-process log), for failure messages.
    public var log: @Sendable () -> String
    /// The exit code once the server ended, nil while it runs.
    public var exitStatus: @Sendable () -> Int32?
    public var kill: @Sendable () -> Void

    public init(
        toServer: FileHandle, fromServer: FileHandle, framing: Framing = .contentLength,
        log: @escaping @Sendable () -> String, exitStatus: @escaping @Sendable () -> Int32?,
        kill: @escaping @Sendable () -> Void
    ) {
        self.toServer = toServer
        self.fromServer = fromServer
        self.framing = framing
        self.log = log
        self.exitStatus = exitStatus
        self.kill = kill
    }
}

/// A scripted editor (or any JSON-RPC peer): frames messages to a server, collects every message it sends back,
/// answers its requests, and waits for what a test expects. The server is the real binary (`init(arguments:)`) or
/// anything else behind a `ServerEndpoint` (the in-process harness, a bare `Connection`).
public final class LSPTestClient: Sendable {
    /// How the client answers requests the server sends it (workspace/applyEdit, window/workDoneProgress/create…).
    /// Return nil to fall back to the defaults; `.noAnswer` never answers.
    public typealias ServerRequestResponder = @Sendable (_ method: String, _ params: JSONValue?) -> Result<JSONValue, ResponseError>?

    /// A responder result that leaves the request unanswered (an editor that never replies).
    public static let noAnswer: Result<JSONValue, ResponseError> = .failure(.init(code: 0, message: "no answer"))

    private struct State {
        var received: [Message] = []
        var framingProblems: [String] = []
        var stdoutClosed = false
        var nextID = 0
        var responder: ServerRequestResponder?
    }

    private let endpoint: ServerEndpoint
    private let state = Mutex(State())
    private let writeLock = Mutex(())

    /// Starts `k2lsp` with the given arguments. The environment starts from a clean slate plus `environment`
    /// (with PATH and HOME kept), so a developer's real K2_API_KEY never reaches a test.
    public convenience init(
        arguments: [String] = ["serve"], environment: [String: String] = [:], workingDirectory: String? = nil
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BinaryLocator.k2lspPath())
        process.arguments = arguments
        var processEnvironment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": FileManager.default.temporaryDirectory.path,
            "XDG_CONFIG_HOME": FileManager.default.temporaryDirectory.appendingPathComponent("k2lsp-no-config").path,
            // A model listing cached by one test must not answer for another that reuses its port.
            "XDG_CACHE_HOME": FileManager.default.temporaryDirectory
                .appendingPathComponent("k2lsp-test-cache-\(UUID().uuidString)").path,
        ]
        processEnvironment.merge(environment) { _, new in new }
        process.environment = processEnvironment
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        let stderrBuffer = Mutex(Data())
        let stderrHandle = stderrPipe.fileHandleForReading
        Thread {
            while true {
                let data = stderrHandle.availableData
                if data.isEmpty { break }
                stderrBuffer.withLock { $0.append(data) }
            }
        }.start()
        let processBox = ProcessBox(process)
        self.init(
            endpoint: ServerEndpoint(
                toServer: stdinPipe.fileHandleForWriting, fromServer: stdoutPipe.fileHandleForReading,
                log: { String(decoding: stderrBuffer.withLock { $0 }, as: UTF8.self) },
                exitStatus: { processBox.exitStatus },
                kill: { processBox.kill() }),
            processIdentifier: process.processIdentifier)
    }

    /// Talks to the server behind `endpoint`.
    public init(endpoint: ServerEndpoint, processIdentifier: Int32 = 0) {
        self.endpoint = endpoint
        self.processIdentifier = processIdentifier
        startReader()
    }

    deinit {
        if endpoint.exitStatus() == nil { endpoint.kill() }
    }

    /// The server's process id (0 for a server in this process).
    public let processIdentifier: Int32

    private func startReader() {
        let fromServer = endpoint.fromServer
        let framing = endpoint.framing
        let thread = Thread { [self] in
            var reader = framing.makeReader(maximumBodyBytes: 64 << 20)
            while true {
                let data = fromServer.availableData
                let events = data.isEmpty ? reader.finish() : reader.feed(data)
                for event in events {
                    switch event {
                    case .body(let body):
                        switch Message.decode(body) {
                        case .success(let message): receive(message)
                        case .failure(let failure):
                            state.withLock { $0.framingProblems.append("undecodable body: \(failure.error.message)") }
                        }
                    case .oversized(let length, _, _):
                        state.withLock { $0.framingProblems.append("oversized frame \(length)") }
                    case .malformedHeader(let reason):
                        state.withLock { $0.framingProblems.append("malformed header: \(reason)") }
                    }
                }
                if data.isEmpty { break }
            }
            state.withLock { $0.stdoutClosed = true }
        }
        thread.start()
    }

    private func receive(_ message: Message) {
        state.withLock { $0.received.append(message) }
        guard case .request(let id, let method, let params) = message else { return }
        let responder = state.withLock { $0.responder }
        let answer = responder?(method, params) ?? Self.defaultAnswer(method: method, params: params)
        if answer == Self.noAnswer { return }
        send(.response(id: id, result: answer))
    }

    private static func defaultAnswer(method: String, params: JSONValue?) -> Result<JSONValue, ResponseError> {
        switch method {
        case "workspace/applyEdit": return .success(["applied": true])
        default: return .success(.null)
        }
    }

    /// Replaces how server-to-client requests are answered; return nil to fall back to the defaults.
    public func respondToServerRequests(_ responder: @escaping ServerRequestResponder) {
        state.withLock { $0.responder = responder }
    }

    // MARK: Sending

    public func sendRaw(_ data: Data) {
        writeLock.withLock { _ in
            try? endpoint.toServer.write(contentsOf: data)
        }
    }

    public func send(_ message: Message) {
        sendRaw(endpoint.framing.frame(message.encoded()))
    }

    /// Sends a request and returns its id without waiting.
    @discardableResult
    public func sendRequest(_ method: String, _ params: JSONValue? = nil) -> RequestID {
        let id = state.withLock { state -> RequestID in
            state.nextID += 1
            return .number(state.nextID)
        }
        send(.request(id: id, method: method, params: params))
        return id
    }

    public func notify(_ method: String, _ params: JSONValue? = nil) {
        send(.notification(method: method, params: params))
    }

    /// Sends a request and waits for its response.
    public func request(_ method: String, _ params: JSONValue? = nil, timeout: Duration = .seconds(20)) async throws
        -> Result<JSONValue, ResponseError>
    {
        let id = sendRequest(method, params)
        return try await response(to: id, timeout: timeout)
    }

    /// Sends a request and returns its result, throwing when the server answered with an error.
    public func call(_ method: String, _ params: JSONValue? = nil, timeout: Duration = .seconds(20)) async throws
        -> JSONValue
    {
        switch try await request(method, params, timeout: timeout) {
        case .success(let value): return value
        case .failure(let error): throw error
        }
    }

    public func response(to id: RequestID?, timeout: Duration = .seconds(20)) async throws
        -> Result<JSONValue, ResponseError>
    {
        try await waitFor("a response to \(id.map(String.init(describing:)) ?? "null")", timeout: timeout) { messages in
            for message in messages {
                if case .response(let responseID, let result) = message, responseID == id { return result }
            }
            return nil
        }
    }

    /// All responses with the given id (to check that exactly one arrived).
    public func responses(to id: RequestID?) -> [Result<JSONValue, ResponseError>] {
        state.withLock { state in
            state.received.compactMap { message in
                if case .response(let responseID, let result) = message, responseID == id { return result }
                return nil
            }
        }
    }

    public func notifications(_ method: String) -> [JSONValue] {
        state.withLock { state in
            state.received.compactMap { message in
                if case .notification(let name, let params) = message, name == method { return params ?? .null }
                return nil
            }
        }
    }

    public func serverRequests(_ method: String) -> [JSONValue] {
        state.withLock { state in
            state.received.compactMap { message in
                if case .request(_, let name, let params) = message, name == method { return params ?? .null }
                return nil
            }
        }
    }

    public func waitForNotification(
        _ method: String, timeout: Duration = .seconds(20), where predicate: @escaping @Sendable (JSONValue) -> Bool = { _ in true }
    ) async throws -> JSONValue {
        try await waitFor("notification \(method)", timeout: timeout) { messages in
            for message in messages {
                if case .notification(let name, let params) = message, name == method, predicate(params ?? .null) {
                    return params ?? .null
                }
            }
            return nil
        }
    }

    /// Waits for a request the server sends (e.g. `window/workDoneProgress/create`) and returns its params.
    public func waitForNotificationOrRequest(_ method: String, timeout: Duration = .seconds(20)) async throws -> JSONValue {
        try await waitFor("\(method) from the server", timeout: timeout) { messages in
            for message in messages {
                switch message {
                case .request(_, let name, let params) where name == method: return params ?? .null
                case .notification(let name, let params) where name == method: return params ?? .null
                default: continue
                }
            }
            return nil
        }
    }

    public var receivedMessages: [Message] { state.withLock { $0.received } }
    public var framingProblems: [String] { state.withLock { $0.framingProblems } }
    /// The server's log (its stderr when it is a process).
    public var stderrText: String { endpoint.log() }

    private func waitFor<T>(
        _ what: String, timeout: Duration, _ check: @escaping @Sendable ([Message]) -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (messages, closed) = state.withLock { ($0.received, $0.stdoutClosed) }
            if let found = check(messages) { return found }
            if closed {
                throw TestSupportError("k2lsp closed its output while waiting for \(what). stderr:\n\(stderrText)")
            }
            if ContinuousClock.now > deadline {
                throw TestSupportError("Timed out waiting for \(what). stderr:\n\(stderrText)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    // MARK: Lifecycle helpers

    /// Sends `initialize` and `initialized`; returns the initialize result.
    @discardableResult
    public func initialize(
        rootPath: String? = nil, capabilities: JSONValue = .object([:]), initializationOptions: JSONValue? = nil,
        processID: Int? = nil
    ) async throws -> JSONValue {
        var params: [String: JSONValue] = [
            "processId": processID.map(JSONValue.int) ?? .null,
            "capabilities": capabilities,
            "clientInfo": ["name": "k2lsp-tests", "version": "1"],
        ]
        if let rootPath {
            let uri = URL(fileURLWithPath: rootPath).absoluteString
            params["rootUri"] = .string(uri)
            params["workspaceFolders"] = [["uri": .string(uri), "name": .string(URL(fileURLWithPath: rootPath).lastPathComponent)]]
        }
        if let initializationOptions { params["initializationOptions"] = initializationOptions }
        let result = try await call("initialize", .object(params))
        notify("initialized", .object([:]))
        return result
    }

    public func openDocument(uri: String, text: String, languageID: String = "swift", version: Int = 1) {
        notify(
            "textDocument/didOpen",
            ["textDocument": ["uri": .string(uri), "languageId": .string(languageID), "version": .int(version), "text": .string(text)]])
    }

    /// Closes stdin (the editor went away).
    public func closeInput() {
        writeLock.withLock { _ in try? endpoint.toServer.close() }
    }

    /// `shutdown` then `exit`; returns the exit code.
    public func shutdownAndExit(timeout: Duration = .seconds(10)) async throws -> Int32 {
        _ = try await call("shutdown")
        notify("exit")
        return try await waitForExit(timeout: timeout)
    }

    public func waitForExit(timeout: Duration = .seconds(10)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = endpoint.exitStatus() { return status }
            if ContinuousClock.now > deadline {
                terminate()
                throw TestSupportError("k2lsp did not exit within \(timeout). stderr:\n\(stderrText)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Ends the server (a process gets SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM).
    public func terminate() {
        if endpoint.exitStatus() == nil { endpoint.kill() }
    }
}

/// A spawned server process, for `ServerEndpoint`'s closures.
private final class ProcessBox: Sendable {
    private let process: Mutex<Process?>

    init(_ process: Process) { self.process = Mutex(process) }

    var exitStatus: Int32? {
        process.withLock { process in
            guard let process, !process.isRunning else { return nil }
            return process.terminationStatus
        }
    }

    func kill() {
        process.withLock { process in
            if let process, process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        }
    }
}

extension Result where Success == JSONValue, Failure == ResponseError {
    /// The error code of an error response, nil for a result.
    public var errorCode: Int? {
        if case .failure(let error) = self { return error.code }
        return nil
    }

    public var errorMessage: String? {
        if case .failure(let error) = self { return error.message }
        return nil
    }

    /// The result, nil for an error response.
    public var value: JSONValue? {
        if case .success(let value) = self { return value }
        return nil
    }
}
