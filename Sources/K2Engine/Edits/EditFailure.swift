// Why a set of edits was not applied: every failing edit, a message for the user and a repair prompt for the model.

/// One edit that could not be applied.
public struct EditProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The edit named no file and there was no default file.
        case missingPath
        /// The edit searches a file that is not among the files given (and is not being created).
        case fileNotFound
        case match(MatchFailure)
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

    public var description: String {
        let name = operation.name(number: number)
        let field = operation.searchFieldName
        switch reason {
        case .missingPath:
            return "\(name) does not say which file it edits; put the file's path on the line before it."
        case .fileNotFound:
            return "\(name) edits \(path ?? "?"), which is not among the files that can be edited; use one of "
                + "those paths, or an empty \(field) to create a new file."
        case .match(let failure):
            return "\(name) in \(path ?? "?"): " + failure.explanation(naming: field)
        }
    }
}

public struct EditFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [EditProblem]

    public init(problems: [EditProblem]) {
        self.problems = problems
    }

    /// For the user: nothing changed, and why.
    public var message: String {
        let count = problems.count
        let heading = count == 1 ? "An edit could not be applied" : "\(count) edits could not be applied"
        return heading + ", so nothing was changed.\n" + problems.map { "- " + $0.description }.joined(separator: "\n")
    }

    /// For the model, to ask it once more: each failure with the closest lines, and what to send back.
    public var repairPrompt: String {
        "Your edits could not be applied, so none of them were made:\n\n"
            + problems.map(\.description).joined(separator: "\n\n")
            + "\n\nSend all of your edits again, with the failing ones corrected. Each search text must copy the "
            + "file's current lines exactly, including indentation, and must match only one place."
    }

    public var description: String { message }
}
