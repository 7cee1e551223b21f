// Applies a diff hunk the way aider's udiff coder does — whole, else change by change with less context — but
// only where the lines match exactly one place.

enum DiffHunkApplier {
    /// The text with the hunk applied. The whole hunk is located like a SEARCH text first; when its context does
    /// not match (models misquote context more often than the lines they change), each run of changed lines is
    /// applied on its own with as much of its surrounding context as matches. At every step the match must be
    /// unique; where several ways of trimming context match different places, nothing is guessed.
    static func apply(_ hunk: DiffHunk, to text: String) -> Result<String, MatchFailure> {
        let before = hunk.before
        switch EditMatcher.locate(search: before, in: text) {
        case .success(let match):
            return .success(text.replacing(match.range, with: match.adjustedReplacement(hunk.after)))
        case .failure(let failure):
            guard case .notFound = failure else { return .failure(failure) }
            var current = text
            for group in changeGroups(of: hunk.lines) {
                guard let applied = applyGroup(group, to: current) else { return .failure(failure) }
                current = applied
            }
            return .success(current)
        }
    }

    /// A run of changed lines with the context lines before and after it (context between two runs belongs to both).
    struct ChangeGroup {
        var preceding: [DiffHunk.Line]
        var changes: [DiffHunk.Line]
        var following: [DiffHunk.Line]
    }

    static func changeGroups(of lines: [DiffHunk.Line]) -> [ChangeGroup] {
        var sections: [[DiffHunk.Line]] = [[]]
        var inChanges = false
        for line in lines {
            let isChange: Bool
            if case .context = line { isChange = false } else { isChange = true }
            if isChange != inChanges {
                sections.append([])
                inChanges = isChange
            }
            sections[sections.count - 1].append(line)
        }
        if inChanges { sections.append([]) }
        // sections: context, changes, context, changes, …, context
        return stride(from: 1, to: sections.count - 1, by: 2).map { index in
            ChangeGroup(preceding: sections[index - 1], changes: sections[index], following: sections[index + 1])
        }
    }

    /// The group applied with the most context that matches uniquely; nil when no amount does, or when two ways
    /// of trimming the same amount of context match different places.
    private static func applyGroup(_ group: ChangeGroup, to text: String) -> String? {
        let total = group.preceding.count + group.following.count
        for used in stride(from: total, through: 0, by: -1) {
            var results: Set<String> = []
            for usedBefore in stride(from: min(used, group.preceding.count), through: 0, by: -1) {
                let usedAfter = used - usedBefore
                guard usedAfter <= group.following.count else { continue }
                let lines = group.preceding.suffix(usedBefore) + group.changes + group.following.prefix(usedAfter)
                let piece = DiffHunk(path: nil, lines: Array(lines), number: 0)
                let search = piece.before
                guard search.contains(where: { !$0.isWhitespace }) else { continue }
                if case .success(let match) = EditMatcher.locate(search: search, in: text, quotingClosest: false) {
                    results.insert(text.replacing(match.range, with: match.adjustedReplacement(piece.after)))
                }
            }
            if results.count == 1, let result = results.first { return result }
            if results.count > 1 { return nil }
        }
        return nil
    }
}
