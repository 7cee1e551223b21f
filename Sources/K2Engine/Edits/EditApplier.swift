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
    /// Applies `operations` in order to `files` (path to text); each sees what earlier ones produced. Results come in
    /// the order files were first edited. A failing edit does not stop the others from being tried, so the failure
    /// lists every problem; but any failure means no result at all.
    public static func apply(
        _ operations: [EditOperation], to files: [String: String], defaultPath: String? = nil
    ) -> Result<[FileEditResult], EditFailure> {
        var edited: [String: String] = [:]
        var order: [String] = []
        var created = Set<String>()
        var problems: [EditProblem] = []

        for (offset, operation) in operations.enumerated() {
            let number = offset + 1
            guard let path = operation.path ?? defaultPath else {
                problems.append(EditProblem(number: number, operation: operation, path: nil, reason: .missingPath))
                continue
            }
            let currentText = edited[path] ?? files[path]
            let newText: String
            if operation.createsOrAppends {
                if let currentText {
                    newText = appending(operation.replace, to: currentText)
                } else {
                    created.insert(path)
                    newText = operation.replace
                }
            } else {
                guard let currentText else {
                    problems.append(
                        EditProblem(number: number, operation: operation, path: path, reason: .fileNotFound))
                    continue
                }
                switch EditMatcher.locate(search: operation.search, in: currentText) {
                case .success(let match):
                    newText = currentText.replacing(match.range, with: match.adjustedReplacement(operation.replace))
                case .failure(let failure):
                    problems.append(
                        EditProblem(number: number, operation: operation, path: path, reason: .match(failure)))
                    continue
                }
            }
            if edited[path] == nil { order.append(path) }
            edited[path] = newText
        }

        if !problems.isEmpty { return .failure(EditFailure(problems: problems)) }
        return .success(
            order.map { path in
                FileEditResult(
                    path: path, originalText: files[path] ?? "", newText: edited[path] ?? "",
                    isNewFile: created.contains(path))
            })
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
