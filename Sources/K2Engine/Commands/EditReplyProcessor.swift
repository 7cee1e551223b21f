// Turns each model reply of an edit command into file edits, or into a problem with a repair message; edits
// that applied in an earlier round are kept so that the model need only fix the ones that failed.
import Foundation
import K2Workspace

/// Why a reply did not become an edit: what to tell the user, and what to tell the model in a repair round.
struct ReplyProblem: Error, Sendable {
    /// What K2 sent and why it could not be used (no "nothing was changed"; the caller adds that).
    var userMessage: String
    var repairPrompt: String
}

/// The state of one edit command across its repair rounds.
struct EditReplyProcessor: Sendable {
    let request: EditRequest
    let format: EditReplyFormat
    private var files: EditableFiles
    /// Edits that applied in earlier rounds (by workspace-relative path), applied first to every later reply.
    private var kept: [EditOperation] = []
    private let secretRefusal: @Sendable (String, String) -> String?

    init(
        request: EditRequest, format: EditReplyFormat, workspace: String, openDocuments: [DocumentSnapshot],
        secretRefusal: @escaping @Sendable (String, String) -> String?
    ) {
        self.request = request
        self.format = format
        self.files = EditableFiles(workspace: workspace, request: request, openDocuments: openDocuments)
        self.secretRefusal = secretRefusal
    }

    /// The edits one reply makes (together with the edits kept from earlier rounds), or why there are none.
    mutating func edits(content: String, toolCalls: [ReplyToolCall]) -> Result<[FileEdit], ReplyProblem> {
        switch ReplyInterpreter.interpret(content: content, toolCalls: toolCalls, format: format) {
        case .failure(let error):
            return .failure(
                ReplyProblem(
                    userMessage: "K2's reply could not be read: \(error)",
                    repairPrompt: "Your reply could not be used: \(error)\n\n\(formatReminder)"))
        case .success(.selectionReplacement(let code, let namedPath, let shape)):
            if let namedPath {
                // A block that names another file is that file's new text, not the selection's.
                switch files.file(named: namedPath, secretRefusal: secretRefusal) {
                case .failure(let refusal): return .failure(pathProblem([refusal.description], shape: shape))
                case .success(let file) where file.text == nil && Self.baseName(file.relativePath) == Self.baseName(files.requestFile.relativePath):
                    // Most likely the selection's own file under a wrong path; creating a copy would be a guess.
                    return .failure(
                        pathProblem(
                            ["\(namedPath) does not exist; the selection is in \(files.requestFile.relativePath)"],
                            shape: shape))
                case .success(let file) where file.relativePath != files.requestFile.relativePath:
                    let block = WholeFileBlock(path: namedPath, content: code, number: 1)
                    return operationEdits([.wholeFile(block)], shape: .wholeFiles)
                case .success: break
                }
            }
            kept = []
            if shape == .bareCode, let problem = bareCodeProblem(code) { return .failure(problem) }
            return selectionEdit(code: code, shape: shape)
        case .success(.operations(let operations, let shape)):
            return operationEdits(operations, shape: shape)
        }
    }

    /// Unfenced code (one line: the interpreter takes no more) is the selection's new text only for a selection
    /// within one line, and never when it is a file name: one unfenced line for several lines, like
    /// `[instruction: capitalize](` for a whole file from a real model, is as likely a remark as code.
    private mutating func bareCodeProblem(_ code: String) -> ReplyProblem? {
        let line = ReplyText.trimmed(ReplyText.lines(of: code).first(where: { !ReplyText.isBlank($0) }) ?? "")
        if let name = ReplyPathName.fromLine(line),
            case .success(let file) = files.file(named: name, secretRefusal: secretRefusal), file.text != nil
        {
            return ReplyProblem(
                userMessage: "K2's reply names \(name) without a code fence, so it holds no code that can be used.",
                repairPrompt: "Your reply has no code fence. \(formatReminder)")
        }
        var selected = Array(request.document.text.slice(request.selection).utf8)
        if selected.last == 0x0A { selected.removeLast() }
        if selected.last == 0x0D { selected.removeLast() }
        guard selected.contains(0x0A) || selected.contains(0x0D) else { return nil }
        return ReplyProblem(
            userMessage: "K2 answered with one line without a code fence for a selection of several lines "
                + "(`\(line.prefix(60))`), which may be a remark rather than their new text.",
            repairPrompt: "Your reply has no code fence. \(formatReminder)")
    }

