// Where one chat model is served, how to authenticate there, and how the model is asked (its catalog profile).
import AnyJSON
import Foundation
import K2Models

/// One OpenAI-compatible chat endpoint plus the model to ask for.
///
/// The API key is deliberately kept out of `description`, `debugDescription` and the reflection mirror, so
/// interpolating or `dump`ing an endpoint into a log line never prints it.
public struct ProviderEndpoint: Sendable, Hashable {
    /// The API root, e.g. `https://api.moonshot.ai/v1`; `/chat/completions` and `/models` are appended.
    public var baseURL: String
    public var model: String
    /// `nil` for servers that need no key (local vLLM/SGLang); then no `Authorization` header is sent.
    public var apiKey: String?
    /// The environment variable the key came from (e.g. `K2_API_KEY`), named in messages about a rejected key.
    public var apiKeyEnvName: String?
    /// What this endpoint is for, in messages: "Instruct", "Thinking".
    public var label: String
    /// A window that overrides the profile's (from configuration); the output limit is clamped to what is left.
    public var contextWindow: Int?
    /// How this model is asked: sampling, thinking switch, output-limit field, reasoning replay.
    public var profile: ModelProfile
    /// How much reasoning the role wants: `.least` for Instruct work (and every completion), `.full` for Thinking.
    public var reasoning: ReasoningLevel
    /// Rewrite history tool-call ids to K2's native `functions.<name>:<n>` (safe for every server).
    public var normalizesToolCallIDs: Bool
    /// Extra request headers (e.g. OpenRouter's `HTTP-Referer`, `X-Title`). Never put the key here.
    public var extraHeaders: [String: String]
    /// Extra top-level body fields from configuration (e.g. OpenRouter `provider` routing); they never
    /// replace the fields this client owns (`model`, `messages`, `stream`, `stream_options`, `tools`).
    public var extraBody: [String: JSONValue]

    public init(
        baseURL: String,
        model: String,
        apiKey: String? = nil,
        apiKeyEnvName: String? = nil,
        label: String = "Instruct",
        contextWindow: Int? = nil,
        profile: ModelProfile = .conservative,
        reasoning: ReasoningLevel = .least,
        normalizesToolCallIDs: Bool = true,
        extraHeaders: [String: String] = [:],
        extraBody: [String: JSONValue] = [:]
    ) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.apiKeyEnvName = apiKeyEnvName
        self.label = label
        self.contextWindow = contextWindow
        self.profile = profile
        self.reasoning = reasoning
        self.normalizesToolCallIDs = normalizesToolCallIDs
        self.extraHeaders = extraHeaders
        self.extraBody = extraBody
    }

    /// The window the output limit must fit in.
    public var effectiveContextWindow: Int { contextWindow ?? profile.contextWindow }

    /// `baseURL` without trailing slashes.
    public var normalizedBaseURL: String {
        var trimmed = baseURL.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    public var chatCompletionsURL: String { normalizedBaseURL + "/chat/completions" }
    public var modelsURL: String { normalizedBaseURL + "/models" }

    /// The host part of `baseURL`, for messages about the network.
    public var host: String { URLParts(normalizedBaseURL)?.host ?? normalizedBaseURL }

    /// How messages refer to the key: the env var's name when known.
    var apiKeyDisplayName: String { apiKeyEnvName ?? "The API key" }

    /// Every secret that must never leave this process in text.
    var secrets: [String] { apiKey.map { [$0] } ?? [] }
}

extension ProviderEndpoint: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        let keyNote: String
        if apiKey == nil {
            keyNote = "no API key"
        } else {
            keyNote = "key from \(apiKeyEnvName ?? "configuration")"
        }
        return "\(label) model \(model) at \(normalizedBaseURL) (\(keyNote))"
    }

    public var debugDescription: String { "ProviderEndpoint(\(description))" }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "model": model, "apiKey": apiKey == nil ? "nil" : "[redacted]",
                "apiKeyEnvName": apiKeyEnvName as Any, "label": label,
            ],
            displayStyle: .struct
        )
    }
}
