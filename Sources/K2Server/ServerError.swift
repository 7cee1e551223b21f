// The server's error type and the one place where any error becomes a JSON-RPC error response.
import AnyJSON
import JSONRPC
import K2Engine
import K2Workspace

enum ServerError: Error, Sendable {
    case invalidParams(String)
    case documentNotOpen(uri: String)
    case contentModified(String)
    case requestFailed(String)
    case internalFault(String)
}

extension ResponseError {
    /// Maps any error a handler throws to the response the client gets. Unknown errors are handler faults (-32603).
    init(_ error: any Error) {
        if let error = error as? ResponseError {
            self = error
            return
        }
        if error is CancellationError {
            self = .cancelled
            return
        }
        switch error {
        case ServerError.invalidParams(let message):
            self = .invalidParams(message)
        case ServerError.documentNotOpen(let uri):
            self = .init(
                code: ResponseError.invalidParamsCode,
                message: "The document \(uri) is not open; the editor must send textDocument/didOpen first.")
        case ServerError.contentModified(let message):
            self = .contentModified(message)
        case ServerError.requestFailed(let message):
            self = .init(code: ResponseError.requestFailedCode, message: message)
        case ServerError.internalFault(let message):
            self = .internalError(message)
        case let error as EngineError:
            self = ResponseError(engineError: error)
        case let error as DocumentStoreError:
            self = .init(code: ResponseError.invalidParamsCode, message: error.description)
        default:
            self = .internalError("k2lsp failed to handle the request: \(error). Please report this with the log (--log-file).")
        }
    }
}

extension ResponseError {
    /// Engine errors: the message is the engine's; `data.kind` lets a plugin tell them apart.
    init(engineError error: EngineError) {
        switch error {
        case .invalidRequest(let message):
            self = .init(code: ResponseError.invalidParamsCode, message: message, data: ["kind": "invalidRequest"])
        case .contentModified(let message):
            self = .init(code: ResponseError.contentModifiedCode, message: message, data: ["kind": "contentModified"])
        case .notConfigured(let message):
            self = .init(code: ResponseError.requestFailedCode, message: message, data: ["kind": "notConfigured"])
        case .provider(let providerError):
            self = .init(
                code: ResponseError.requestFailedCode, message: providerError.userMessage,
                data: ["kind": "provider", "providerError": .string(providerError.kind.rawValue)])
        case .invalidReply(let message):
            self = .init(code: ResponseError.requestFailedCode, message: message, data: ["kind": "invalidReply"])
        case .refused(let message):
            self = .init(code: ResponseError.requestFailedCode, message: message, data: ["kind": "refused"])
        case .stopped(let reason):
            self = .init(code: ResponseError.requestFailedCode, message: reason.description, data: ["kind": "refused"])
        }
    }
}
