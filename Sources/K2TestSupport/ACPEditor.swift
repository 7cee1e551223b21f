// A scripted ACP editor: spawns `k2lsp acp`, keeps editor buffers it serves through fs/*, answers permission requests.
import AnyJSON
import Foundation
import JSONRPC
import Synchronization

/// Drives the real binary as an editor's agent panel does (Zed, JetBrains, CodeCompanion): one JSON-RPC message per
/// line, requests both ways. Its buffers answer `fs/read_text_file` (a path it has no buffer for gets an error, as
/// Zed answers), writes land in them, and `session/request_permission` gets the answers queued with
/// `answerPermissions`, else `allow_once`.
public final class ACPEditor: Sendable {
    private struct State {
        var buffers: [String: String] = [:]
        var writes: [(path: String, content: String)] = []
        var permissionAnswers: [String] = []
    }

    /// Shared with the responder, which runs on the client's reader thread.
    private final class Box: Sendable {
        let state = Mutex(State())
    }

    public let client: LSPTestClient
    private let box = Box()

    /// Starts the agent (`arguments`, `k2lsp acp` by default) with sessions kept in `stateDirectory`.
    public init(
        modelBaseURL: String?, stateDirectory: String, workingDirectory: String, environment: [String: String] = [:],
        arguments: [String] = ["acp", "--log-level", "debug"]
    ) throws {
        var processEnvironment = ["XDG_STATE_HOME": stateDirectory]
        if let modelBaseURL {
            processEnvironment["K2_API_BASE_URL"] = modelBaseURL
            processEnvironment["K2_API_KEY"] = EditorSession.testKey
        }
        processEnvironment.merge(environment) { _, new in new }
        client = try LSPTestClient(
            arguments: arguments, environment: processEnvironment, workingDirectory: workingDirectory,
            framing: .newlineDelimited)
        client.respondToServerRequests { [box] method, params in
            switch method {
            case "fs/read_text_file":
                let path = params?["path"]?.stringValue ?? ""
                guard let text = box.state.withLock({ $0.buffers[path] }) else {
                    return .failure(ResponseError(code: -32002, message: "Resource not found: \(path)"))
                }
                return .success(["content": .string(text)])
            case "fs/write_text_file":
                let path = params?["path"]?.stringValue ?? ""
                let content = params?["content"]?.stringValue ?? ""
                box.state.withLock { state in
                    state.buffers[path] = content
                    state.writes.append((path, content))
                }
                return .success(.null)
            case "session/request_permission":
                let answer = box.state.withLock { state in
                    state.permissionAnswers.isEmpty ? "allow_once" : state.permissionAnswers.removeFirst()
                }
                if answer == "cancelled" { return .success(["outcome": ["outcome": "cancelled"]]) }
                if answer == "never" { return LSPTestClient.noAnswer }
                return .success(["outcome": ["outcome": "selected", "optionId": .string(answer)]])
            default:
                return .failure(ResponseError(code: -32601, message: "Unknown method '\(method)'."))
            }
        }
    }

    /// `initialize` with file-system capabilities as given; returns the result.
    @discardableResult
    public func initialize(readsFiles: Bool = true, writesFiles: Bool = true) async throws -> JSONValue {
        try await client.call(
            "initialize",
            [
                "protocolVersion": 1,
                "clientCapabilities": ["fs": ["readTextFile": .bool(readsFiles), "writeTextFile": .bool(writesFiles)]],
                "clientInfo": ["name": "k2lsp-tests", "version": "1"],
            ])
    }

    /// `session/new` in `cwd`; returns the session id and the whole result.
    public func newSession(cwd: String, mcpServers: JSONValue = []) async throws -> (id: String, result: JSONValue) {
        let result = try await client.call("session/new", ["cwd": .string(cwd), "mcpServers": mcpServers])
        guard let id = result["sessionId"]?.stringValue else { throw TestSupportError("session/new gave no sessionId: \(result)") }
        return (id, result)
    }

    /// Sends `session/prompt` with text (and any other blocks) without waiting; returns its id.
    @discardableResult
    public func prompt(_ sessionID: String, _ text: String, blocks: [JSONValue] = []) -> RequestID {
        let content: [JSONValue] = [["type": "text", "text": .string(text)]] + blocks
        return client.sendRequest("session/prompt", ["sessionId": .string(sessionID), "prompt": .array(content)])
    }

    /// Waits for a prompt's answer; returns its stop reason (throws when it was an error).
    public func stopReason(of id: RequestID, timeout: Duration = .seconds(30)) async throws -> String? {
        try await client.response(to: id, timeout: timeout).get()["stopReason"]?.stringValue
    }

    /// The `update` objects of every `session/update` for the session, in the order they arrived.
    public func updates(_ sessionID: String) -> [JSONValue] {
        client.notifications("session/update").filter { $0["sessionId"]?.stringValue == sessionID }.compactMap { $0["update"] }
    }

    /// The updates of one kind (`agent_message_chunk`, `tool_call`, …).
    public func updates(_ sessionID: String, kind: String) -> [JSONValue] {
        updates(sessionID).filter { $0["sessionUpdate"]?.stringValue == kind }
    }

    /// The text of the chunks of one kind, joined in order.
    public func text(_ sessionID: String, kind: String) -> String {
        updates(sessionID, kind: kind).compactMap { $0["content"]?["text"]?.stringValue }.joined()
    }

    public func setBuffer(_ path: String, _ text: String) {
        box.state.withLock { $0.buffers[path] = text }
    }

    public func buffer(_ path: String) -> String? {
        box.state.withLock { $0.buffers[path] }
    }

    /// From now on permission requests get no answer (a user who has not decided yet).
    public func respondToPermissionsNever() {
        answerPermissions(["never"])
    }

    /// Answers for the next permission requests, in order: an option id, "cancelled", or "never".
    public func answerPermissions(_ answers: [String]) {
        box.state.withLock { $0.permissionAnswers += answers }
    }

    public var writes: [(path: String, content: String)] { box.state.withLock { $0.writes } }
    public var permissionRequests: [JSONValue] { client.serverRequests("session/request_permission") }

    /// Closes stdin, as an editor that quits does, and waits for the agent to exit.
    public func quit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        client.closeInput()
        return try await client.waitForExit(timeout: timeout)
    }
}
