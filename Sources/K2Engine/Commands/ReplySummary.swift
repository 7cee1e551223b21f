// The prose a model wrote around its code: shown to the user as the edit's summary.

enum ReplySummary {
    /// The reply without fenced blocks, SEARCH/REPLACE blocks and bare diffs, trimmed to a few sentences; nil when
    /// empty.
    static func extract(_ reply: String, limit: Int = 400) -> String? {
        var kept: [Substring] = []
        var insideFence = false
        var insideBlock = false
        var insideDiff = false
        for line in reply.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // A bare unified diff: its headers, hunks and hunk lines are not prose.
            if line.hasPrefix("--- ") || line.hasPrefix("+++ ") || line.hasPrefix("@@") || line.hasPrefix("diff --git ") {
                insideDiff = true
                continue
            }
            if insideDiff, let first = line.first, " +-\\".contains(first) { continue }
            insideDiff = false
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