    private func pathProblem(_ refusals: [String], shape: ReplyShape) -> ReplyProblem {
        let list = refusals.joined(separator: "\n- ")
        return ReplyProblem(
            userMessage: "K2's \(shape.rawValue) name files it may not edit:\n- \(list)",
            repairPrompt: "These edits cannot be made:\n- \(list)\nEdit only files inside the workspace, named by "
                + "their path relative to the workspace root (the file you were shown is "
                + "\(files.requestFile.relativePath)).\n\n\(formatReminder)")
    }

    private var formatReminder: String {
        switch format {
        case .selection:
            return "Reply again with exactly one fenced code block that holds the new text for the selection (or "
                + "with SEARCH/REPLACE blocks), and nothing else in a code block."
        case .searchReplace:
            return "Send your edits again as SEARCH/REPLACE blocks in the format described above."
        }
    }

    // MARK: A code block for the selection

    private func selectionEdit(code: String, shape: ReplyShape) -> Result<[FileEdit], ReplyProblem> {
        let text = request.document.text
        let selection = request.selection
        let before = String(decoding: Array(text.utf8)[..<selection.lowerBound], as: UTF8.self)
        let after = String(decoding: Array(text.utf8)[selection.upperBound...], as: UTF8.self)
        let newText: String
        let selected = text.slice(selection)
        switch SelectionEcho.replacement(code: code, before: before, after: after, selected: selected) {
        case .echo(let middleText, let isToEnd):
            // The model sent the whole file back with the selection changed.
            let middle = isToEnd
                ? FencedCodeReply.replacement(forSelection: selection, in: text, code: middleText)
                : LineBreaks.converting(middleText, toLike: text)
            return finished(
                [files.requestFile.relativePath: before + middle + after], order: [files.requestFile.relativePath],
                shape: shape)
        case .unclear(let line):
            return .failure(repeatedLineProblem(line))
        case .none:
            break
        }
        if let excerpt = SelectionEcho.unchangedExcerpt(code: code, selected: selected) {
            let fileName = files.requestFile.relativePath
            return .failure(
                ReplyProblem(
                    userMessage: "K2's code block is \(excerpt.count) of the \(excerpt.of) selected lines of \(fileName), "
                        + "unchanged, so applying it would delete the others.",
                    repairPrompt: "Your code block repeats \(excerpt.count) of the \(excerpt.of) selected lines unchanged, "
                        + "which would delete the rest. Send the complete new text of all the selected lines.\n\n"
                        + formatReminder))
        }
        if let repeated = SelectionEcho.repeatedOutsideLine(
            code: code, before: before, after: after, selected: selected)
        {
            guard WholeFileReplacement.isEvidentlyWholeFile(old: text, new: code) else {
                return .failure(repeatedLineProblem(repeated))
            }
            newText = WholeFileReplacement.adapted(code, like: text)
        } else {
            newText = text.replacing(selection, with: FencedCodeReply.replacement(forSelection: selection, in: text, code: code))
        }
        return finished([files.requestFile.relativePath: newText], order: [files.requestFile.relativePath], shape: shape)
    }

    private func repeatedLineProblem(_ line: String) -> ReplyProblem {
        let fileName = files.requestFile.relativePath
        return ReplyProblem(
            userMessage: "K2's code block repeats `\(line)`, a line next to the selection in \(fileName), so pasting "
                + "it would duplicate that line.",
            repairPrompt: "Your code block starts or ends with `\(line)`, which is outside the selection and would be "
                + "duplicated. Send only the new text of the selected lines.\n\n" + formatReminder)
    }

    // MARK: Edits by file

