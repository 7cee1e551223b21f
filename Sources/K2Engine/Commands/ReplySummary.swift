// The prose a model wrote around its code: shown to the user as the edit's summary.

enum ReplySummary {
    /// The reply without fenced blocks and SEARCH/REPLACE blocks, trimmed to a few sentences; nil when empty.
    static func extract(_ reply: String, limit: Int = 400) -> String? {
        var kept: [Substring] = []
        var insideFence = false
        var insideBlock = false
        for line in reply.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                insideFence.toggle()
                continue
            }
            if trimmed.hasPrefix("<<<<<<<") {
                insideBlock = true
                // The file path line that names the block.
                if let previous = kept.last, !previous.contains(" "), !previous.isEmpty { kept.removeLast() }
            }
            if insideFence || insideBlock {
                if trimmed.hasPrefix(">>>>>>>") { insideBlock = false }
                continue
            }
            kept.append(line)
        }
        let text = kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if text.count <= limit { return text }
        return String(text.prefix(limit)) + "…"
    }
}
