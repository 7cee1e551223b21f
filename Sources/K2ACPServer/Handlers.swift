// The dispatch table: every incoming message of `MessageRegistry.acp` with its handler. The registry says how each
// is scheduled; a test checks that no entry lacks a handler and no handler lacks an entry.
import ACP
import JSONRPC

extension ACPAgent {
    typealias Handler = MessageHandler<ACPAgent>

    static let dispatchTable = DispatchTable(registry: .acp, handlers: handlers)

    static let handlers: [Handler] = [
        .request(InitializeRequest.self) { request, context in context.owner.initialize(request) },
        .request(NewSessionRequest.self, replyingThrough: { request, context, reply in
            do {
                let (response, session) = try await context.owner.newSession(request)
                reply(.success(response))
                context.owner.announceCommands(of: session)
            } catch {
                reply(.failure(error))
            }
        }),
        .request(LoadSessionRequest.self) { request, context in
            try await context.owner.reopenSession(request.sessionId, workspace: request.workspace, replay: true)
        },
        .request(ResumeSessionRequest.self) { request, context in
            try await context.owner.reopenSession(request.sessionId, workspace: request.workspace, replay: false)
        },
        .request(ListSessionsRequest.self) { request, context in
            try context.owner.store.list(cwd: request.cwd, cursor: request.cursor)
        },
        .request(CloseSessionRequest.self) { request, context in
            try await context.owner.closeSession(request.sessionId)
            return EmptyResult()
        },
        .request(SetSessionModeRequest.self) { request, context in
            try await context.owner.setMode(request)
            return EmptyResult()
        },
        .request(SetSessionConfigOptionRequest.self) { request, context in
            try await context.owner.setConfigOption(request)
        },
        .request(PromptRequest.self) { request, context in try await context.owner.prompt(request) },
        .notification(CancelNotification.self) { notification, agent in
            try agent.session(notification.sessionId).cancelTurn()
        },
    ]
}
