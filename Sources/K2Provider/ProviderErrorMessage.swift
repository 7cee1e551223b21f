// The user-facing sentence for each provider error code, each ending in what to do next.
import Foundation
import K2Models

enum ProviderErrorMessage {
    static func text(for error: ProviderError) -> String {
        let origin = error.origin
        let base = origin.baseURL
        let said = serverSaid(error)
        let afterAttempts = error.attempts > 1 ? " after \(error.attempts) attempts" : ""
        let limit = error.timeout?.humanReadable ?? "too long"
        let aside = said.isEmpty ? "" : " (\(said.dropFirst(2)))"
        switch error.code {
        case .keyRejected:
            guard origin.hadAPIKey else {
                let variable = origin.apiKeyEnvName ?? "an API key"
                return "\(base) requires an API key (HTTP 401\(said)). Set \(variable) and run `k2lsp doctor`."
            }
            let keyName = origin.apiKeyEnvName ?? "The API key"
            return "\(keyName) was rejected by \(base) (HTTP 401\(said)). Check the key, and the region: "
                + "moonshot.ai vs moonshot.cn keys differ."
        case .forbidden:
            return "\(base) refused access to model \(origin.model) (HTTP 403\(said)). Check that the key's account "
                + "may use this model, or choose another model in the configuration."
        case .modelNotFound:
            let status = "HTTP \(error.statusCode.map(String.init) ?? "404")\(said)"
            if let ids = error.availableModels, !ids.isEmpty {
                let listed = ids.prefix(20).joined(separator: ", ") + (ids.count > 20 ? ", …" : "")
                return "Model '\(origin.model)' was not found at \(base), or the key may not use it (\(status)). "
                    + "This key can use: \(listed). Set the \(origin.label) model to one of them, or run `k2lsp models`."
            }
            return "Model '\(origin.model)' was not found at \(base), or the key may not use it (\(status)). "
                + "Run `k2lsp doctor` or `k2lsp models` (or `GET \(base)/models`) to list the models this key can use, then set the "
                + "\(origin.label) model in the configuration."
        case .pathNotFound:
            return "\(base) answered 404 Not Found\(said). Check that base_url is the API root (it usually ends in "
                + "/v1), then run `k2lsp doctor`."
        case .rateLimited:
            let wait = error.retryAfter.map { " It asked to wait \($0.humanReadable)." } ?? ""
            return "\(base) is rate-limiting requests (HTTP 429\(afterAttempts)\(said)).\(wait) Wait a minute and try "
                + "again, or run fewer requests at once."
        case .quotaExhausted:
            return "The account behind \(origin.apiKeyEnvName ?? "the API key") has no balance left at \(base) "
                + "(HTTP \(error.statusCode.map(String.init) ?? "429")\(said)). Top up at \(topUpPage(host: origin.host))."
        case .contextTooLong:
            return "The request is too long for model \(origin.model)'s context window at \(base)\(said.isEmpty ? "" : " (HTTP 400\(said))"). "
                + "Include less context or ask for fewer output tokens."
        case .contentFiltered:
            return "\(base) refused the request with its content filter (HTTP 400\(said)). Rephrase the request or "
                + "leave the flagged text out of the context."
        case .badRequest:
            return "\(base) rejected the request for model \(origin.model) (HTTP \(error.statusCode.map(String.init) ?? "400")"
                + "\(said)). Check the model's options in the configuration; if they look right, this is a k2lsp bug: "
                + "run with debug logging and report it."
        case .serverError:
            return "\(base) had a server error (HTTP \(error.statusCode.map(String.init) ?? "5xx")\(afterAttempts)"
                + "\(said)). Try again later."
        case .streamError:
            return "\(base) reported an error in the middle of a reply\(afterAttempts)\(aside); "
                + "the partial reply was discarded. Try again."
        case .truncatedStream:
            return "The reply from \(base) ended without a final chunk (no [DONE] and no finish_reason)\(aside)\(afterAttempts); "
                + "the partial reply was discarded. Try again; if it keeps happening, check any proxy between you and "
                + "\(origin.host)."
        case .connectionFailed:
            return "Could not reach \(origin.host)\(afterAttempts)\(aside). "
                + "Check the network, base_url (\(base)) and HTTPS_PROXY/NO_PROXY."
        case .firstByteTimeout:
            return "\(base) sent nothing for \(limit) after the request; it was abandoned. Try again, or raise "
                + "\(setting(error)) (seconds) in the configuration if the server is slow to start (a long local "
                + "prompt can take minutes)."
        case .idleTimeout:
            return "\(base) stopped sending for \(limit) in the middle of a reply; it was abandoned. "
                + "Try again, or raise \(setting(error)) (seconds) in the configuration."
        case .totalTimeout:
            return "The reply from \(base) took longer than \(limit) in all; it was abandoned. Ask for "
                + "less output or raise \(setting(error)) (seconds) in the configuration."
        case .unexpectedResponse:
            return "\(base) sent an unexpected response\(aside). Check base_url "
                + "(it should be an OpenAI-compatible API root) and run `k2lsp doctor`."
        case .cancelled:
            return "The request to \(base) was cancelled."
        }
    }

    /// ": <server message>" or "" — the server's words are already redacted and shortened.
    private static func serverSaid(_ error: ProviderError) -> String {
        let parts = [error.serverErrorType, error.serverMessage].compactMap { $0?.isEmpty == false ? $0 : nil }
        guard !parts.isEmpty else { return "" }
        if parts.count == 2, let message = error.serverMessage, message.contains(error.serverErrorType ?? "\u{0}") {
            return ": " + message
        }
        return ": " + parts.joined(separator: ": ")
    }

    private static func setting(_ error: ProviderError) -> String {
        ProviderTimeouts.settingName(for: error.code) ?? "the timeout"
    }

    private static func topUpPage(host: String) -> String {
        ModelCatalog.builtIn.host(host)?.billingPage ?? "your provider's billing page for \(host)"
    }
}
