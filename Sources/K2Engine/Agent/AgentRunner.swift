// Engine.runAgent: checks the request, builds the sandbox and the first message, and runs the loop on the model the
// profile chose for the agent (K2 Thinking in enterprise profiles).
import Foundation
import K2Config
import K2Context
import K2Provider
import K2Workspace
import Synchronization

extension Engine {
    /// Runs the agent to completion; writes nothing (its edits come back in the outcome, against the editor's
    /// buffers for open documents). Throws `EngineError`: `.invalidRequest` before any model call,
    /// `.refused` when a guard stopped the run (then there is no edit), `.provider` for the model's failures.
    public func runAgent(_ request: AgentRequest, events: @escaping EngineEventSink) async throws -> AgentOutcome {
        let instruction = request.instruction.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !instruction.isEmpty else {
            throw EngineError.invalidRequest(
                "k2.agent needs an instruction: say what the agent should do (the 'instruction' field, or -m on the command line).")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: request.workspaceRoot, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw EngineError.invalidRequest(
                "The agent's workspace folder \(request.workspaceRoot) does not exist; open a folder in the editor (or run k2lsp agent inside one).")
        }
        let configuration = self.configuration
        let workspace = AgentWorkspace(
            root: request.workspaceRoot, documents: documents, index: index,
            options: AgentWorkspaceOptions(
                maxFileBytes: configuration.context.maxFileBytes,
                extraSecretPatterns: configuration.context.secretPatterns,
                ignoreFileNames: configuration.context.ignoreFiles,
                allowProtectedWrites: configuration.agent.allowProtectedWrites),
            diagnostics: request.diagnostics)

        events(.stage(.gatheringContext, detail: nil))
        // One model for the whole run, decided before any context is built (routing rules see the instruction and
        // the current document), so the context is budgeted for the model every turn goes to.
        let routingText = instruction + (request.document?.text ?? "")
        let choice = await resolveModel(for: .agent, estimatedContextTokens: estimator.estimate(routingText, kind: .prose))
        let (context, location) = try await agentContext(request, workspace: workspace, choice: choice)
        try Task.checkCancellation()
        let firstMessage = AgentPrompt.firstUserMessage(
            instruction: instruction, context: context, location: location,
            filesWithDiagnostics: request.diagnostics.values.filter { !$0.isEmpty }.count)
        let messages: [ChatMessage] = [.system(AgentPrompt.systemPrompt), .user(firstMessage)]
        let registry = await agentTools(for: request, configuration: configuration, events: events)
        let editMaxTokens = configuration.edit.maxTokens
        let loop = AgentLoop(
            registry: registry, workspace: workspace, limits: AgentLimits(configuration.agent),
            permissions: request.permissions, events: events)
        let current = CurrentChoice(choice)
        let result = try await loop.run(messages) { [self] history, tools in
            let promptEstimate = AgentLoop.estimatedTokens(history, tools: tools)
            let answered = try await callModel(current.choice, task: .agent, events: events) { choice in
                ChatRequest(
                    messages: history, tools: tools,
                    maxTokens: choice.role == .thinking ? AgentPrompt.thinkingMaxTokens : editMaxTokens,
                    promptTokenEstimate: promptEstimate)
            }
            // A replaced retired id, or Thinking's fallback to Instruct, holds for the rest of the run.
            current.choice = answered.choice
            return AgentModelTurn(turn: answered.turn, model: answered.choice.provider.model)
        }
        events(.stage(.applying, detail: nil))
        let edits = try await workspace.finalEdits()
        return AgentOutcome(
            edits: edits, summary: result.summary, steps: result.steps, model: result.model, usage: result.usage)
    }

    /// The built-in tools, then each source's in order. What a source offers past K2's tool limit, or under a name
    /// already taken, is left out with a notice.
    private func agentTools(
        for request: AgentRequest, configuration: K2Configuration, events: @escaping EngineEventSink
    ) async -> ToolRegistry {
        var registry = ToolRegistry.standard
        let context = AgentToolContext(
            configuration: configuration, workspaceRoot: request.workspaceRoot, events: events)
        for source in request.toolSources ?? settings.toolSources {
            let leftOut = registry.adding(await source.tools(for: context))
            guard !leftOut.isEmpty else { continue }
            let shown = leftOut.prefix(5).joined(separator: ", ") + (leftOut.count > 5 ? ", …" : "")
            let notice = "\(leftOut.count) MCP tools are left out of agent runs (\(shown)): K2 takes at most \(ToolRegistry.maximumTools) tools and each name once. Disable servers you do not need (enabled: false under mcp_servers)."
            logger.warning("\(notice)")
            noticeOnce(notice, events: events)
        }
        return registry
    }

    /// A compact context of the current document (when the request names one inside the workspace and it is not a
    /// secret), and where the user is.
    private func agentContext(_ request: AgentRequest, workspace: AgentWorkspace, choice: ModelChoice) async throws
        -> (context: String?, location: AgentPrompt.Location?)
    {
        guard let document = request.document, let path = document.filePath else { return (nil, nil) }
        let relative =
            WorkspacePaths.relativePath(of: path, inside: workspace.root)
            ?? WorkspacePaths.relativePath(of: path, inside: workspace.realRoot)
        guard let relative, !relative.isEmpty, (try? workspace.resolve(relative)) != nil else { return (nil, nil) }
        let selection = request.selection ?? TextRange(0, 0)
        let lines = document.lineIndex
        let firstLine = lines.line(containing: selection.lowerBound)
        var lastLine = lines.line(containing: selection.upperBound)
        if !selection.isEmpty, lastLine > firstLine, lines.startOffset(ofLine: lastLine) == selection.upperBound {
            lastLine -= 1
        }
        let location = AgentPrompt.Location(
            relativePath: relative, languageID: document.languageID, firstLine: firstLine + 1, lastLine: lastLine + 1,
            hasSelection: !selection.isEmpty)
        let replyBudget = choice.role == .thinking ? AgentPrompt.thinkingMaxTokens : configuration.edit.maxTokens
        var options = contextOptions(for: .agent, contextWindow: choice.contextWindow, replyMaxTokens: replyBudget)
        options.maxContextTokens = AgentPrompt.contextTokenCap
        let contextRequest = ContextRequest(
            document: document, selection: selection, task: .agent, openDocuments: await documents.allSnapshots(),
            recentlyEdited: await documents.recentlyEdited(), options: options)
        let bundle = try await ContextBuilder(index: index, estimator: estimator).build(contextRequest)
        return (bundle.renderPrompt(), location)
    }
}

/// The model an agent run sends its next turn to.
private final class CurrentChoice: Sendable {
    private let stored: Mutex<ModelChoice>

    init(_ choice: ModelChoice) {
        stored = Mutex(choice)
    }

    var choice: ModelChoice {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
