// How locating a search text in a file can fail, with what the model needs to try again.

public enum MatchFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The search text has nothing but whitespace, so it cannot say where to edit.
    case emptySearch
    /// Several places match equally well; `lines` are their 1-based first lines.
    case ambiguous(count: Int, lines: [Int])
    /// Nothing matches; `closest` is the most similar run of lines, if the file has any.
    case notFound(closest: ClosestLines?)
    /// Nothing matches and the search text stands for lines it left out (`...`, `// ... existing code ...`).
    case elidedSearch

    public var description: String { explanation(naming: "search text") }

    /// The failure in words, calling the search text by the name the model knows it by ("SEARCH text", "old_text").
    public func explanation(naming searchText: String) -> String {
        switch self {
        case .emptySearch:
            return "the \(searchText) is empty"
        case .ambiguous(let count, let lines):
            let shown = lines.prefix(10).map(String.init).joined(separator: ", ")
            return "the \(searchText) matches \(count) places (lines \(shown)); include more surrounding lines so "
                + "that it matches exactly one"
        case .notFound(let closest):
            guard let closest else { return "the \(searchText) was not found; the file is empty" }
            return "the \(searchText) was not found. The most similar lines are \(closest.description)"
        case .elidedSearch:
            return "the \(searchText) leaves lines out with `...` (or a comment standing for unchanged code), so it "
                + "matches nothing; copy every line it spans from the file, or use one block per place to change"
        }
    }
}

/// The run of lines in a text that is most similar to a search text that did not match.
public struct ClosestLines: Sendable, Hashable, CustomStringConvertible {
    /// 1-based number of the first line.
    public var firstLine: Int
    public var lines: [String]
    /// 0 (nothing alike) to 1 (alike but for whitespace).
    public var similarity: Double

    public init(firstLine: Int, lines: [String], similarity: Double) {
        self.firstLine = firstLine
        self.lines = lines
        self.similarity = similarity
    }

    /// The lines with their numbers, as a reader or a model should see them.
    public var numberedText: String {
        let width = String(firstLine + lines.count - 1).count
        return lines.enumerated().map { offset, line in
            let number = String(firstLine + offset)
            return String(repeating: " ", count: width - number.count) + number + " | " + line
        }.joined(separator: "\n")
    }

    public var description: String {
        let lastLine = firstLine + max(lines.count, 1) - 1
        let span = lastLine == firstLine ? "line \(firstLine)" : "lines \(firstLine)-\(lastLine)"
        return "\(span) (\(Int((similarity * 100).rounded()))% similar):\n\(numberedText)"
    }
}
