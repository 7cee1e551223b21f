// An editor session against the real binary or the in-process server, with the scripted K2 server, in a temporary
// workspace.
import AnyJSON
import Foundation
import JSONRPC

/// Starts the scripted K2 server, writes a workspace, starts the server under test pointed at both (`k2lsp serve`,
/// or `LanguageServer` in this process), and initializes it with the capabilities of a full-featured editor.
public final class EditorSession: Sendable {
    public static let testKey = "sk-test-k2lsp-SECRETKEY-0123456789abcdef"
    /// Sessions pin today's K2 ids, so a test about edits is not also a test of discovery (no `GET /models` first);
    /// tests of discovery pass `discoverModels` to unpin them.
    public static let pinnedModels = ["K2_INSTRUCT_MODEL_ID": "kimi-k2.6", "K2_THINKING_MODEL_ID": "kimi-k2.7-code"]
    /// Unpins the model ids: each role is resolved from `GET /models`, as for a user who set only a key.
    public static let discoverModels = ["K2_INSTRUCT_MODEL_ID": "", "K2_THINKING_MODEL_ID": ""]

    public let model: ScriptedK2Server
    public let workspace: TemporaryDirectory
    public let client: LSPTestClient
    /// Set for an in-process server.
    public let inProcess: InProcessServer?

    private init(model: ScriptedK2Server, workspace: TemporaryDirectory, client: LSPTestClient, inProcess: InProcessServer?) {
        self.model = model
        self.workspace = workspace
        self.client = client
        self.inProcess = inProcess
    }

    /// The in-process server's reply mistakes (a double reply, a dropped request); empty for the binary, which
    /// stops at them in a debug build.
    public var replyViolations: [ReplyViolation] { inProcess?.replyViolations ?? [] }

    /// Capabilities of an editor that supports everything k2lsp uses.
    public static let fullCapabilities: JSONValue = [
        "general": [
            "positionEncodings": ["utf-16"],
            "staleRequestSupport": ["cancel": true, "retryOnContentModified": []],
        ],
        "workspace": [
            "applyEdit": true,
            "workspaceEdit": ["documentChanges": true, "resourceOperations": ["create", "rename", "delete"]],
            "didChangeWatchedFiles": ["dynamicRegistration": true],
            "configuration": true,
        ],
        "window": ["workDoneProgress": true, "showMessage": [:]],
        "textDocument": [
            "inlineCompletion": [:],
            "codeAction": [
                "codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["quickfix", "refactor", "source"]]],
                "resolveSupport": ["properties": ["edit"]],
                "dataSupport": true,
            ],
        ],
    ]

    public static func start(
        files: [String: String] = [:], environment: [String: String] = [:],
        capabilities: JSONValue = fullCapabilities, initializationOptions: JSONValue? = nil,
        arguments: [String] = ["serve", "--log-level", "trace"], server: ServerUnderTest? = nil
    ) async throws -> EditorSession {
        let model = try await ScriptedK2Server.start()
        let workspace = try TemporaryDirectory()
        for (path, contents) in files { try workspace.write(path, contents) }
        var processEnvironment = ["K2_API_BASE_URL": model.baseURL, "K2_API_KEY": testKey].merging(pinnedModels) { $1 }
        processEnvironment.merge(environment) { _, new in new }
        let client: LSPTestClient
        var inProcess: InProcessServer?
        switch server ?? .binary(arguments: arguments) {
        case .binary(let arguments):
            client = try LSPTestClient(
                arguments: arguments, environment: processEnvironment, workingDirectory: workspace.path)
        case .inProcess(let configure):
            let started = InProcessServer(environment: processEnvironment, configure: configure)
            client = started.client
            inProcess = started
        }
        _ = try await client.initialize(
            rootPath: workspace.path, capabilities: capabilities, initializationOptions: initializationOptions)
        return EditorSession(model: model, workspace: workspace, client: client, inProcess: inProcess)
    }

    /// Opens a workspace file (its text, or `text` when given) and returns its URI.
    @discardableResult
    public func open(_ relativePath: String, text: String? = nil, languageID: String = "swift", version: Int = 1)
        throws -> String
    {
        let uri = workspace.uri(relativePath)
        let contents = try text ?? workspace.read(relativePath)
        client.openDocument(uri: uri, text: contents, languageID: languageID, version: version)
        return uri
    }

    /// Every byte the server sent the model, as text, for "this never leaked" assertions.
    public var everythingSentToTheModel: String {
        model.recordedRequests.map { request in
            request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + "\n"
                + String(decoding: request.body, as: UTF8.self)
        }.joined(separator: "\n")
    }

    /// Every message the server sent the editor, as text.
    public var everythingSentToTheEditor: String {
        client.receivedMessages.map { String(decoding: $0.encoded(), as: UTF8.self) }.joined(separator: "\n")
    }

    public func finish() async {
        client.terminate()
        await model.shutdown()
    }
}
