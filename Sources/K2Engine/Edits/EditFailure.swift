// Why a set of edits was not applied: every failing edit, which ones did apply, and what to tell user and model.

/// One edit that could not be applied.
public struct EditProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Error, Sendable, Hashable {
        /// The edit named no file and there was no default file.
        case missingPath
        /// The edit searches a file that is not among the files given (and is not being created).
        case fileNotFound
        case match(MatchFailure)
        /// An empty search text (or a diff from /dev/null) for a file that already has text.
        case fileExists
        /// A diff hunk that only adds lines, with no context to say where.
        case unanchoredInsertion
        /// A code block for an existing file that is not evidently the whole file.
        case notWholeFile
        /// The search text is not in the file but the replacement is: the change seems made already.
        case alreadyApplied(closest: ClosestLines?)
    }

    /// 1-based position of the edit in the list.
    public var number: Int
    public var operation: EditOperation
    public var path: String?
    public var reason: Reason

    public init(number: Int, operation: EditOperation, path: String?, reason: Reason) {
        self.number = number
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var name: String { operation.name(number: number) }

    public var description: String {
        let name = self.name
        let field = operation.searchFieldName
        let file = path ?? "?"
        switch reason {
        case .missingPath:
            return "\(name) does not say which file it edits; put the file's path on the line before it."
        case .fileNotFound:
            return "\(name) edits \(file), which is not among the files that can be edited; use one of "
                + "those paths, or an empty \(field) to create a new file."
        case .match(let failure):
            return "\(name) in \(file): " + failure.explanation(naming: field)
        case .fileExists:
            return "\(name) would create \(file), but that file exists and has text; to change it, put the lines "
                + "to replace in the \(field), or pick a new file name."
        case .unanchoredInsertion:
            return "\(name) in \(file) only adds lines and has no context lines to say where; include a few "
                + "unchanged lines around the addition."
        case .notWholeFile:
            return "\(name) for \(file) is not the complete file (it does not keep the file's first and last lines), "
                + "so k2lsp cannot tell where it goes; send SEARCH/REPLACE blocks for the lines to change instead."
        case .alreadyApplied(let closest):
            let lines = closest.map { " The most similar lines are \($0.description)" } ?? ""
            return "\(name) in \(file): the \(field) was not found, but its replacement is already in the file, "
                + "so this change seems made already; leave it out if so." + lines
        }
    }
}

public struct EditFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [EditProblem]
    /// 1-based positions of the edits that did apply, although nothing was changed.
    public var applied: [Int]

    public init(problems: [EditProblem], applied: [Int] = []) {
        self.problems = problems
        self.applied = applied
    }

    /// For the user: nothing changed, and why.
    public var message: String {
        let count = problems.count
        let heading = count == 1 ? "An edit could not be applied" : "\(count) edits could not be applied"
        return heading + ", so nothing was changed.\n" + problems.map { "- " + $0.description }.joined(separator: "\n")
    }

    /// For the model, to ask it once more: each failure with the closest lines, which edits did apply (and are
    /// kept, so the model sends only the failing ones again), and what a good search text is.
    /// - Parameters:
    ///   - appliedNames: names of the edits of this reply that applied.
    ///   - keepsEarlierEdits: whether edits from earlier replies are kept too.
    public func repairPrompt(appliedNames: [String], keepsEarlierEdits: Bool = false) -> String {
        var prompt = "Some of your edits could not be applied, so nothing has been changed yet:\n\n"
            + problems.map(\.description).joined(separator: "\n\n")
        if !appliedNames.isEmpty || keepsEarlierEdits {
            let names = appliedNames.isEmpty ? "" : " (" + appliedNames.joined(separator: ", ") + ")"
            prompt += "\n\nThe other edits\(names) do apply and are kept; do not send them again. Reply with "
                + "corrected versions of only the edits above."
        } else {
            prompt += "\n\nSend your edits again with these corrected."
        }
        return prompt + " Each search text must copy the file's current lines exactly, including indentation and "
            + "blank lines, must match only one place, and must not leave lines out with `...`."
    }

    public var description: String { message }
}