    private mutating func operationEdits(_ operations: [EditOperation], shape: ReplyShape)
        -> Result<[FileEdit], ReplyProblem>
    {
        var resolved: [EditOperation] = []
        var refusals: [String] = []
        for operation in operations {
            switch files.file(named: operation.path, secretRefusal: secretRefusal) {
            case .failure(let refusal): refusals.append(refusal.description)
            case .success(let file): resolved.append(operation.withPath(file.relativePath))
            }
        }
        if !refusals.isEmpty { return .failure(pathProblem(refusals, shape: shape)) }
        var wholeFiles = Set<String>()
        for case .wholeFile(let block) in resolved where !wholeFiles.insert(block.path ?? "").inserted {
            let file = block.path ?? files.requestFile.relativePath
            return .failure(
                ReplyProblem(
                    userMessage: "K2 sent two code blocks for \(file), so which one is its new text is unclear.",
                    repairPrompt: "Your reply has two code blocks for \(file). Send one edit per place: SEARCH/REPLACE "
                        + "blocks for the lines to change.\n\n\(formatReminder)"))
        }
        // A block the model sends again after it was kept is not applied twice.
        let keptKeys = Set(kept.map(Self.identity))
        let fresh = resolved.filter { !keptKeys.contains(Self.identity($0)) }

        var originals: [String: String] = [:]
        for operation in kept + fresh {
            guard let path = operation.path, let text = files.loaded[path]?.text else { continue }
            originals[path] = text
        }
        var current = originals
        var order: [String] = []
        func note(_ results: [FileEditResult]) {
            for result in results {
                current[result.path] = result.newText
                if !order.contains(result.path) { order.append(result.path) }
            }
        }
        if case .success(let results) = EditApplier.apply(kept, to: originals, emptySearch: .isRefused) {
            note(results)
        } else {
            kept = []  // Cannot happen: kept edits applied in this order before.
        }
        // Where the model was pointed settles a search text that matches several places (once kept edits changed
        // the file, the selection's range is no longer known and nothing is preferred).
        let requestPath = files.requestFile.relativePath
        let selection = format == .selection && !kept.contains(where: { $0.path == requestPath })
            ? (path: requestPath, range: request.selection) : nil
        switch EditApplier.apply(fresh, to: current, emptySearch: .isRefused, selection: selection) {
        case .failure(let failure):
            let keptBefore = kept.count
            kept += failure.applied.map { fresh[$0 - 1] }
            let appliedNames = failure.applied.map { fresh[$0 - 1].name(number: $0) }
            return .failure(problem(for: failure, appliedNames: appliedNames, shape: shape, keptBefore: keptBefore))
        case .success(let results):
            note(results)
            let final = order.reduce(into: [String: String]()) { $0[$1] = current[$1] }
            switch finished(final, order: order, shape: shape) {
            case .success(let edits): return .success(edits)
            case .failure(let problem):
                kept = []
                return .failure(problem)
            }
        }
    }

    private static func baseName(_ path: String) -> Substring {
        path.split(separator: "/").last ?? Substring(path)
    }

    /// Two edits are the same edit when they change the same file the same way.
    private static func identity(_ operation: EditOperation) -> String {
        "\(operation.path ?? "")\u{0}\(operation.search)\u{0}\(operation.replace)"
    }

    private func problem(for failure: EditFailure, appliedNames: [String], shape: ReplyShape, keptBefore: Int)
        -> ReplyProblem
    {
        var repair = failure.repairPrompt(appliedNames: appliedNames, keepsEarlierEdits: keptBefore > 0)
        if failure.problems.contains(where: { $0.reason == .fileNotFound }) {
            repair += " Paths are relative to the workspace root; the file you were shown is "
                + "\(files.requestFile.relativePath)."
        }
        return ReplyProblem(
            userMessage: "K2's \(shape.rawValue) could not be applied:\n- "
                + failure.problems.map(\.description).joined(separator: "\n- "),
            repairPrompt: repair)
    }

    /// The file edits for the new texts, after checking that no reply format (markers, diff lines, fences,
    /// elisions) would land in a file.
    private func finished(_ texts: [String: String], order: [String], shape: ReplyShape)
        -> Result<[FileEdit], ReplyProblem>
    {
        var leftovers: [String] = []
        var edits: [FileEdit] = []
        for path in order {
            guard let file = files.loaded[path], let newText = texts[path] else { continue }
            let original = file.text ?? ""
            let replacements = MinimalTextEdits.compute(original: original, updated: newText)
            for leftover in LeftoverMarkers.find(original: original, edited: newText, replacements: replacements, path: path) {
                leftovers.append("\(path) \(leftover)")
            }
            guard file.text == nil || original != newText else { continue }
            edits.append(
                FileEdit(
                    path: file.path, baseText: original, baseVersion: file.version, newText: newText,
                    isNewFile: file.text == nil, replacements: replacements, documentURI: file.documentURI))
        }
        guard leftovers.isEmpty else {
            let list = leftovers.joined(separator: "\n- ")
            return .failure(
                ReplyProblem(
                    userMessage: "K2's \(shape.rawValue) would put reply text into the file:\n- \(list)",
                    repairPrompt: "Your reply could not be applied, because the result would contain text that is "
                        + "not code:\n- \(list)\nMarkers, diff lines, code fences and `...` elisions are never part of "
                        + "a file. \(formatReminder)"))
        }
        return .success(edits)
    }
}

/// How a code block for a selection relates to the text around the selection.
enum SelectionEcho {
    enum Echo: Equatable {
        case none
        /// The selection's new text; `isToEnd`: the selection reaches the end of the file.
        case echo(String, isToEnd: Bool)
        /// The code repeats one short line next to the selection: an echo of it, or the code's own last line.
        case unclear(String)
    }

