// Runs k2.explain: context, the selection, and a Markdown answer.
import K2Config
import K2Provider
import K2Workspace

extension Engine {
    public func runExplain(_ request: EditRequest, events: @escaping EngineEventSink) async throws -> ExplainOutcome {
        let workspace = workspaceRoot(containing: request.path)
        let relativePath = WorkspacePaths.relativePath(of: request.path, inside: workspace) ?? request.path
        try refuseSecretFile(path: request.path)
        let instruction = request.instruction?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        events(.stage(.gatheringContext, detail: nil))
        let replyBudget = min(configuration.edit.maxTokens, 4096)
        let context = try await gatherContext(
            document: request.document, selection: request.selection, task: .explain, replyMaxTokens: replyBudget)
        let index = request.document.lineIndex
        let inputs = PromptInputs(
            context: context.text, relativePath: relativePath, languageID: request.document.languageID,
            firstLine: index.line(containing: request.selection.lowerBound) + 1,
            lastLine: index.line(containing: request.selection.upperBound) + 1,
            selectedText: request.document.text.slice(request.selection),
            instruction: instruction.isEmpty ? "Explain what this code does and why." : instruction,
            diagnostics: request.diagnostics)
        let messages: [ChatMessage] = [
            .system(PromptTemplates.explainSystemPrompt), .user(PromptTemplates.explainUserMessage(inputs)),
        ]
        let result = try await callModel(context.choice, task: .explain, events: events) { _ in
            ChatRequest(messages: messages, maxTokens: replyBudget, promptTokenEstimate: context.tokens)
        }
        var usage = UsageTotals()
        if let turnUsage = result.turn.usage {
            usage.add(
                promptTokens: turnUsage.promptTokens, completionTokens: turnUsage.completionTokens,
                cachedTokens: turnUsage.cachedTokens)
        }
        let markdown = result.turn.content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !markdown.isEmpty else {
            throw EngineError.invalidReply("K2 returned an empty explanation. Try again, or select the code to explain.")
        }
        return ExplainOutcome(markdown: markdown, model: result.choice.provider.model, usage: usage)
    }
}
