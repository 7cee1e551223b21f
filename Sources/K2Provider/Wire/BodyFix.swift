// A change to request bodies for one model, learned from a 400 that named a field; applied to every later body.
import AnyJSON

public enum BodyFix: Sendable, Hashable, CustomStringConvertible {
    /// Leave this top-level field out (the server's default applies).
    case drop(String)
    /// Send the output limit under another name (`max_tokens` ↔ `max_completion_tokens`).
    case renameOutputLimit(to: String)
    /// The server named a maximum for the output limit.
    case capOutputLimit(Int)
    /// Leave out partial-mode prefill messages (the model does not continue them).
    case noPartialMode
    /// Send `reasoning_content` with every assistant message, not only the profile's.
    case replayReasoningEverywhere

    public var description: String {
        switch self {
        case .drop(let field): "dropped '\(field)'"
        case .renameOutputLimit(let field): "sends the output limit as '\(field)'"
        case .capOutputLimit(let limit): "caps the output limit at \(limit)"
        case .noPartialMode: "stopped using partial mode"
        case .replayReasoningEverywhere: "sends reasoning_content with every assistant message"
        }
    }
}

/// Reads a 400's message for the request fields it names and says how to change the body so the retry is accepted.
public enum BodyHealer {
    /// Fields the hosted APIs are known to refuse by name; any other top-level field of the sent body counts too.
    static let knownFields = [
        "temperature", "top_p", "n", "presence_penalty", "frequency_penalty", "max_tokens", "max_completion_tokens",
        "thinking", "reasoning_effort", "reasoning", "tool_choice", "partial", "stop", "stream_options",
    ]
    static let outputLimitFields = ["max_tokens", "max_completion_tokens"]
    /// Fields no fix may touch: without them there is no request.
    static let essentialFields: Set<String> = ["model", "messages", "stream", "tools"]

    /// The fixes for `message` (the server's words) given the body that was sent; empty when it names nothing
    /// k2lsp can change.
    public static func fixes(forMessage message: String, sentBody: JSONValue) -> [BodyFix] {
        let lowered = message.lowercased()
        guard let body = sentBody.objectValue else { return [] }
        if names("reasoning_content", in: lowered) { return [.replayReasoningEverywhere] }
        var fixes: [BodyFix] = []
        let sentPartial = body["messages"]?.arrayValue?.contains { $0["partial"]?.boolValue == true } == true
        if sentPartial, names("partial", in: lowered) { fixes.append(.noPartialMode) }
        let candidates = Set(knownFields + body.keys).subtracting(essentialFields).subtracting(["partial"])
        for field in candidates.sorted() where body[field] != nil && names(field, in: lowered) {
            if outputLimitFields.contains(field) {
                if let maximum = namedMaximum(in: lowered) {
                    fixes.append(.capOutputLimit(maximum))
                } else if let other = outputLimitFields.first(where: { $0 != field }) {
                    fixes.append(.renameOutputLimit(to: other))
                }
            } else {
                fixes.append(.drop(field))
            }
        }
        return fixes
    }

    /// `field` as a whole word: `max_tokens` is not found inside `max_completion_tokens`.
    static func names(_ field: String, in text: String) -> Bool {
        var searchStart = text.startIndex
        while let range = text.range(of: field, range: searchStart..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            if !isWordCharacter(before), !isWordCharacter(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }

    private static func isWordCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber || character == "_"
    }

    /// "must be at most 16384", "maximum value is 8192", "<= 32768": the limit the server will take.
    static func namedMaximum(in text: String) -> Int? {
        let pattern = /(?:at most|maximum(?: value)?(?: is| of)?|max(?:imum)? allowed(?: is)?|less than or equal to|<=|up to|exceed(?:s|ed)?(?: the)?(?: maximum| limit)?(?: of)?)\s*:?\s*(\d{2,9})/
        guard let match = text.firstMatch(of: pattern), let value = Int(match.output.1), value >= 16 else { return nil }
        return value
    }
}