    /// Whether `code` is the whole file — the text before the selection, new text, the text after — compared with
    /// line breaks normalised and cut where the selection is cut (at line boundaries when the selection starts or
    /// ends at one). Text around on one side only that is a single short line (`}`, `end`) is too little to tell an
    /// echo from code that ends the same way: that is `.unclear`.
    static func replacement(code: String, before: String, after: String, selected: String) -> Echo {
        let prefix = normalized(before)
        let suffix = trimmingFinalBreaks(normalized(after))
        let prefixLines = ReplyText.lines(of: prefix).filter { !ReplyText.isBlank($0) }
        let suffixLines = ReplyText.lines(of: suffix).filter { !ReplyText.isBlank($0) }
        guard !prefixLines.isEmpty || !suffixLines.isEmpty else { return .none }
        let body = normalized(code)
        let trimmedBody = trimmingFinalBreaks(body)
        guard trimmedBody.utf8.count >= prefix.utf8.count + suffix.utf8.count, trimmedBody.hasPrefix(prefix),
            trimmedBody.hasSuffix(suffix)
        else { return .none }
        let bytes = Array(trimmedBody.utf8)
        let middleBytes = bytes[prefix.utf8.count..<(bytes.count - suffix.utf8.count)]
        let isBreak: (UInt8?) -> Bool = { $0 == 0x0A || $0 == 0x0D }
        // After a selection that ends a line, the text after it starts a line in the code too.
        let selectionEndsLine = isBreak(selected.utf8.last) || isBreak(after.utf8.first)
        if !suffix.isEmpty, selectionEndsLine, !(middleBytes.isEmpty || isBreak(middleBytes.last) || isBreak(suffix.utf8.first)) {
            return .none
        }
        if prefixLines.isEmpty != suffixLines.isEmpty, prefixLines.count + suffixLines.count < 2,
            let only = (prefixLines + suffixLines).first, ReplyText.trimmed(only).count < 4
        {
            return .unclear(ReplyText.trimmed(only))
        }
        if suffix.isEmpty {
            // Up to the end (blank lines after the selection stay as they are): the code's lines, each ended.
            let rest = String(decoding: Array(trimmedBody.utf8).dropFirst(prefix.utf8.count), as: UTF8.self)
            return .echo(rest.isEmpty ? "" : rest + "\n", isToEnd: true)
        }
        return .echo(String(decoding: middleBytes, as: UTF8.self), isToEnd: false)
    }

    /// When `code` is some of the selection's lines, unchanged and in a row, and fewer than all of them: how many it
    /// has, of how many. Such a block is an excerpt (a real reply for a whole file selected: the one function it was
    /// asked to fix, sent back as it was); as the selection's new text it would delete the other lines.
    static func unchangedExcerpt(code: String, selected: String) -> (count: Int, of: Int)? {
        let selectedLines = ReplyText.lines(of: trimmingFinalBreaks(normalized(selected)))
        let codeLines = ReplyText.lines(of: trimmingFinalBreaks(normalized(code)))
        guard selectedLines.count >= 2, codeLines.count < selectedLines.count,
            codeLines.contains(where: { !ReplyText.isBlank($0) })
        else { return nil }
        for start in 0...(selectedLines.count - codeLines.count)
        where Array(selectedLines[start..<(start + codeLines.count)]) == codeLines {
            return (codeLines.count, selectedLines.count)
        }
        return nil
    }

    /// A line of `code` at its start or end that repeats the non-blank line just before or just after the
    /// selection (4 characters or more, so that `}` does not count): pasting it would duplicate that line. A
    /// selection that starts or ends inside a line continues that line, which is then not "outside".
    static func repeatedOutsideLine(code: String, before: String, after: String, selected: String) -> String? {
        let codeLines = ReplyText.lines(of: code).map(ReplyText.trimmed).filter { !$0.isEmpty }
        let lineBefore = ReplyText.lines(of: before).map(ReplyText.trimmed).last { !$0.isEmpty }
        let lineAfter = ReplyText.lines(of: after).map(ReplyText.trimmed).first { !$0.isEmpty }
        let isBreak: (UInt8?) -> Bool = { $0 == 0x0A || $0 == 0x0D }
        let startsLine = before.isEmpty || isBreak(before.utf8.last)
        let endsLine = after.isEmpty || isBreak(after.utf8.first) || isBreak(selected.utf8.last)
        if startsLine, let first = codeLines.first, first.count >= 4, first == lineBefore { return first }
        if endsLine, let last = codeLines.last, last.count >= 4, last == lineAfter { return last }
        return nil
    }

    private static func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    private static func trimmingFinalBreaks(_ text: String) -> String {
        var text = text
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

extension LineBreaks {
    /// `text` with the line breaks `model` mostly uses.
    static func converting(_ text: String, toLike model: String) -> String {
        let ending = LineEnding.dominant(in: model)
        return ending == .lf ? text : converting(text, to: ending)
    }
}
