// Applies edits to in-memory file texts in order, all or nothing.
import K2Workspace

/// A file's text before and after the edits.
public struct FileEditResult: Sendable, Hashable {
    public var path: String
    /// "" for a new file.
    public var originalText: String
    public var newText: String
    public var isNewFile: Bool

    public init(path: String, originalText: String, newText: String, isNewFile: Bool) {
        self.path = path
        self.originalText = originalText
        self.newText = newText
        self.isNewFile = isNewFile
    }

    public var isChanged: Bool { isNewFile || originalText != newText }
}

public enum EditApplier {
    /// What an empty search text does to a file that exists and has text.
    public enum EmptySearchOnExistingFile: Sendable {
        /// Adds the replacement at the end (the agent's `edit_file` documents this).
        case appends
        /// Refuses: a model that sends an empty SEARCH for a file with text usually believes it is new, and
        /// appending would write the file a second time into itself.
        case isRefused
    }

    /// Applies `operations` in order to `files` (path to text); each sees what earlier ones produced. Results come in
    /// the order files were first edited. A failing edit does not stop the others from being tried, so the failure
    /// lists every problem (and which edits did apply); but any failure means no result at all.
    /// - Parameter selection: where the model was pointed (a path and a range of its text): a search text that
    ///   matches several places, exactly one of them inside the selection, means that one. The range follows the
    ///   edits before it; an edit it cannot follow (a diff hunk, a whole file) ends the preference.
    public static func apply(
        _ operations: [EditOperation], to files: [String: String], defaultPath: String? = nil,
        emptySearch: EmptySearchOnExistingFile = .appends, selection: (path: String, range: TextRange)? = nil
    ) -> Result<[FileEditResult], EditFailure> {
        var selection = selection
        var edited: [String: String] = [:]
        var order: [String] = []
        var created = Set<String>()
        var problems: [EditProblem] = []
        var applied: [Int] = []

        for (offset, operation) in operations.enumerated() {
            let number = offset + 1
            guard let path = operation.path ?? defaultPath else {
                problems.append(EditProblem(number: number, operation: operation, path: nil, reason: .missingPath))
                continue
            }
            let currentText = edited[path] ?? files[path]
            let preferred = selection?.path == path ? selection?.range : nil
            switch newText(of: operation, current: currentText, path: path, emptySearch: emptySearch, preferring: preferred) {
            case .failure(let reason):
                problems.append(EditProblem(number: number, operation: operation, path: path, reason: reason))
            case .success(let (text, changed)):
                if let range = preferred {
                    selection = changed.map { (path, range.following($0, newLength: text.utf8.count - (currentText?.utf8.count ?? 0) + $0.length)) }
                }
                if currentText == nil { created.insert(path) }
                if edited[path] == nil { order.append(path) }
                edited[path] = text
                applied.append(number)
            }
        }

        if !problems.isEmpty { return .failure(EditFailure(problems: problems, applied: applied)) }
        return .success(
            order.map { path in
                FileEditResult(
                    path: path, originalText: files[path] ?? "", newText: edited[path] ?? "",
                    isNewFile: created.contains(path))
            })
    }

    /// The file's new text, and the range of the old text that was replaced when it is one known range.
    private static func newText(
        of operation: EditOperation, current: String?, path: String, emptySearch: EmptySearchOnExistingFile,
        preferring: TextRange?
    ) -> Result<(String, TextRange?), EditProblem.Reason> {
        let isBlank = current.map { $0.allSatisfy(\.isWhitespace) } ?? true
        switch operation {
        case .wholeFile(let block):
            guard let current, !isBlank else { return .success((block.content, nil)) }
            guard WholeFileReplacement.isEvidentlyWholeFile(old: current, new: block.content) else {
                return .failure(.notWholeFile)
            }
            return .success((WholeFileReplacement.adapted(block.content, like: current), nil))
        case .diffHunk(let hunk) where hunk.createsFile || operation.createsOrAppends:
            guard isBlank else { return .failure(hunk.createsFile ? .fileExists : .unanchoredInsertion) }
            return .success((hunk.after, nil))
        case .diffHunk(let hunk):
            guard let current else { return .failure(.fileNotFound) }
            return DiffHunkApplier.apply(hunk, to: current).map { ($0, nil) }.mapError { failure in
                explained(failure, search: hunk.before, replace: hunk.after, in: current, path: path)
            }
        case .searchReplace, .editFile:
            if operation.createsOrAppends {
                guard let current else { return .success((operation.replace, nil)) }
                if isBlank { return .success((operation.replace, nil)) }
                guard emptySearch == .appends else { return .failure(.fileExists) }
                let end = current.utf8.count
                return .success((appending(operation.replace, to: current), TextRange(end, end)))
            }
            guard let current else { return .failure(.fileNotFound) }
            return replacing(operation.search, with: operation.replace, in: current, path: path, preferring: preferring)
        }
    }

