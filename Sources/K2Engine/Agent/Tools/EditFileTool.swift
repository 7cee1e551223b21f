// edit_file: replace one exact piece of a file, located the way SEARCH/REPLACE edits are (EditApplier).
import AnyJSON
import K2Provider
import K2Workspace

public struct EditFileTool: AgentTool {
    public let traits = ToolTraits(kind: .edit)
    public let definition: ToolDefinition

    public init(delivery: AgentChangeDelivery = .atTheEnd) {
        definition = ToolDefinition(
            name: "edit_file",
            description: "Replace old_text with new_text in a file. old_text must be copied exactly from the file as read_file shows it (indentation included) and must match exactly one place: include a few surrounding lines to make it unique. An empty old_text appends to the file, or creates it when it does not exist. \(delivery.toolNote)",
            parameters: PromptTemplates.editFileTool.parameters)
    }

    public func presentation(of arguments: JSONValue, in workspace: AgentWorkspace) async -> ToolCallPresentation {
        let title = "Edit \(arguments["path"]?.stringValue ?? "a file")"
        guard let planned = try? await plan(arguments, in: workspace) else {
            return ToolCallPresentation(title: title, locations: workspace.locations(ofPathIn: arguments))
        }
        return planned.presentation(title: title, in: workspace)
    }

    public func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
        let planned = try await plan(arguments, in: workspace)
        try await workspace.setText(planned.after, of: planned.path)
        return Self.report(
            path: planned.path.relative, before: planned.before ?? "", after: planned.after, created: planned.before == nil)
    }

    /// The file's text after the call, computed without changing anything.
    func plan(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws(ToolError) -> PlannedFileChange {
        let arguments = try ToolArguments(arguments, for: definition)
        let path = try workspace.resolve(arguments.requiredString("path"))
        try workspace.checkWritable(path)
        let oldText = arguments.requiredString("old_text")
        let newText = arguments.requiredString("new_text")
        guard oldText != newText else {
            throw ToolError("old_text and new_text are the same, so there is nothing to change.")
        }
        let current = try await workspace.currentText(of: path)
        try RedactionGuard.check(newText, against: current, path: path.relative)
        let call = EditFileCall(path: path.relative, oldText: oldText, newText: newText)
        let files = current.map { [path.relative: $0] } ?? [:]
        switch EditApplier.apply([.editFile(call)], to: files, defaultPath: path.relative) {
        case .failure(let failure):
            if current == nil {
                throw ToolError("\(path.relative) does not exist; create it with write_file (or an empty old_text).")
            }
            let shown = Self.quotingShownLines(failure, shownText: (try? workspace.textForModel(current ?? "", path: path)) ?? "")
            var message = shown.problems.map(\.description).joined(separator: "\n")
            if oldText.contains(SecretPolicy.redactionMarker) {
                message += "\nold_text contains k2lsp's redaction marker, which is not in the file; edit around the redacted line."
            }
            throw ToolError(message + "\nNothing was changed. Read the file again and copy old_text exactly.")
        case .success(let results):
            guard let result = results.first else { throw ToolError("Nothing changed in \(path.relative).") }
            return PlannedFileChange(path: path, before: current, after: result.newText)
        }
    }

    /// The failure with every quoted file line replaced by the same line of the text the model is shown (redaction
    /// keeps the lines), so that a hint cannot quote what read_file hides, a private key's inner lines included.
    /// The match itself ran on the real text: an edit computed against redacted text would corrupt the file.
    static func quotingShownLines(_ failure: EditFailure, shownText: String) -> EditFailure {
        let shownLines = LineSplitter.lines(of: shownText).map(\.contentString)
        var failure = failure
        for index in failure.problems.indices {
            guard case .match(.notFound(var closest?)) = failure.problems[index].reason else { continue }
            closest.lines = closest.lines.indices.map { offset in
                let line = closest.firstLine - 1 + offset
                return shownLines.indices.contains(line) ? shownLines[line] : SecretPolicy.redactionMarker
            }
            failure.problems[index].reason = .match(.notFound(closest: closest))
        }
        return failure
    }

    /// Where the change landed, so the model can check it without reading the whole file again.
    static func report(path: String, before: String, after: String, created: Bool) -> String {
        let total = LineSlices(after).count
        if created { return "Created \(path) (\(total) lines)." }
        guard let first = MinimalTextEdits.compute(original: before, updated: after).first else {
            return "Nothing changed in \(path)."
        }
        let line = LineIndex(before).line(containing: first.range.lowerBound) + 1
        return "Edited \(path) at line \(line); the file now has \(total) lines."
    }
}

/// Model-bound text has secrets replaced by a marker; writing the marker back would destroy the real value.
enum RedactionGuard {
    static func check(_ newText: String, against current: String?, path: String) throws(ToolError) {
        let marker = SecretPolicy.redactionMarker
        if newText.contains(marker), !(current?.contains(marker) ?? false) {
            throw ToolError(
                "The new text for \(path) contains \(marker), which stands for a secret k2lsp hid from you; writing it would destroy the real value. Leave those lines unchanged (use edit_file on other lines).")
        }
    }
}
