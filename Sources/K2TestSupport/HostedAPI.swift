// The scripted server's "hosted" mode: behaves like Moonshot's API as k2-notes.md describes it (December 2026).
import AnyJSON

/// What the hosted API enforces. Its model rules are written here from the notes, independently of k2lsp's
/// catalog, so a wrong catalog entry shows up as a refused request instead of agreeing with itself.
///
/// - `GET /models` lists exactly `models`; a chat request for any other id is 404 `resource_not_found_error`.
/// - Sampling fields other than the fixed values are 400s; `thinking` / `reasoning_effort` values a model does not
///   accept are 400s; assistant messages without the `reasoning_content` a thinking model needs are 400s.
/// - A thinking request streams `reasoning_content` before the content of its reply.
/// - While rate limited, every chat request is 429 `rate_limit_reached_error` with `Retry-After`.
/// - With `acceptedKey`, any other `Authorization` is 401.
public struct HostedAPI: Sendable {
    public var models: [String]
    public var acceptedKey: String?
    /// Seconds for `Retry-After` while every chat request is refused with 429; nil when not rate limited.
    public var rateLimitRetryAfter: Int?
    /// The reply to a valid request when the test queued none.
    public var defaultReply: String

    public init(models: [String], acceptedKey: String? = nil, defaultReply: String = "Hello! I am K2.") {
        self.models = models
        self.acceptedKey = acceptedKey
        self.defaultReply = defaultReply
    }

    /// The ids Moonshot listed for a K2-era key in autumn 2026.
    public static let liveMoonshotModels = [
        "kimi-k2.6", "kimi-k2.7-code", "kimi-k2.7-code-highspeed", "kimi-k3", "kimi-k3.1-pro", "kimi-k3.1-pro-highspeed",
    ]
    /// An account created after the K2 series left the platform.
    public static let k3OnlyModels = ["kimi-k3", "kimi-k3.1-pro", "kimi-k3.1-pro-highspeed"]
}

/// How one hosted model takes its options.
struct HostedModelRule: Sendable {
    var ids: [String]
    /// `thinking.type` values accepted; empty: a `thinking` field is refused.
    var thinkingTypes: Set<String>
    var thinksUnlessDisabled: Bool
    /// `reasoning_effort` values accepted; empty: the field is refused.
    var efforts: Set<String>
    /// Every earlier assistant message must carry `reasoning_content` (not only tool-call ones) when thinking.
    var replaysEveryMessage: Bool
    var acceptsRequiredToolChoice: Bool

    static let all: [HostedModelRule] = [
        HostedModelRule(
            ids: ["kimi-k2.6"], thinkingTypes: ["enabled", "disabled"], thinksUnlessDisabled: true, efforts: [],
            replaysEveryMessage: false, acceptsRequiredToolChoice: false),
        HostedModelRule(
            ids: ["kimi-k2.7-code", "kimi-k2.7-code-highspeed"], thinkingTypes: ["enabled"], thinksUnlessDisabled: true,
            efforts: [], replaysEveryMessage: true, acceptsRequiredToolChoice: false),
        HostedModelRule(
            ids: ["kimi-k3", "kimi-k3.1-pro", "kimi-k3.1-pro-highspeed"], thinkingTypes: [], thinksUnlessDisabled: true,
            efforts: ["low", "high", "max"], replaysEveryMessage: true, acceptsRequiredToolChoice: true),
    ]

    static func rule(for model: String) -> HostedModelRule? {
        all.first { $0.ids.contains(model) }
    }
}

