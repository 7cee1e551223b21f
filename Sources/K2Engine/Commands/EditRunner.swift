// Runs an edit command: context, prompt, model turns with repair rounds, one reply interpreter, minimal replacements.
import Foundation
import K2Config
import K2Provider
import K2Workspace

extension Engine {
    /// Computes the edit; writes nothing. Throws `EngineError` (`.invalidReply` when the model's reply, after
    /// `edit.repair_rounds` repair rounds, still cannot be used; nothing is changed then).
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
        // A repair round keeps the model the previous round ended on (a retired id costs one 404 per run).
        var choice = context.choice
        func askModel() async throws -> ModelTurn {
            let result = try await callModel(choice, task: request.kind.task, events: events) { _ in
                ChatRequest(messages: messages, tools: tools, maxTokens: replyBudget, promptTokenEstimate: context.tokens)
            }
            choice = result.choice
            if let turnUsage = result.turn.usage {
                usage.add(
                    promptTokens: turnUsage.promptTokens, completionTokens: turnUsage.completionTokens,
                    cachedTokens: turnUsage.cachedTokens)
            }
            if result.turn.wasTruncatedByLength {
                throw EngineError.invalidReply(
                    "K2's reply was cut off at \(replyBudget) tokens, so nothing was changed. Select less code, or raise edit.max_tokens in the configuration.")
            }
            return result
        }

        var result = try await askModel()
        // Buffers as they are when the reply arrives: every open file is edited from its buffer.
        var processor = EditReplyProcessor(
            request: request, format: format, workspace: workspace, openDocuments: await documents.allSnapshots(),
            secretRefusal: { [self] written, _ in secretFileRefusal(relativePath: written, workspace: workspace) })
        let repairRounds = configuration.edit.repairRounds
        for round in 0...repairRounds {
            if round > 0 { result = try await askModel() }
            let turn = result.turn
            let calls = turn.toolCalls.map { ReplyToolCall(name: $0.name, arguments: $0.arguments) }
            switch processor.edits(content: turn.content, toolCalls: calls) {
            case .success(let edits):
                return EditOutcome(
                    edits: edits, model: result.choice.provider.model, summary: ReplySummary.extract(turn.content),
                    usage: usage)
            case .failure(let problem):
                guard round < repairRounds else {
                    let rounds = repairRounds == 1 ? "1 repair round" : "\(repairRounds) repair rounds"
                    throw EngineError.invalidReply(
                        "K2's reply could not be turned into an edit"
                            + (repairRounds > 0 ? " (after \(rounds))" : "")
                            + ", so nothing was changed. \(problem.userMessage)")
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
}
