// Message protocols and the one list of every method k2lsp understands.

/// A request type: the params struct, its method name and its response type.
public protocol LSPRequest: Codable, Sendable {
    associatedtype Response: Codable, Sendable
    static var method: String { get }
}

/// A notification type: the params struct and its method name.
public protocol LSPNotification: Codable, Sendable {
    static var method: String { get }
}

/// Every message k2lsp handles or sends, listed once. The server's dispatch table and the protocol docs test use it.
public enum MessageRegistry {
    public static let clientRequests: [any LSPRequest.Type] = [
        InitializeRequest.self,
        ShutdownRequest.self,
        InlineCompletionRequest.self,
        CompletionRequest.self,
        CodeActionRequest.self,
        CodeActionResolveRequest.self,
        ExecuteCommandRequest.self,
        K2EditRequest.self,
        K2ExplainRequest.self,
        K2ContextRequest.self,
        K2AgentRequest.self,
        K2ViewDocumentRequest.self,
    ]

    public static let clientNotifications: [any LSPNotification.Type] = [
        InitializedNotification.self,
        ExitNotification.self,
        CancelRequestNotification.self,
        DidOpenTextDocumentNotification.self,
        DidChangeTextDocumentNotification.self,
        DidCloseTextDocumentNotification.self,
        DidSaveTextDocumentNotification.self,
        DidChangeConfigurationNotification.self,
        DidChangeWatchedFilesNotification.self,
        DidChangeWorkspaceFoldersNotification.self,
        WorkDoneProgressCancelNotification.self,
        SetTraceNotification.self,
        K2DidChangeDiagnosticsNotification.self,
    ]

    public static let serverRequests: [any LSPRequest.Type] = [
        ApplyWorkspaceEditRequest.self,
        WorkDoneProgressCreateRequest.self,
        RegisterCapabilityRequest.self,
        ShowMessageRequest.self,
    ]

    public static let serverNotifications: [any LSPNotification.Type] = [
        ShowMessageNotification.self,
        LogMessageNotification.self,
        ProgressNotification.self,
        K2ToolCallNotification.self,
    ]
}