extension HostedAPI {
    /// The refusal for a chat request, or nil when the hosted API would take it; `thinking` says whether the
    /// reply reasons.
    func check(_ request: RecordedRequest) -> (refusal: ScriptedReply?, thinking: Bool) {
        if let refusal = authorizationRefusal(request) { return (refusal, false) }
        guard let body = request.json, let model = body["model"]?.stringValue else {
            return (.error(status: 400, type: "invalid_request_error", message: "invalid request body"), false)
        }
        guard models.contains(model) else {
            return (
                .error(
                    status: 404, type: "resource_not_found_error",
                    message: "Not found the model \(model) or Permission denied"), false
            )
        }
        if let retryAfter = rateLimitRetryAfter {
            return (
                .error(
                    status: 429, type: "rate_limit_reached_error",
                    message: "Your account org-scripted request reached organization max RPM: 3, please try again after \(retryAfter) seconds",
                    headers: ["Retry-After": String(retryAfter)]), false
            )
        }
        guard let rule = HostedModelRule.rule(for: model) else { return (nil, false) }
        func refuse(_ message: String) -> (ScriptedReply?, Bool) {
            (.error(status: 400, type: "invalid_request_error", message: message), false)
        }
        var thinking = rule.thinksUnlessDisabled
        if let value = body["thinking"] {
            guard let type = value["type"]?.stringValue, rule.thinkingTypes.contains(type) else {
                return refuse("invalid thinking: \(value.serialized()) is not supported for model \(model)")
            }
            thinking = type == "enabled"
        }
        if let effort = body["reasoning_effort"] {
            guard let text = effort.stringValue, rule.efforts.contains(text) else {
                return refuse("invalid reasoning_effort: \(effort.serialized()) is not supported for model \(model)")
            }
        }
        let fixedTemperature = thinking ? 1.0 : 0.6
        let fixedValues: [(String, Double)] = [
            ("temperature", fixedTemperature), ("top_p", 0.95), ("n", 1), ("presence_penalty", 0), ("frequency_penalty", 0),
        ]
        for (field, fixed) in fixedValues {
            if let value = body[field], value.doubleValue != fixed {
                let shown = fixed == fixed.rounded() ? String(Int(fixed)) : String(fixed)
                return refuse("invalid \(field): only \(shown) is allowed for this model")
            }
        }
        if body["tool_choice"]?.stringValue == "required", !rule.acceptsRequiredToolChoice {
            return refuse("tool_choice 'required' is not supported for model \(model)")
        }
        if thinking {
            for (index, message) in (body["messages"]?.arrayValue ?? []).enumerated()
            where message["role"] == "assistant" && message["partial"]?.boolValue != true {
                let reasoning = message["reasoning_content"]?.stringValue ?? ""
                let hasCalls = !(message["tool_calls"]?.arrayValue ?? []).isEmpty
                if reasoning.isEmpty, rule.replaysEveryMessage || hasCalls {
                    let kind = hasCalls ? "assistant tool call message" : "assistant message"
                    return refuse("thinking is enabled but reasoning_content is missing in \(kind) at index \(index)")
                }
            }
        }
        return (nil, thinking)
    }

    func authorizationRefusal(_ request: RecordedRequest) -> ScriptedReply? {
        guard let acceptedKey, request.header("Authorization") != "Bearer \(acceptedKey)" else { return nil }
        return .error(status: 401, type: "invalid_authentication_error", message: "Invalid Authentication")
    }

    /// `GET /models`: exactly the ids the test gave.
    func listing(_ request: RecordedRequest) -> ScriptedReply {
        if let refusal = authorizationRefusal(request) { return refusal }
        let listing: JSONValue = [
            "object": "list",
            "data": .array(models.map { ["id": .string($0), "object": "model", "owned_by": "moonshot"] }),
        ]
        return .status(200, body: listing.serialized())
    }
}

extension ScriptedReply {
    /// The same reply with reasoning streamed before its content, when it has none (a thinking model's answer).
    func withReasoning(_ text: String = "The user asks for a change; I will make it carefully.") -> ScriptedReply {
        switch self {
        case .delayed(let delay, let inner):
            return .delayed(delay, inner.withReasoning(text))
        case .afterGate(let gate, let inner):
            return .afterGate(gate, inner.withReasoning(text))
        case .stream(let events, let delay):
            return .stream(Self.insertingReasoning(text, into: events), chunkDelay: delay)
        case .streamThenStall(let events, let delay):
            return .streamThenStall(Self.insertingReasoning(text, into: events), chunkDelay: delay)
        case .streamThenDrop(let events, let delay):
            return .streamThenDrop(Self.insertingReasoning(text, into: events), chunkDelay: delay)
        case .status, .dropConnection:
            return self
        }
    }

    private static func insertingReasoning(_ text: String, into events: [SSEEvent]) -> [SSEEvent] {
        let flat = events.flatMap(\.flattened)
        let hasReasoning = flat.contains { event in
            if case .data(let payload) = event { return payload.contains("\"reasoning_content\"") }
            return false
        }
        guard !hasReasoning, !flat.isEmpty else { return events }
        return [flat[0]] + pieces(of: text, count: 2).map { SSEEvent.reasoning($0) } + flat.dropFirst()
    }

    /// The HTTP status this reply starts with, for the record.
    var status: Int? {
        switch self {
        case .delayed(_, let inner), .afterGate(_, let inner): inner.status
        case .stream, .streamThenStall, .streamThenDrop: 200
        case .status(let code, _, _): code
        case .dropConnection: nil
        }
    }
}
