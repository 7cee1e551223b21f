// The tool-calling loop: stream a turn, run its calls, answer each by id, repeat until a turn calls nothing.
import AnyJSON
import K2Provider
import K2Workspace

/// One model turn as the loop needs it: the turn and the model that answered.
public struct AgentModelTurn: Sendable {
    public var turn: ChatTurn
    public var model: String

    public init(turn: ChatTurn, model: String) {
        self.turn = turn
        self.model = model
    }
}

/// Streams one turn for the conversation so far. The engine's caller picks the model, temperature and budget.
public typealias AgentModelCaller = @Sendable (_ messages: [ChatMessage], _ tools: [ToolDefinition]) async throws
    -> AgentModelTurn

/// What a finished loop produced; the edits are in the workspace's overlay.
public struct AgentLoopResult: Sendable {
    public var summary: String
    public var steps: [AgentStep]
    public var model: String
    public var usage: UsageTotals
    /// The whole conversation, final answer included.
    public var messages: [ChatMessage]
    /// Why the last turn ended, as the server said.
    public var finishReason: String? = nil
}

/// The loop, free of any protocol: the LSP server, the CLI and an ACP agent mode drive the same one.
///
/// Invariants: every tool call gets exactly one `tool` message with its exact id, errors included; the assistant
/// message that asked goes back with its reasoning; a turn cut off by `length` runs none of its calls; a guard that
/// stops the run throws (`EngineError.refused`), so a stopped run has no edit.
public struct AgentLoop: Sendable {
    public let registry: ToolRegistry
    public let workspace: AgentWorkspace
    public let limits: AgentLimits
    public let events: EngineEventSink
    /// Asked before every call that names a registered tool with valid JSON arguments.
    public let permissions: any ToolPermissionPolicy

    public init(
        registry: ToolRegistry, workspace: AgentWorkspace, limits: AgentLimits,
        permissions: any ToolPermissionPolicy = .unattended, events: @escaping EngineEventSink
    ) {
        self.registry = registry
        self.workspace = workspace
        self.limits = limits
        self.permissions = permissions
        self.events = events
    }

    public func run(_ initialMessages: [ChatMessage], callModel: AgentModelCaller) async throws -> AgentLoopResult {
        var messages = initialMessages
        /// Every message the run adds is reported, so that a front end can keep the conversation.
        func append(_ message: ChatMessage) {
            messages.append(message)
            events(.message(message))
        }
        var steps: [AgentStep] = []
        var usage = UsageTotals()
        // What the token budget counts: reported usage, or an estimate for turns whose server reported none.
        var spent = 0
        var repeats = RepeatTracker()
        var model = ""
        let tools = registry.definitions
        for turnNumber in 1... {
            try Task.checkCancellation()
            let answered = try await callModel(messages, tools)
            let turn = answered.turn
            model = answered.model
            if let turnUsage = turn.usage {
                usage.add(
                    promptTokens: turnUsage.promptTokens, completionTokens: turnUsage.completionTokens,
                    cachedTokens: turnUsage.cachedTokens)
                spent += turnUsage.totalTokens
            } else {
                spent += Self.estimatedTokens(messages, tools: tools) + Self.estimatedTokens([turn.assistantMessage], tools: [])
            }
            append(turn.assistantMessage)
            if !turn.isToolTurn && !turn.wasTruncatedByLength {
                return AgentLoopResult(
                    summary: Self.summary(of: turn), steps: steps, model: model, usage: usage, messages: messages,
                    finishReason: turn.finishReason)
            }
            // The model wants another turn: that needs room under every limit.
            if turnNumber >= limits.maxTurns { throw AgentStopReason.turnLimit(turns: turnNumber).error }
            if spent >= limits.maxTokensPerRun {
                throw AgentStopReason.tokenBudget(used: spent, limit: limits.maxTokensPerRun).error
            }
            if turn.wasTruncatedByLength {
                answerTruncatedTurn(turn, steps: &steps).forEach(append)
                continue
            }
            for call in turn.toolCalls {
                try Task.checkCancellation()
                let times = repeats.record(call)
                if times >= limits.repeatStopCount {
                    throw AgentStopReason.repeatedCall(tool: call.name, times: times).error
                }
                let step = steps.count + 1
                let arguments = call.parsedArguments ?? .string(call.arguments)
                let tool = registry.tool(named: call.name)
                let presentation = await tool?.presentation(of: arguments, in: workspace)
                events(.toolCall(ToolCallProgress(
                    step: step, tool: call.name, arguments: arguments, status: .started, resultPreview: nil,
                    traits: tool?.traits, callID: call.id, presentation: presentation)))
                var (status, text) = try await execute(call, step: step, presentation: presentation)
                if times >= limits.repeatWarningCount {
                    text += "\n\nNote: this is the \(Self.ordinal(times)) time you made exactly this call in this task; its result will not tell you more. Use what you already know, or try a different approach."
                }
                // Every tool's text passes the redactor on its way to the model, errors and hints included: a tool
                // that quotes a file (a failed edit's closest lines, an MCP server's answer) cannot leak what
                // read_file would hide. Only what is sent is redacted; edits are computed on the real text.
                text = workspace.redactedForModel(ToolOutput.capped(
                    text, limit: limits.toolOutputLimit, advice: tool?.outputCutAdvice ?? ToolOutput.workspaceToolAdvice))
                append(.tool(callID: call.id, name: call.name, content: text))
                let preview = ToolOutput.preview(text)
                steps.append(AgentStep(tool: call.name, arguments: arguments, ok: status == .done, resultPreview: preview))
                events(.toolCall(ToolCallProgress(
                    step: step, tool: call.name, arguments: arguments, status: status, resultPreview: preview,
                    traits: tool?.traits, callID: call.id, presentation: presentation, output: text)))
            }
        }
        // `1...` never ends; the loop returns or throws.
        throw AgentStopReason.turnLimit(turns: limits.maxTurns).error
    }

