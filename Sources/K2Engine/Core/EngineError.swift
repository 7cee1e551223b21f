// The engine's error type: each case says what went wrong in words a user can act on.
import K2Provider

public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// Configuration is missing or wrong (no API key, unknown model). Nothing was sent to a model.
    case notConfigured(String)
    /// The request itself is wrong (no such file, empty instruction). Nothing was sent to a model.
    case invalidRequest(String)
    /// The model could not be reached or refused the request.
    case provider(ProviderError)
    /// The model replied, but its reply could not be turned into a valid edit.
    case invalidReply(String)
    /// The document changed under the edit and it could not be rebased.
    case contentModified(String)
    /// A safety rule refused the operation.
    case refused(String)
    /// An agent run hit one of its limits before the model finished (a safety rule too; `reason` says which).
    case stopped(AgentStopReason)

    public var description: String {
        switch self {
        case .notConfigured(let message), .invalidRequest(let message), .invalidReply(let message),
            .contentModified(let message), .refused(let message):
            return message
        case .provider(let error):
            return error.userMessage
        case .stopped(let reason):
            return reason.description
        }
    }
}
