// workspace/* messages: configuration, watched files, folders, commands, applying edits.
import AnyJSON
import JSONRPC

public struct DidChangeConfigurationNotification: LSPNotification {
    public static let method = "workspace/didChangeConfiguration"
    public var settings: JSONValue?
}

public struct FileEvent: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    public var type: FileChangeType
    public init(uri: DocumentURI, type: FileChangeType) {
        self.uri = uri
        self.type = type
    }
}

public struct DidChangeWatchedFilesNotification: LSPNotification {
    public static let method = "workspace/didChangeWatchedFiles"
    public var changes: [FileEvent]
}

public struct WorkspaceFoldersChangeEvent: Codable, Sendable, Hashable {
    public var added: [WorkspaceFolder]
    public var removed: [WorkspaceFolder]
}

public struct DidChangeWorkspaceFoldersNotification: LSPNotification {
    public static let method = "workspace/didChangeWorkspaceFolders"
    public var event: WorkspaceFoldersChangeEvent
}

public struct ExecuteCommandRequest: LSPRequest {
    public static let method = "workspace/executeCommand"
    public typealias Response = JSONValue
    public var command: String
    public var arguments: [JSONValue]?
    public var workDoneToken: ProgressToken?
}

extension ExecuteCommandRequest: SelfScheduling {
    /// A `k2.*` command is scheduled as the `k2/*` request it runs (`k2.fix` as `k2/edit`).
    public var scheduling: ResolvedScheduling {
        K2CommandName(rawValue: command)?.scheduling(argument: arguments?.first) ?? .freestanding
    }
}

public struct ApplyWorkspaceEditRequest: LSPRequest {
    public static let method = "workspace/applyEdit"
    public typealias Response = ApplyWorkspaceEditResult
    public var label: String?
    public var edit: WorkspaceEdit
    public init(label: String?, edit: WorkspaceEdit) {
        self.label = label
        self.edit = edit
    }
}

public struct ApplyWorkspaceEditResult: Codable, Sendable, Hashable {
    public var applied: Bool
    public var failureReason: String?
    public var failedChange: Int?
}

public struct Registration: Codable, Sendable, Hashable {
    public var id: String
    public var method: String
    public var registerOptions: JSONValue?
    public init(id: String, method: String, registerOptions: JSONValue?) {
        self.id = id
        self.method = method
        self.registerOptions = registerOptions
    }
}

public struct RegisterCapabilityRequest: LSPRequest {
    public static let method = "client/registerCapability"
    public typealias Response = JSONValue
    public var registrations: [Registration]
    public init(registrations: [Registration]) { self.registrations = registrations }
}