    /// The search text replaced, located exactly or with a whitespace tolerance; blank lines the model added at the
    /// edges of its search text are not required to be in the file.
    private static func replacing(
        _ search: String, with replace: String, in text: String, path: String, preferring: TextRange?
    ) -> Result<(String, TextRange?), EditProblem.Reason> {
        let firstFailure: MatchFailure
        switch EditMatcher.locate(search: search, in: text, preferring: preferring) {
        case .success(let match):
            return .success((text.replacing(match.range, with: match.adjustedReplacement(replace)), match.range))
        case .failure(let failure):
            firstFailure = failure
        }
        if case .notFound = firstFailure, let trimmed = BlankEdges(search: search, replace: replace) {
            if case .success(let match) = EditMatcher.locate(search: trimmed.search, in: text, preferring: preferring) {
                return .success(
                    (text.replacing(match.range, with: match.adjustedReplacement(trimmed.replace)), match.range))
            }
        }
        return .failure(explained(firstFailure, search: search, replace: replace, in: text, path: path))
    }

    /// A failure with what it most likely means: lines left out with `...`, or a change already made.
    private static func explained(_ failure: MatchFailure, search: String, replace: String, in text: String, path: String)
        -> EditProblem.Reason
    {
        guard case .notFound(let closest) = failure else { return .match(failure) }
        if Elision.containsElision(search, path: path, inSearchText: true) { return .match(.elidedSearch) }
        let replaceLines = ReplyText.lines(of: replace).filter { !ReplyText.isBlank($0) }
        if replaceLines.count >= 2, case .success = EditMatcher.locate(search: replace, in: text) {
            return .alreadyApplied(closest: closest)
        }
        return .match(failure)
    }

    /// The files the operations read or write, in first-use order, so that a caller can load them beforehand.
    public static func referencedPaths(of operations: [EditOperation], defaultPath: String? = nil) -> [String] {
        var seen = Set<String>()
        return operations.compactMap { $0.path ?? defaultPath }.filter { seen.insert($0).inserted }
    }

    /// Appends whole lines, starting a new line first when the text does not end with one.
    private static func appending(_ addition: String, to text: String) -> String {
        let ending = LineEnding.dominant(in: text)
        let addition = ending == .lf ? addition : LineBreaks.converting(addition, to: ending)
        let last = text.utf8.last
        let needsBreak = !text.isEmpty && last != 0x0A && last != 0x0D
        return text + (needsBreak ? ending.rawValue : "") + addition
    }
}

/// A search text without the blank lines at its start and end, and its replacement without as many of its own.
private struct BlankEdges {
    var search: String
    var replace: String

    init?(search: String, replace: String) {
        var searchLines = ReplyText.lines(of: search)
        var replaceLines = ReplyText.lines(of: replace)
        if searchLines.last == "" { searchLines.removeLast() }
        if replaceLines.last == "" { replaceLines.removeLast() }
        let leading = searchLines.prefix(while: ReplyText.isBlank).count
        guard leading < searchLines.count else { return nil }
        let trailing = searchLines.reversed().prefix(while: ReplyText.isBlank).count
        guard leading + trailing > 0 else { return nil }
        let replaceLeading = min(leading, replaceLines.prefix(while: ReplyText.isBlank).count)
        replaceLines.removeFirst(replaceLeading)
        let replaceTrailing = min(trailing, replaceLines.reversed().prefix(while: ReplyText.isBlank).count)
        replaceLines.removeLast(replaceTrailing)
        self.search = ReplyText.joinedAsLines(searchLines.dropFirst(leading).dropLast(trailing))
        self.replace = ReplyText.joinedAsLines(replaceLines)
    }
}

extension TextRange {
    /// This range in the text after `replaced` (a range of the old text) became `newLength` bytes: moved when the
    /// change lies before it, widened to cover a change that overlaps it.
    func following(_ replaced: TextRange, newLength: Int) -> TextRange {
        let delta = newLength - replaced.length
        if replaced.upperBound <= lowerBound { return TextRange(lowerBound + delta, upperBound + delta) }
        if replaced.lowerBound >= upperBound { return self }
        return TextRange(Swift.min(lowerBound, replaced.lowerBound), Swift.max(upperBound, replaced.upperBound) + delta)
    }
}
