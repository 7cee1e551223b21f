// initialize, initialized, shutdown, exit and the capabilities they exchange.
import AnyJSON
import JSONRPC

public struct WorkspaceFolder: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    public var name: String
    public init(uri: DocumentURI, name: String) {
        self.uri = uri
        self.name = name
    }
}

public struct ClientInfo: Codable, Sendable, Hashable {
    public var name: String
    public var version: String?
}

/// `initialize`. Client capabilities stay a `JSONValue`: clients send many shapes, and the server reads
/// the few it needs by path (see `ClientFeatures` in K2Server) rather than failing on an unexpected one.
public struct InitializeRequest: LSPRequest {
    public static let method = "initialize"
    public typealias Response = InitializeResult

    public var processId: Int?
    public var clientInfo: ClientInfo?
    public var rootUri: DocumentURI?
    public var rootPath: String?
    public var capabilities: JSONValue
    public var initializationOptions: JSONValue?
    public var workspaceFolders: [WorkspaceFolder]?
    public var trace: String?
    public var locale: String?
}

public struct ServerInfo: Codable, Sendable, Hashable {
    public var name: String
    public var version: String
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

public struct ServerCapabilities: Codable, Sendable, Hashable {
    public struct SaveOptions: Codable, Sendable, Hashable {
        public var includeText: Bool
        public init(includeText: Bool) { self.includeText = includeText }
    }
    public struct TextDocumentSyncOptions: Codable, Sendable, Hashable {
        public var openClose: Bool
        public var change: TextDocumentSyncKind
        public var save: SaveOptions?
        public init(openClose: Bool, change: TextDocumentSyncKind, save: SaveOptions?) {
            self.openClose = openClose
            self.change = change
            self.save = save
        }
    }
    public struct CompletionOptions: Codable, Sendable, Hashable {
        public var resolveProvider: Bool
        public var triggerCharacters: [String]?
        public init(resolveProvider: Bool, triggerCharacters: [String]? = nil) {
            self.resolveProvider = resolveProvider
            self.triggerCharacters = triggerCharacters
        }
    }
    public struct CodeActionOptions: Codable, Sendable, Hashable {
        public var codeActionKinds: [CodeActionKind]
        public var resolveProvider: Bool
        public init(codeActionKinds: [CodeActionKind], resolveProvider: Bool) {
            self.codeActionKinds = codeActionKinds
            self.resolveProvider = resolveProvider
        }
    }
    public struct ExecuteCommandOptions: Codable, Sendable, Hashable {
        public var commands: [String]
        public init(commands: [String]) { self.commands = commands }
    }
    public struct WorkspaceFoldersOptions: Codable, Sendable, Hashable {
        public var supported: Bool
        public var changeNotifications: Bool
        public init(supported: Bool, changeNotifications: Bool) {
            self.supported = supported
            self.changeNotifications = changeNotifications
        }
    }
    public struct WorkspaceOptions: Codable, Sendable, Hashable {
        public var workspaceFolders: WorkspaceFoldersOptions
        public init(workspaceFolders: WorkspaceFoldersOptions) { self.workspaceFolders = workspaceFolders }
    }

    public var positionEncoding: String
    public var textDocumentSync: TextDocumentSyncOptions
    public var inlineCompletionProvider: Bool?
    public var completionProvider: CompletionOptions?
    public var codeActionProvider: CodeActionOptions?
    public var executeCommandProvider: ExecuteCommandOptions?
    public var workspace: WorkspaceOptions?
    /// k2lsp's own extensions, so plugins can feature-detect them.
    public var experimental: JSONValue?

    public init(
        positionEncoding: String, textDocumentSync: TextDocumentSyncOptions, inlineCompletionProvider: Bool?,
        completionProvider: CompletionOptions?, codeActionProvider: CodeActionOptions?,
        executeCommandProvider: ExecuteCommandOptions?, workspace: WorkspaceOptions?, experimental: JSONValue?
    ) {
        self.positionEncoding = positionEncoding
        self.textDocumentSync = textDocumentSync
        self.inlineCompletionProvider = inlineCompletionProvider
        self.completionProvider = completionProvider
        self.codeActionProvider = codeActionProvider
        self.executeCommandProvider = executeCommandProvider
        self.workspace = workspace
        self.experimental = experimental
    }
}

public struct InitializeResult: Codable, Sendable, Hashable {
    public var capabilities: ServerCapabilities
    public var serverInfo: ServerInfo
    public init(capabilities: ServerCapabilities, serverInfo: ServerInfo) {
        self.capabilities = capabilities
        self.serverInfo = serverInfo
    }
}

/// Messages without params decode from `null`, an absent member or `{}`.
public struct EmptyParams: Codable, Sendable, Hashable {
    public init() {}
}

public struct InitializedNotification: LSPNotification {
    public static let method = "initialized"
}

public struct ShutdownRequest: LSPRequest {
    public static let method = "shutdown"
    public typealias Response = JSONValue  // null
}

public struct ExitNotification: LSPNotification {
    public static let method = "exit"
}

public struct CancelRequestNotification: RequestCancellation {
    public static let method = "$/cancelRequest"
    public var id: JSONValue
    public var cancelledRequestID: RequestID? { RequestID(jsonValue: id) }
}

public struct SetTraceNotification: LSPNotification {
    public static let method = "$/setTrace"
    public var value: String
}
