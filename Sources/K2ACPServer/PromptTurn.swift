// session/prompt: one turn of the agent on the shared engine, streamed as session updates, ending in a stop reason.
import ACP
import Foundation
import K2Config
import K2Engine
import K2Workspace

extension ACPAgent {
    func prompt(_ request: PromptRequest) async throws -> PromptResponse {
        let session = try session(request.sessionId)
        let stop = try await session.runTurn { [self] in try await runTurn(request.prompt, in: session) }
        return PromptResponse(stopReason: stop)
    }

    private func runTurn(_ blocks: [ContentBlock], in session: ACPSession) async throws -> StopReason {
        let prompt = PromptContent(blocks, cwd: session.cwd)
        session.conversation.record(.prompt(PromptContent.stored(blocks)))
        if session.takeTitle(), !prompt.title.isEmpty {
            session.conversation.record(.title(prompt.title))
            send(.sessionInfo(title: prompt.title, updatedAt: SessionStore.timestamp()), in: session.id)
        }
        await reconcileModel(of: session)
        let choice = await session.engine.resolveModel(for: .agent, requestedRole: session.choices.model)
        let updates = TurnUpdates(
            sessionID: session.id, conversation: session.conversation, contextWindow: choice.contextWindow
        ) { [self] update in send(update, in: session.id) }
        defer { updates.close() }
        let files = EditorFileAccess(
            sessionID: session.id, connection: connection, capabilities: clientCapabilities,
            timeout: options.fileRequestTimeout, logger: logger)
        if let (command, rest) = prompt.command, command == .context {
            try await showContext(for: rest, attachments: prompt.attachments, in: session, files: files, updates: updates)
            return .endTurn
        }
        let instruction = prompt.command.flatMap { $0.command.instruction($0.rest) } ?? prompt.instruction
        guard !instruction.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ACPFailure.invalidParams("The prompt has no text: say what K2 should do.")
        }
        let request = AgentRequest(
            instruction: instruction, workspaceRoot: session.cwd,
            permissions: SessionPermissions(
                session: session, connection: connection, updates: updates,
                readOnly: prompt.command?.command.readOnly ?? false, logger: logger),
            history: session.conversation.history, modelRole: session.choices.model, fileAccess: files,
            attachments: prompt.attachments, offersPlan: true)
        do {
            let outcome = try await session.engine.runAgent(request, events: updates.sink)
            await reconcileModel(of: session)
            return outcome.finishReason == "content_filter" ? .refusal : .endTurn
        } catch {
            await reconcileModel(of: session)
            if Task.isCancelled || error is CancellationError { return .cancelled }
            guard let (stop, explanation) = Self.stopReason(for: error) else { throw error }
            updates.send(.agentMessageChunk(.text(explanation)))
            session.conversation.record(.agentText(explanation))
            return stop
        }
    }

    /// Errors that end a turn with a stop reason (and words for the user) rather than an error response.
    static func stopReason(for error: any Error) -> (StopReason, String)? {
        let kept = "The changes made so far are kept."
        switch error {
        case EngineError.stopped(.turnLimit(let turns)):
            return (.maxTurnRequests, "K2 stopped after \(turns) model requests (agent.max_turns) while it was still working. \(kept) Say \"continue\" to go on, or raise agent.max_turns.")
        case EngineError.stopped(.tokenBudget(let used, let limit)):
            return (.maxTokens, "K2 stopped: this turn used \(used) tokens, over its budget of \(limit) (agent.max_tokens_per_run). \(kept) Say \"continue\" to go on, or raise agent.max_tokens_per_run.")
        case EngineError.stopped(.repeatedCall(let tool, let times)):
            return (.endTurn, "K2 stopped: it made the same \(tool) call \(times) times without getting further. \(kept) Rephrase the request, or give K2 what it is missing.")
        case EngineError.refused(let message):
            return (.refusal, message)
        case EngineError.provider(let providerError) where providerError.code == .contentFiltered:
            return (.refusal, providerError.userMessage)
        default:
            return nil
        }
    }

    /// When K2 Thinking was picked but the engine has fallen back to Instruct (the provider does not serve it), the
    /// session's model option says so: the choice changes and the editor gets `config_option_update`.
    func reconcileModel(of session: ACPSession) async {
        guard session.choices.model == .thinking,
            session.engine.chooseModel(for: .agent, requestedRole: .thinking).role == .instruct
        else { return }
        guard let choices = try? session.updateChoices({ $0.model = .instruct }) else { return }
        send(.configOptions(choices.configOptions(models: await resolvedModels(session.engine))), in: session.id)
    }

    /// `/context`: what K2 would see for a file, item by item, without calling the model.
    private func showContext(
        for rest: String, attachments: [AgentAttachment], in session: ACPSession, files: EditorFileAccess,
        updates: TurnUpdates
    ) async throws {
        let given = attachments.first?.location ?? rest
        guard !given.isEmpty else {
            throw ACPFailure.invalidParams("/context needs a file: mention one, or give its path (/context src/app.py).")
        }
        let path = given.hasPrefix("/") ? given : session.cwd + "/" + given
        let text: String
        if let editorText = try await files.readText(atPath: path) {
            text = editorText
        } else {
            do {
                text = try TextFileReader.read(path).text
            } catch {
                throw ACPFailure.invalidParams("/context: \(error.description)")
            }
        }
        let document = DocumentSnapshot(uri: FileURI.uri(fromPath: path), languageID: "", version: 0, text: text)
        let (bundle, choice) = try await session.engine.contextBundle(
            document: document, selection: TextRange(0, 0), task: .agent)
        let shown = WorkspacePaths.relativePath(of: path, inside: session.cwd) ?? path
        let report = bundle.renderReport()
        let fence = report.contains("```") ? "````" : "```"
        let message = "What K2 would see for \(shown) (\(choice.provider.model), \(choice.contextWindow)-token window):\n\n\(fence)\n\(report)\(report.hasSuffix("\n") ? "" : "\n")\(fence)\n"
        updates.send(.agentMessageChunk(.text(message)))
        session.conversation.record(.agentText(message))
    }
}
