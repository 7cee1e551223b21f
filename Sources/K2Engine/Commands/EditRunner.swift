// Runs an edit command: context, prompt, model turn, strict parsing, one repair round, minimal replacements.
import Foundation
import K2Config
import K2Provider
import K2Workspace

/// Why a reply did not become an edit: one message for the user, one for the model's repair round.
struct ReplyProblem: Error {
    var userMessage: String
    var repairPrompt: String
}

extension Engine {
    /// Computes the edit; writes nothing. Throws `EngineError` (`.invalidReply` when the model's reply, after one
    /// repair round, still does not apply; nothing is changed then).
    public func runEdit(_ request: EditRequest, events: @escaping EngineEventSink) async throws -> EditOutcome {
        var request = request
        if request.kind == .fix, !request.selection.isEmpty {
            // A diagnostic's range is often one token; the fix usually rewrites the line around it.
            request.selection = Self.wholeLines(of: request.selection, in: request.document)
        }
        let instruction = try request.effectiveInstruction()
        let format: EditReplyFormat =
            request.kind != .tests && !request.selection.isEmpty ? .selection : .searchReplace
        let workspace = workspaceRoot(containing: request.path)
        let relativePath = WorkspacePaths.relativePath(of: request.path, inside: workspace) ?? request.path
        try refuseSecretFile(path: request.path)

        events(.stage(.gatheringContext, detail: nil))
        let replyBudget = configuration.edit.maxTokens
        let context = try await gatherContext(
            document: request.document, selection: request.selection, task: request.kind.task,
            replyMaxTokens: replyBudget)
        try Task.checkCancellation()
        let inputs = PromptInputs(
            context: context.text, relativePath: relativePath, languageID: request.document.languageID,
            firstLine: request.document.lineIndex.line(containing: request.selection.lowerBound) + 1,
            lastLine: lastSelectedLine(request) + 1,
            selectedText: request.document.text.slice(request.selection), instruction: instruction,
            diagnostics: request.diagnostics)
        var messages: [ChatMessage] = [
            .system(PromptTemplates.editSystemPrompt(format: format)),
            .user(PromptTemplates.editUserMessage(inputs, kind: request.kind, format: format)),
        ]
        let tools = format == .searchReplace ? [PromptTemplates.editFileTool] : []
        var usage = UsageTotals()
        for round in 0..<2 {
            let result = try await callModel(
                task: request.kind.task, estimatedContextTokens: context.tokens, events: events
            ) { choice in
                ChatRequest(
                    messages: messages, tools: tools, maxTokens: replyBudget, temperature: choice.temperature,
                    promptTokenEstimate: context.tokens)
            }
            let turn = result.turn
            if let turnUsage = turn.usage {
                usage.add(
                    promptTokens: turnUsage.promptTokens, completionTokens: turnUsage.completionTokens,
                    cachedTokens: turnUsage.cachedTokens)
            }
            if turn.wasTruncatedByLength {
                throw EngineError.invalidReply(
                    "K2's reply was cut off at \(replyBudget) tokens, so nothing was changed. Select less code, or raise edit.max_tokens in the configuration.")
            }
            let parsed: Result<[FileEdit], ReplyProblem>
            switch format {
            case .selection: parsed = selectionEdit(turn, request: request)
            case .searchReplace:
                parsed = searchReplaceEdits(turn, request: request, workspace: workspace, defaultPath: relativePath)
            }
            switch parsed {
            case .success(let edits):
                return EditOutcome(
                    edits: edits, model: result.choice.provider.model, summary: ReplySummary.extract(turn.content),
                    usage: usage)
            case .failure(let problem):
                guard round == 0 else {
                    throw EngineError.invalidReply(problem.userMessage)
                }
                events(.stage(.repairing, detail: nil))
                messages.append(turn.assistantMessage)
                for call in turn.toolCalls {
                    messages.append(.tool(callID: call.id, name: call.name, content: "Not applied; see the next message."))
                }
                messages.append(.user(problem.repairPrompt))
            }
        }
        throw EngineError.invalidReply("K2's reply could not be turned into an edit, so nothing was changed.")
    }

    /// The selection widened to whole lines, line breaks included.
    static func wholeLines(of selection: TextRange, in document: DocumentSnapshot) -> TextRange {
        let index = document.lineIndex
        let firstLine = index.line(containing: selection.lowerBound)
        var lastLine = index.line(containing: selection.upperBound)
        if selection.upperBound == index.startOffset(ofLine: lastLine), lastLine > firstLine { lastLine -= 1 }
        return TextRange(index.startOffset(ofLine: firstLine), index.startOffset(ofLine: lastLine + 1))
    }