    /// Runs one call once the permission policy allows it. Whatever goes wrong short of cancellation becomes an
    /// error the model reads.
    private func execute(_ call: ToolCall, step: Int, presentation: ToolCallPresentation?) async throws
        -> (status: ToolCallProgress.Status, text: String)
    {
        guard let tool = registry.tool(named: call.name) else {
            let names = registry.names.joined(separator: ", ")
            return (.failed, "Error: there is no tool named \"\(call.name)\". The tools are: \(names).")
        }
        guard let arguments = call.parsedArguments else {
            let shown = call.arguments.count > 200 ? String(call.arguments.prefix(200)) + "…" : call.arguments
            return (.failed, "Error: the arguments of this \(call.name) call are not valid JSON (\(shown)). Send one JSON object with the arguments the tool's schema lists.")
        }
        let request = ToolPermissionRequest(
            step: step, callID: call.id, tool: call.name, arguments: arguments, traits: tool.traits,
            presentation: presentation)
        if case .deny(let reason) = await permissions.decide(request) {
            try Task.checkCancellation()
            return (.refused, "Error: not run: " + reason)
        }
        try Task.checkCancellation()
        // What was allowed is what is made: a file that changed while the call waited is not changed another way.
        if let allowed = presentation?.change, await tool.presentation(of: arguments, in: workspace).change != allowed {
            let path = WorkspacePaths.relativePath(of: allowed.path, inside: workspace.root) ?? allowed.path
            return (.failed, "Error: not run: \(path) changed while this change waited to be allowed, so it was not made. Read the file again and make the change anew.")
        }
        do {
            return (.done, try await tool.run(arguments, in: workspace))
        } catch let error as ToolError {
            return (.failed, "Error: " + error.message)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return (.failed, "Error: \(call.name) failed: \(error)")
        }
    }

    /// A turn cut off by `max_tokens`: its arguments may be truncated, so no call runs; each is still answered.
    private func answerTruncatedTurn(_ turn: ChatTurn, steps: inout [AgentStep]) -> [ChatMessage] {
        guard turn.isToolTurn else {
            return [.user("Your reply was cut off at the output token limit. Continue with shorter steps: call one tool at a time, or give your short final summary.")]
        }
        return turn.toolCalls.map { call in
            let step = steps.count + 1
            let arguments = call.parsedArguments ?? .string(call.arguments)
            let text = "Error: not run. Your reply was cut off at the output token limit, so this call's arguments may be incomplete. Send it again, smaller (for example, edit a smaller region)."
            let preview = ToolOutput.preview(text)
            steps.append(AgentStep(tool: call.name, arguments: arguments, ok: false, resultPreview: preview))
            events(.toolCall(ToolCallProgress(
                step: step, tool: call.name, arguments: arguments, status: .failed, resultPreview: preview,
                callID: call.id, output: text)))
            return .tool(callID: call.id, name: call.name, content: text)
        }
    }

    /// A rough token count of messages and tools (about three characters per token), for fitting `max_tokens` and
    /// for the budget when a server reports no usage.
    public static func estimatedTokens(_ messages: [ChatMessage], tools: [ToolDefinition]) -> Int {
        var characters = 0
        for message in messages {
            characters += message.content.count + (message.reasoningContent?.count ?? 0)
            for call in message.toolCalls { characters += call.name.count + call.arguments.count }
        }
        for tool in tools { characters += tool.description.count + tool.parameters.serialized().count }
        return characters / 3 + messages.count * 8
    }

    static func summary(of turn: ChatTurn) -> String {
        let text = turn.content.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "K2 finished without a summary." : text
    }

    static func ordinal(_ number: Int) -> String {
        switch number {
        case 1: return "1st"
        case 2: return "2nd"
        case 3: return "3rd"
        default: return "\(number)th"
        }
    }
}
