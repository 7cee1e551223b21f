// The one list of every LSP message k2lsp handles or sends, with each one's scheduling class.
import JSONRPC

/// LSP's names for the JSON-RPC message protocols.
public typealias LSPRequest = RPCRequest
public typealias LSPNotification = RPCNotification

extension MessageRegistry {
    /// Every message of k2lsp's LSP front end. K2Server's dispatch table joins the incoming half with its handlers
    /// (a test checks that each entry has one), the advertised capabilities are derived from it
    /// (`ServerCapabilities(registry:positionEncoding:)`), and protocol-docs must document every method.
    ///
    /// The class says what each message waits for and what a `didChange` does to it while it runs
    /// (see `MessageScheduling` and `Staleness`): the loop, the in-flight table and `workspace/executeCommand`
    /// (per command, see `K2CommandName.equivalentRequest`) all read it from here.
    public static let lsp = MessageRegistry(
        incoming: [
            .request(InitializeRequest.self, .inLoop),
            .request(ShutdownRequest.self, .inLoop),
            .request(InlineCompletionRequest.self, .readsResource(.supersede)),
            .request(CompletionRequest.self, .readsResource(.supersede)),
            .request(CodeActionRequest.self, .readsResource(.contentModified)),
            .request(CodeActionResolveRequest.self, .perMessage),
            .request(ExecuteCommandRequest.self, .perMessage),
            .request(K2EditRequest.self, .readsResource(.rebase)),
            .request(K2ExplainRequest.self, .readsResource(.contentModified)),
            .request(K2ContextRequest.self, .readsResource(.contentModified)),
            .request(K2AgentRequest.self, .freestanding),
            // A debugging aid (like rust-analyzer's viewFileText), not a feature to detect.
            .request(K2ViewDocumentRequest.self, .freestanding, advertised: false),

            .notification(CancelRequestNotification.self, .cancelsRequest),
            .notification(InitializedNotification.self, .inLoop),
            .notification(ExitNotification.self, .inLoop),
            .notification(DidOpenTextDocumentNotification.self, .inLoop),
            .notification(DidChangeTextDocumentNotification.self, .updatesResource),
            .notification(DidCloseTextDocumentNotification.self, .inLoop),
            .notification(DidSaveTextDocumentNotification.self, .inLoop),
            .notification(DidChangeConfigurationNotification.self, .inLoop),
            .notification(DidChangeWatchedFilesNotification.self, .inLoop),
            .notification(DidChangeWorkspaceFoldersNotification.self, .inLoop),
            .notification(WorkDoneProgressCancelNotification.self, .inLoop),
            .notification(SetTraceNotification.self, .inLoop),
            .notification(K2DidChangeDiagnosticsNotification.self, .inLoop),
        ],
        outgoing: [
            .outgoing(ApplyWorkspaceEditRequest.self),
            .outgoing(WorkDoneProgressCreateRequest.self),
            .outgoing(RegisterCapabilityRequest.self),
            .outgoing(ShowMessageRequest.self),
            .outgoing(ShowMessageNotification.self),
            .outgoing(LogMessageNotification.self),
            .outgoing(ProgressNotification.self),
            .outgoing(K2ToolCallNotification.self),
        ])
}
