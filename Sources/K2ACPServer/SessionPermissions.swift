// The session's permission policy: edits in ask mode and MCP tools nobody pre-approved go to the user through
// session/request_permission; everything else runs.
import ACP
import JSONRPC
import K2Engine
import Logging

struct SessionPermissions: ToolPermissionPolicy {
    let session: ACPSession
    let connection: Connection
    let updates: TurnUpdates
    /// Set for /explain: the turn may read but not change files.
    let readOnly: Bool
    let logger: Logger

    /// Built-in edits are allowed for the rest of the session as one group; MCP tools one by one.
    static let builtInEditsKey = "edits"

    static let options = [
        PermissionOption(optionId: "allow_once", name: "Allow", kind: .allowOnce),
        PermissionOption(optionId: "allow_always", name: "Allow for this session", kind: .allowAlways),
        PermissionOption(optionId: "reject_once", name: "Reject", kind: .rejectOnce),
    ]

    func decide(_ request: ToolPermissionRequest) async -> ToolPermissionDecision {
        let decision = await decision(for: request)
        if decision == .allow { updates.started(callID: request.callID) }
        return decision
    }

    private func decision(for request: ToolPermissionRequest) async -> ToolPermissionDecision {
        let key: String
        switch (request.traits.origin, request.traits.kind) {
        case (.builtIn, .edit):
            if readOnly {
                return .deny(reason: "the user asked for an explanation only (/explain), so no file may change. Explain instead.")
            }
            if session.choices.mode == .auto { return .allow }
            key = Self.builtInEditsKey
        case (.mcp(let server, let tool), _):
            if request.traits.preapproved { return .allow }
            key = "mcp:\(server):\(tool)"
        case (.builtIn, _):
            return .allow
        }
        if session.isAlwaysAllowed(key) { return .allow }
        return await ask(about: request, rememberingAs: key)
    }

    private func ask(about request: ToolPermissionRequest, rememberingAs key: String) async -> ToolPermissionDecision {
        let call = ToolCallRendering.permissionCall(request)
        do {
            let answer = try await connection.request(
                RequestPermissionRequest(sessionId: session.id, toolCall: call, options: Self.options))
            switch answer.outcome {
            case .selected(optionId: "allow_once"):
                return .allow
            case .selected(optionId: "allow_always"):
                session.allowAlways(key)
                return .allow
            case .selected(optionId: "reject_once"):
                return .deny(reason: "the user rejected this call. Do not make it again; ask the user how to go on, or take another approach.")
            case .selected(let other):
                return .deny(reason: "the editor answered the permission request with an unknown option '\(other)', so the call was not run.")
            case .cancelled:
                return .deny(reason: "the user cancelled the turn.")
            }
        } catch {
            logger.warning("session/request_permission failed: \(error)")
            return .deny(reason: "the editor could not ask the user for permission (\(error)), so the call was not run.")
        }
    }
}
