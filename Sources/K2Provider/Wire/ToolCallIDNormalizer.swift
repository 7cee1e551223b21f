// Rewrites history tool-call ids to K2's native `functions.<name>:<n>`, keeping calls and results paired.

/// Self-hosted K2 derails on foreign ids (`call_abc…`) in history. Ids are renumbered by position with one
/// counter across the conversation, so the same history always gives the same bytes (good for prefix caching),
/// and each `tool` message follows the call it answers even when ids repeat across turns (Moonshot's short
/// `read_file:0` ids do).
public enum ToolCallIDNormalizer {
    public static func nativeID(name: String, counter: Int) -> String { "functions.\(name):\(counter)" }

    /// The function name inside a native (`functions.NAME:IDX`) or short (`NAME:IDX`) id.
    public static func functionName(fromNativeID id: String) -> String? {
        var rest = Substring(id)
        if rest.hasPrefix("functions.") { rest = rest.dropFirst("functions.".count) }
        guard let colon = rest.lastIndex(of: ":"), Int(rest[rest.index(after: colon)...]) != nil else { return nil }
        let name = rest[..<colon]
        return name.isEmpty ? nil : String(name)
    }

    public static func normalize(_ messages: [ChatMessage]) -> [ChatMessage] {
        var counter = 0
        /// Ids of the latest assistant message's calls → their new ids, in order: a tool message answers those,
        /// and when an engine repeated one id within a turn, results pair with calls by order.
        var currentMapping: [String: [String]] = [:]
        /// Every id seen so far, for a tool message that answers an older turn.
        var allMappings: [String: String] = [:]
        return messages.map { message in
            var rewritten = message
            switch message.role {
            case .assistant where !message.toolCalls.isEmpty:
                currentMapping = [:]
                rewritten.toolCalls = message.toolCalls.map { call in
                    var renamed = call
                    renamed.id = nativeID(name: call.name, counter: counter)
                    counter += 1
                    currentMapping[call.id, default: []].append(renamed.id)
                    allMappings[call.id] = renamed.id
                    return renamed
                }
            case .tool:
                guard let id = message.toolCallID else { break }
                if let pending = currentMapping[id], let first = pending.first {
                    rewritten.toolCallID = first
                    if pending.count > 1 { currentMapping[id] = Array(pending.dropFirst()) }
                } else if let mapped = allMappings[id] {
                    rewritten.toolCallID = mapped
                }
            default:
                break
            }
            return rewritten
        }
    }
}
