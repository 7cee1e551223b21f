// The ACP front end's error type and the one place where any error becomes a JSON-RPC error response.
import JSONRPC
import K2Engine

enum ACPFailure: Error, Sendable {
    case invalidParams(String)
    /// No such session (-32002, ACP's "resource not found").
    case unknownSession(String)
    /// A request before `initialize`.
    case notInitialized
}

extension ResponseError {
    static let resourceNotFoundCode = -32002

    /// What a handler threw, as the editor gets it. Engine errors keep k2lsp's one vocabulary (the LSP front end's):
    /// -32602 for a bad request, -32803 with `data.kind` for work that failed.
    init(acp error: any Error) {
        switch error {
        case let error as ResponseError:
            self = error
        case is CancellationError:
            self = .cancelled
        case ACPFailure.invalidParams(let message):
            self = .invalidParams(message)
        case ACPFailure.unknownSession(let id):
            self = .init(
                code: Self.resourceNotFoundCode,
                message: "There is no session '\(id)': start one with session/new, or reopen a stored one with session/load (session/list shows them).")
        case ACPFailure.notInitialized:
            self = .invalidRequest("The agent is not initialized: send 'initialize' first.")
        case let error as EngineError:
            self = ResponseError(acpEngineError: error)
        default:
            self = .internalError("k2lsp failed to handle the request: \(error). Please report this with the log (--log-file).")
        }
    }

    init(acpEngineError error: EngineError) {
        let kind: String
        switch error {
        case .invalidRequest(let message):
            self = .init(code: Self.invalidParamsCode, message: message, data: ["kind": "invalidRequest"])
            return
        case .provider(let providerError):
            self = .init(
                code: Self.requestFailedCode, message: providerError.userMessage,
                data: ["kind": "provider", "providerError": .string(providerError.kind.rawValue)])
            return
        case .notConfigured: kind = "notConfigured"
        case .invalidReply: kind = "invalidReply"
        case .contentModified: kind = "contentModified"
        case .refused, .stopped: kind = "refused"
        }
        self = .init(code: Self.requestFailedCode, message: error.description, data: ["kind": .string(kind)])
    }
}
