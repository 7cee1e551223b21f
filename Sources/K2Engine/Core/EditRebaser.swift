// Moves an edit computed against an older text onto the current text, when the user's changes did not touch it.
import K2Workspace

public enum EditRebaser {
    /// The replacements re-expressed against `current`, or nil when the user changed a line the edit touches (or a
    /// neighbouring line, since a change next to an edit can change its meaning).
    public static func rebase(_ replacements: [TextReplacement], from base: String, to current: String)
        -> [TextReplacement]?
    {
        if base == current { return replacements }
        let userChanges = MinimalTextEdits.compute(original: base, updated: current)
        let baseLines = LineIndex(base)
        func lineSpan(_ range: TextRange) -> ClosedRange<Int> {
            let first = baseLines.line(containing: range.lowerBound)
            let last = baseLines.line(containing: range.upperBound)
            return first...max(first, last)
        }
        for ours in replacements {
            let ourLines = lineSpan(ours.range)
            let guarded = (ourLines.lowerBound - 1)...(ourLines.upperBound + 1)
            for theirs in userChanges where guarded.overlaps(lineSpan(theirs.range)) {
                return nil
            }
        }
        return replacements.map { ours in
            var shift = 0
            for theirs in userChanges where theirs.range.upperBound <= ours.range.lowerBound {
                shift += theirs.newText.utf8.count - theirs.range.length
            }
            return TextReplacement(
                range: TextRange(ours.range.lowerBound + shift, ours.range.upperBound + shift), newText: ours.newText)
        }
    }
}
