// The one list of every ACP message k2lsp handles or sends, with each one's scheduling class.
import JSONRPC

extension MessageRegistry {
    /// Every message of k2lsp's ACP front end (`k2lsp acp`). K2ACPServer's dispatch table joins the incoming half with
    /// its handlers (a test checks that each entry has one), and protocol-docs/acp.md must document every method.
    ///
    /// Classes: session set-up and choices run in the loop, so they apply in order; a prompt turn runs in its own
    /// task, so `session/cancel`, config changes and other sessions go on while it works; `$/cancel_request` is
    /// handled on the reader thread, ahead of everything queued.
    public static let acp = MessageRegistry(
        incoming: [
            .request(InitializeRequest.self, .inLoop),
            .request(NewSessionRequest.self, .inLoop),
            .request(LoadSessionRequest.self, .inLoop),
            .request(ResumeSessionRequest.self, .inLoop),
            .request(ListSessionsRequest.self, .freestanding),
            .request(CloseSessionRequest.self, .inLoop),
            .request(SetSessionModeRequest.self, .inLoop),
            .request(SetSessionConfigOptionRequest.self, .inLoop),
            .request(PromptRequest.self, .freestanding),

            .notification(CancelNotification.self, .inLoop),
            .notification(CancelRequestNotification.self, .cancelsRequest),
        ],
        outgoing: [
            .outgoing(SessionNotification.self),
            .outgoing(RequestPermissionRequest.self),
            .outgoing(ReadTextFileRequest.self),
            .outgoing(WriteTextFileRequest.self),
            .outgoing(CancelRequestNotification.self),
        ])
}
