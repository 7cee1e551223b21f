// Turns an HTTP status, headers and error body (or an error event in a stream) into a `ProviderError`.
import AnyJSON
import Foundation

/// Pure classification of server failures. Everything quoted from the server passes through `KeyRedactor`.
public enum ProviderErrorMapper {
    /// Which request failed: a 404 means "no such model" for chat, "no such listing" for models.
    public enum Operation: Sendable, Hashable {
        case chat, listModels
    }

    /// The longest piece of server text quoted in a message.
    static let maximumQuotedLength = 300

    /// Classifies a non-2xx response.
    public static func error(
        status: Int,
        headers: [(name: String, value: String)],
        body: Data,
        endpoint: ProviderEndpoint,
        operation: Operation = .chat,
        now: Date = Date()
    ) -> ProviderError {
        let redactor = KeyRedactor(endpoint: endpoint)
        var details = ServerErrorDetails(body: body, redactor: redactor)
        if (300..<400).contains(status) {
            let location = headers.first { $0.name.lowercased() == "location" }?.value ?? "an unnamed location"
            details.message = "HTTP \(status) redirect to \(redactor.redact(location)); set base_url to the final URL"
        }
        let retryAfterHeader = headers.first { $0.name.lowercased() == "retry-after" }?.value
        let retryAfter = RetryAfter.fromHeader(retryAfterHeader, now: now) ?? RetryAfter.fromMessage(details.message)
        let code = classify(status: status, details: details, operation: operation)
        let retryable = [408, 409, 425, 429].contains(status) || (500...599).contains(status)
        return ProviderError(
            code: code,
            origin: .init(endpoint),
            statusCode: status,
            serverErrorType: details.type,
            serverMessage: details.message,
            retryAfter: retryAfter,
            isRetryable: retryable && code != .quotaExhausted
        )
    }

    /// Classifies an `{"error": …}` event that arrived inside a 200 stream (OpenRouter does this).
    public static func streamError(_ payload: JSONValue, endpoint: ProviderEndpoint) -> ProviderError {
        let redactor = KeyRedactor(endpoint: endpoint)
        let details = ServerErrorDetails(json: payload, redactor: redactor)
        let embeddedStatus = details.numericCode
        var error = ProviderError(
            code: .streamError,
            origin: .init(endpoint),
            statusCode: embeddedStatus,
            serverErrorType: details.type,
            serverMessage: details.message,
            retryAfter: RetryAfter.fromMessage(details.message),
            isRetryable: true
        )
        if let embeddedStatus {
            let code = classify(status: embeddedStatus, details: details, operation: .chat)
            if code == .quotaExhausted || code == .keyRejected || code == .modelNotFound || code == .contextTooLong {
                error.code = code
            }
            error.isRetryable = [408, 409, 429].contains(embeddedStatus) || (500...599).contains(embeddedStatus)
            error.isRetryable = error.isRetryable && error.code != .quotaExhausted
        }
        return error
    }

    static func classify(status: Int, details: ServerErrorDetails, operation: Operation) -> ProviderError.Code {
        let type = details.type?.lowercased() ?? ""
        let message = details.message?.lowercased() ?? ""
        switch status {
        case 401:
            return .keyRejected
        case 402:
            return .quotaExhausted
        case 403:
            return mentionsQuota(type: type, message: message) ? .quotaExhausted : .forbidden
        case 404:
            if operation == .listModels { return .pathNotFound }
            let aboutModel = type.contains("not_found") || type.contains("notfound") || message.contains("model")
            return aboutModel ? .modelNotFound : .pathNotFound
        case 429:
            return mentionsQuota(type: type, message: message) ? .quotaExhausted : .rateLimited
        case 400, 413, 422:
            if type.contains("content_filter") || message.contains("content_filter")
                || message.contains("high risk") || message.contains("content filter")
            {
                return .contentFiltered
            }
            if message.contains("token limit") || message.contains("context length")
                || message.contains("context_length") || message.contains("maximum context")
                || message.contains("too many tokens") || message.contains("prompt is too long")
                || type.contains("context_length")
            {
                return .contextTooLong
            }
            if message.contains("not a valid model") || type.contains("model_not_found")
                || (message.contains("model") && (message.contains("does not exist") || message.contains("not found")))
            {
                return .modelNotFound
            }
            return .badRequest
        case 408, 409, 425, 500...599:
            return .serverError
        default:
            return (400...499).contains(status) ? .badRequest : .unexpectedResponse
        }
    }

    private static func mentionsQuota(type: String, message: String) -> Bool {
        type.contains("exceeded_current_quota") || type.contains("insufficient_quota")
            || message.contains("exceeded_current_quota") || message.contains("insufficient balance")
            || message.contains("suspended due to insufficient") || message.contains("insufficient credits")
            || message.contains("quota")
    }
}

/// The useful fields of an error body in any of the shapes servers use:
/// `{"error": {"type", "message", "code"}}` (OpenAI, Moonshot, OpenRouter) or top-level `{"message", "type",
/// "code"}` (vLLM), or plain text.
struct ServerErrorDetails: Sendable, Hashable {
    var type: String?
    var message: String?
    var numericCode: Int?

    init(body: Data, redactor: KeyRedactor) {
        if let json = try? JSONValue(parsing: body), json.objectValue != nil {
            self.init(json: json, redactor: redactor)
            return
        }
        let text = String(decoding: body, as: UTF8.self)
        let compact = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        self = ServerErrorDetails(message: compact.isEmpty ? nil : Self.shorten(redactor.redact(compact)))
    }

    private init(message: String?) {
        self.message = message
    }

    init(json: JSONValue, redactor: KeyRedactor) {
        let error = json["error"].flatMap { $0.objectValue != nil ? $0 : nil } ?? json
        let rawMessage = error["message"]?.stringValue ?? json["error"]?.stringValue ?? json["message"]?.stringValue
        message = rawMessage.map { Self.shorten(redactor.redact($0)) }
        let typeText = error["type"]?.stringValue ?? error["code"]?.stringValue
        type = typeText.map { Self.shorten(redactor.redact($0)) }
        numericCode = error["code"]?.intValue ?? error["status"]?.intValue
    }

    private static func shorten(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > ProviderErrorMapper.maximumQuotedLength else { return trimmed }
        return String(trimmed.prefix(ProviderErrorMapper.maximumQuotedLength)) + "…"
    }
}
