// The one error type of the provider layer: a precise code, a coarse kind for exit codes, and a message to act on.
import Foundation

/// A failed provider call. Every text it holds has been redacted: it never contains the API key.
public struct ProviderError: Error, Sendable, Hashable {
    /// Coarse classes the CLI maps to exit codes and the server maps to LSP errors.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case auth, notFound, rateLimited, quota, network, timeout, badRequest, server, `protocol`, cancelled
    }

    /// What exactly went wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable, Codable {
        /// 401: the key was rejected (or is missing).
        case keyRejected
        /// 403: the key may not use this model or endpoint.
        case forbidden
        /// 404 (or OpenRouter's 400 "not a valid model ID") for the model.
        case modelNotFound
        /// 404 for a path that is not the model (e.g. no `GET /models`, or a base URL without `/v1`).
        case pathNotFound
        /// 429 that is not about money, still failing after the allowed retries.
        case rateLimited
        /// 429 `exceeded_current_quota_error` or 402: no balance left.
        case quotaExhausted
        /// 400 "exceeded model token limit": prompt plus `max_tokens` is over the context window.
        case contextTooLong
        /// 400 `content_filter`.
        case contentFiltered
        /// Another 4xx.
        case badRequest
        /// 5xx (or 408/409) still failing after the allowed retries.
        case serverError
        /// An `{"error": …}` event inside a 200 stream.
        case streamError
        /// The stream ended with neither `[DONE]` nor a `finish_reason`.
        case truncatedStream
        /// The server could not be reached or closed the connection.
        case connectionFailed
        case firstByteTimeout
        case idleTimeout
        case totalTimeout
        /// A redirect, or a body that is neither SSE nor a chat completion.
        case unexpectedResponse
        case cancelled

        public var kind: Kind {
            switch self {
            case .keyRejected, .forbidden: return .auth
            case .modelNotFound, .pathNotFound: return .notFound
            case .rateLimited: return .rateLimited
            case .quotaExhausted: return .quota
            case .contextTooLong, .contentFiltered, .badRequest: return .badRequest
            case .serverError, .streamError: return .server
            case .truncatedStream, .unexpectedResponse: return .protocol
            case .connectionFailed: return .network
            case .firstByteTimeout, .idleTimeout, .totalTimeout: return .timeout
            case .cancelled: return .cancelled
            }
        }
    }

    /// The endpoint facts messages mention; never the key itself.
    public struct Origin: Sendable, Hashable {
        public var baseURL: String
        public var host: String
        public var model: String
        public var label: String
        public var apiKeyEnvName: String?
        public var hadAPIKey: Bool

        public init(_ endpoint: ProviderEndpoint) {
            baseURL = endpoint.normalizedBaseURL
            host = endpoint.host
            model = endpoint.model
            label = endpoint.label
            apiKeyEnvName = endpoint.apiKeyEnvName
            hadAPIKey = endpoint.apiKey != nil
        }
    }

    public var code: Code
    public var origin: Origin
    public var statusCode: Int?
    /// The server's `error.type` or `error.code`, e.g. `rate_limit_reached_error`.
    public var serverErrorType: String?
    /// The server's own words (redacted, shortened), or a transport error's description.
    public var serverMessage: String?
    /// How many attempts were made in all.
    public var attempts: Int
    /// The limit that passed, for timeouts.
    public var timeout: Duration?
    /// The wait the server asked for (`Retry-After` or "try again after N seconds").
    public var retryAfter: Duration?
    /// Whether a retry could help, if nothing has been shown to the user yet.
    public var isRetryable: Bool
    /// For `.modelNotFound`: the ids the key's `GET /models` listed, when known; the message names them.
    public var availableModels: [String]?

    public init(
        code: Code,
        origin: Origin,
        statusCode: Int? = nil,
        serverErrorType: String? = nil,
        serverMessage: String? = nil,
        attempts: Int = 1,
        timeout: Duration? = nil,
        retryAfter: Duration? = nil,
        isRetryable: Bool = false
    ) {
        self.code = code
        self.origin = origin
        self.statusCode = statusCode
        self.serverErrorType = serverErrorType
        self.serverMessage = serverMessage
        self.attempts = attempts
        self.timeout = timeout
        self.retryAfter = retryAfter
        self.isRetryable = isRetryable
    }

    public var kind: Kind { code.kind }

    /// What happened and what to do next, in one or two sentences.
    public var userMessage: String { ProviderErrorMessage.text(for: self) }
}

extension ProviderError: CustomStringConvertible, LocalizedError {
    public var description: String { userMessage }
    public var errorDescription: String? { userMessage }
}