    private func lastSelectedLine(_ request: EditRequest) -> Int {
        let index = request.document.lineIndex
        let selection = request.selection
        guard !selection.isEmpty else { return index.line(containing: selection.lowerBound) }
        let endLine = index.line(containing: selection.upperBound)
        // A selection that ends at the start of a line does not include that line.
        return index.startOffset(ofLine: endLine) == selection.upperBound ? max(endLine - 1, 0) : endLine
    }

    /// Format (a): one fenced code block replaces exactly the selection.
    private func selectionEdit(_ turn: ChatTurn, request: EditRequest) -> Result<[FileEdit], ReplyProblem> {
        switch FencedCodeReply.parse(turn.content) {
        case .failure(let error):
            return .failure(
                ReplyProblem(
                    userMessage: "K2's reply could not be used (\(error)), so nothing was changed. Try again, or rephrase the instruction.",
                    repairPrompt: "Your reply could not be used: \(error). Reply again with exactly one fenced code block that holds the new text for the selection."
                ))
        case .success(let code):
            let text = request.document.text
            let replacement = FencedCodeReply.replacement(forSelection: request.selection, in: text, code: code)
            let newText = text.replacing(request.selection, with: replacement)
            return .success([
                FileEdit(
                    path: request.path, baseText: text, baseVersion: request.document.version, newText: newText,
                    isNewFile: false, replacements: MinimalTextEdits.compute(original: text, updated: newText))
            ])
        }
    }

    /// Format (b): SEARCH/REPLACE blocks and `edit_file` calls, applied all or nothing.
    private func searchReplaceEdits(
        _ turn: ChatTurn, request: EditRequest, workspace: String, defaultPath: String
    ) -> Result<[FileEdit], ReplyProblem> {
        var operations: [EditOperation] = []
        var formatProblems: [String] = []
        for call in turn.toolCalls {
            guard call.name == "edit_file" else {
                formatProblems.append("There is no tool named '\(call.name)'; only edit_file is available.")
                continue
            }
            switch EditFileCall.parse(arguments: call.arguments) {
            case .success(let edit): operations.append(.editFile(edit))
            case .failure(let error): formatProblems.append("An edit_file call could not be read: \(error).")
            }
        }
        if turn.content.contains("<<<<<<<") || turn.toolCalls.isEmpty {
            switch SearchReplaceReply.parse(turn.content) {
            case .success(let blocks): operations += blocks.editOperations
            case .failure(let error): formatProblems.append("The SEARCH/REPLACE blocks could not be read: \(error).")
            }
        }
        if !formatProblems.isEmpty || operations.isEmpty {
            let problem = formatProblems.isEmpty ? ["The reply contains no SEARCH/REPLACE blocks."] : formatProblems
            return .failure(
                ReplyProblem(
                    userMessage: "K2's reply could not be used, so nothing was changed: " + problem.joined(separator: " "),
                    repairPrompt: problem.joined(separator: "\n")
                        + "\nSend your edits again as SEARCH/REPLACE blocks in the format described above."))
        }
        // Load every file the edits name: the editor's buffer when open, else the file on disk.
        var files: [String: String] = [:]
        var bases: [String: (absolute: String, version: Int?)] = [:]
        var refusals: [String] = []
        for path in EditApplier.referencedPaths(of: operations, defaultPath: defaultPath) {
            switch WorkspacePaths.resolveInside(root: workspace, relativePath: path) {
            case .failure(let refusal):
                refusals.append("\(path): \(refusal)")
                continue
            case .success(let absolute):
                if secretFilter.secretPattern(relativePath: path, root: workspace) != nil {
                    refusals.append("\(path) holds secrets and is never edited by k2lsp")
                    continue
                }
                if absolute == request.path || FileURI.uri(fromPath: absolute) == request.document.uri {
                    files[path] = request.document.text
                    bases[path] = (request.path, request.document.version)
                } else if let text = try? TextFileReader.read(absolute).text {
                    files[path] = text
                    bases[path] = (absolute, nil)
                } else {
                    bases[path] = (absolute, nil)
                }
            }
        }
        if !refusals.isEmpty {
            let list = refusals.joined(separator: "; ")
            return .failure(
                ReplyProblem(
                    userMessage: "K2 tried to edit files it may not touch, so nothing was changed: \(list).",
                    repairPrompt: "These edits are not allowed: \(list). Edit only files inside the workspace.")
            )
        }
        switch EditApplier.apply(operations, to: files, defaultPath: defaultPath) {
        case .failure(let failure):
            return .failure(ReplyProblem(userMessage: failure.message, repairPrompt: failure.repairPrompt))
        case .success(let results):
            return .success(
                results.filter(\.isChanged).compactMap { result in
                    guard let base = bases[result.path] else { return nil }
                    return FileEdit(
                        path: base.absolute, baseText: result.originalText, baseVersion: base.version,
                        newText: result.newText, isNewFile: result.isNewFile,
                        replacements: MinimalTextEdits.compute(original: result.originalText, updated: result.newText))
                })
        }
    }
}
