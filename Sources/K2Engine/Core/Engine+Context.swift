// Context for a command: the budget from the chosen model, then the bundle from the context builder.
import K2Config
import K2Context
import K2Workspace
import Synchronization

struct GatheredContext: Sendable {
    var text: String
    var tokens: Int
    var bundle: ContextBundle
    /// The model the context was budgeted for: the command sends to it.
    var choice: ModelChoice
}

extension Engine {
    /// The context builder's options for a task on a model: the model's window minus the reply.
    func contextOptions(for task: K2Task, contextWindow: Int, replyMaxTokens: Int) -> ContextOptions {
        let configuration = self.configuration
        var options = Self.contextOptions(configuration)
        options.contextWindow = configuration.context.contextWindow ?? contextWindow
        options.replyMaxTokens = replyMaxTokens
        options.maxContextTokens = ContextTask(rawValue: task.rawValue)?.suggestedMaxContextTokens
        return options
    }

    /// The bundle the model would see for this document, selection and task, and the model it was sized for
    /// (resolved here, once; the command sends to it). Rules with `min_context_tokens` compare it with the current
    /// document's estimated size, which is known before the context is.
    public func contextBundle(
        document: DocumentSnapshot, selection: TextRange, task: K2Task, replyMaxTokens: Int? = nil
    ) async throws -> (bundle: ContextBundle, choice: ModelChoice) {
        if let maxAge = indexMaxAge.withLock({ $0 }) { await index.rescanIfStale(maxAge: maxAge) }
        await waitForIndexListing(upTo: .seconds(2))
        let choice = await resolveModel(for: task, estimatedContextTokens: estimator.estimate(document.text))
        let reply = replyMaxTokens ?? (task == .completion ? configuration.completion.invokedMaxTokens : configuration.edit.maxTokens)
        let options = contextOptions(for: task, contextWindow: choice.contextWindow, replyMaxTokens: reply)
        let request = ContextRequest(
            document: document, selection: selection, task: ContextTask(rawValue: task.rawValue) ?? .edit,
            openDocuments: await documents.allSnapshots(), recentlyEdited: await documents.recentlyEdited(),
            options: options)
        let bundle = try await ContextBuilder(index: index, estimator: estimator).build(request)
        return (bundle, choice)
    }

    /// Gives a fresh index a moment to list the workspace (imports are resolved against the listing); a huge
    /// workspace that takes longer gets context from what is listed so far rather than a stalled command.
    func waitForIndexListing(upTo limit: Duration) async {
        let index = self.index
        if await index.currentProgress().isListingComplete { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumed = Mutex(false)
            let resumeOnce: @Sendable () -> Void = {
                let first = resumed.withLock { flag -> Bool in
                    defer { flag = true }
                    return !flag
                }
                if first { continuation.resume() }
            }
            Task {
                await index.waitUntilIndexed()
                resumeOnce()
            }
            Task {
                try? await Task.sleep(for: limit)
                resumeOnce()
            }
        }
    }

    /// The context for a command. Throws `.refused` when the current document itself may not be sent (a secret
    /// or assistant-ignored file) and `.invalidRequest` when the selection alone does not fit the model's window.
    func gatherContext(document: DocumentSnapshot, selection: TextRange, task: K2Task, replyMaxTokens: Int)
        async throws -> GatheredContext
    {
        let (bundle, choice) = try await contextBundle(
            document: document, selection: selection, task: task, replyMaxTokens: replyMaxTokens)
        guard bundle.cursorRegion != nil else {
            let reason = bundle.skipped.first { $0.source == .cursorRegion || $0.source == .currentDocument }?.reason
            switch reason {
            case .selectionTooLarge(let tokens, let available)?:
                throw EngineError.invalidRequest(
                    "The selection is about \(tokens) tokens, more than the \(available) the model's window leaves; select less code.")
            case let reason?:
                throw EngineError.refused(
                    "\(bundle.documentPath) is not sent to K2 (\(reason.description)); k2lsp leaves it alone.")
            case nil:
                throw EngineError.refused("\(bundle.documentPath) cannot be sent to K2.")
            }
        }
        return GatheredContext(text: bundle.renderPrompt(), tokens: bundle.usedTokens, bundle: bundle, choice: choice)
    }

    /// When the editor does not report file changes, the index is re-listed when older than this.
    public func setIndexMaxAge(_ maxAge: Duration?) {
        indexMaxAge.withLock { $0 = maxAge }
    }
}
