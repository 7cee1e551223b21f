// Inline completion: a FIM-style chat prompt, post-processing, supersession per document and a small cache.
import Foundation
import K2Config
import K2Context
import K2Provider
import K2Workspace

public struct CompletionQuery: Sendable {
    public var document: DocumentSnapshot
    /// UTF-8 offset of the cursor.
    public var cursor: Int
    /// True when the user asked (triggerKind Invoked); automatic requests get a smaller budget and a debounce.
    public var invoked: Bool

    public init(document: DocumentSnapshot, cursor: Int, invoked: Bool) {
        self.document = document
        self.cursor = cursor
        self.invoked = invoked
    }
}

public struct CompletionOutcome: Sendable, Hashable {
    /// The text to insert at the cursor.
    public var text: String
    public var model: String
    /// True when the cache answered and no model was called.
    public var fromCache: Bool
}

/// Coordinates completions: at most one upstream request per document, and repeated prefixes are free. Which request
/// wins is the caller's to say: the server cancels a superseded request (its scheduling class says so), and a
/// cancelled request here answers nil.
public actor InlineCompletionCoordinator {
    private struct Running {
        var generation: Int
        var task: Task<CompletionOutcome?, any Error>
    }

    private var running: [String: Running] = [:]
    private var generation = 0
    private var cache = CompletionCache(capacity: 64)
    /// How long an automatic request waits for a newer keystroke before calling the model.
    private let debounce: Duration

    public init(debounce: Duration = .milliseconds(60)) {
        self.debounce = debounce
    }

    /// The completion at the cursor, or nil when there is none or the request was cancelled (superseded).
    /// - Parameter events: receives notices (a rate limit explained once); completions report no other progress.
    public func complete(
        _ request: CompletionQuery, engine: Engine, events: @escaping EngineEventSink = { _ in }
    ) async throws -> CompletionOutcome? {
        let window = CompletionWindow(document: request.document, cursor: request.cursor)
        if let cached = cache.lookup(window) {
            return CompletionOutcome(text: cached.text, model: cached.model, fromCache: true)
        }
        let uri = request.document.uri
        generation += 1
        let myGeneration = generation
        // Wait until the previous request has closed its connection: one upstream request per document. (A newer
        // one cancels it first, so this wait is short.)
        while let previous = running[uri], previous.generation != myGeneration {
            _ = try? await previous.task.value
            if running[uri]?.generation == previous.generation { break }
        }
        guard !Task.isCancelled else { return nil }  // Superseded while waiting.
        let debounce = request.invoked ? Duration.zero : self.debounce
        let task = Task<CompletionOutcome?, any Error> {
            if debounce > .zero { try await Task.sleep(for: debounce) }
            return try await engine.completeOnce(request, window: window, events: events)
        }
        running[uri] = Running(generation: myGeneration, task: task)
        defer { if running[uri]?.generation == myGeneration { running[uri] = nil } }
        let outcome: CompletionOutcome?
        do {
            outcome = try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        } catch is CancellationError {
            return nil
        } catch EngineError.provider(let error) where error.code == .cancelled {
            return nil
        }
        if let outcome { cache.store(window, text: outcome.text, model: outcome.model) }
        return outcome
    }
}

/// The text around the cursor that a completion depends on.
struct CompletionWindow: Sendable, Hashable {
    static let prefixBytes = 12_000
    static let suffixBytes = 3_000

    var prefix: String
    var suffix: String
    var languageID: String
    var path: String

    init(document: DocumentSnapshot, cursor: Int) {
        let text = document.text
        let count = text.utf8.count
        let cursor = max(0, min(cursor, count))
        // Cut at line starts so the model never sees half a line at the edges.
        let index = document.lineIndex
        let prefixStartLine = index.line(containing: max(0, cursor - Self.prefixBytes))
        let prefixStart = cursor - Self.prefixBytes <= 0 ? 0 : index.startOffset(ofLine: prefixStartLine + 1)
        let suffixEndLine = index.line(containing: min(count, cursor + Self.suffixBytes))
        let suffixEnd = cursor + Self.suffixBytes >= count ? count : index.startOffset(ofLine: suffixEndLine)
        prefix = text.slice(TextRange(min(prefixStart, cursor), cursor))
        suffix = text.slice(TextRange(cursor, max(suffixEnd, cursor)))
        languageID = document.languageID
        path = document.filePath.map { ($0 as NSString).lastPathComponent } ?? document.uri
    }
}

/// Remembers recent completions by the text around the cursor. When the user types the first characters of a
/// remembered completion, the rest is still a valid completion and is answered without a model call.
struct CompletionCache: Sendable {
    struct Entry: Sendable {
        var window: CompletionWindow
        var text: String
        var model: String
    }

    let capacity: Int
    private var entries: [Entry] = []

    init(capacity: Int) { self.capacity = capacity }

    func lookup(_ window: CompletionWindow) -> (text: String, model: String)? {
        for entry in entries.reversed()
        where entry.window.languageID == window.languageID && entry.window.suffix == window.suffix {
            if entry.window.prefix == window.prefix { return (entry.text, entry.model) }
            // Typed through: the new prefix is the old one plus the start of the completion.
            if window.prefix.hasPrefix(entry.window.prefix) {
                let typed = String(window.prefix.dropFirst(entry.window.prefix.count))
                if !typed.isEmpty, entry.text.hasPrefix(typed), entry.text.count > typed.count {
                    return (String(entry.text.dropFirst(typed.count)), entry.model)
                }
            }
        }
        return nil
    }

    mutating func store(_ window: CompletionWindow, text: String, model: String) {
        entries.removeAll { $0.window == window }
        entries.append(Entry(window: window, text: text, model: model))
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }
}

extension Engine {
    /// One completion: always K2 Instruct (thinking off, or its least effort), small output limit, stop sequences,
    /// partial mode where the model's profile offers it.
    func completeOnce(
        _ request: CompletionQuery, window: CompletionWindow, events: @escaping EngineEventSink
    ) async throws -> CompletionOutcome? {
        let settings = configuration.completion
        guard settings.enabled else { return nil }
        let prompt = FIMPrompt.render(
            prefix: window.prefix, suffix: window.suffix, languageID: window.languageID, path: window.path)
        let maxTokens = request.invoked ? settings.invokedMaxTokens : settings.maxTokens
        // The same context rules as every command: a secret or assistant-ignored file gets no completion, and the
        // files the cursor's code uses (imports, definitions) come before the file, most stable first.
        let (bundle, choice) = try await contextBundle(
            document: request.document, selection: TextRange(request.cursor, request.cursor), task: .completion,
            replyMaxTokens: maxTokens)
        guard bundle.cursorRegion != nil else { return nil }
        let related = bundle.items.filter { $0.source != .cursorRegion && $0.source != .currentDocument }
        let user =
            related.isEmpty
            ? prompt.user : "# Related code from the workspace\n\n" + related.map(\.rendered).joined() + prompt.user
        let linePrefix = CompletionPostProcessor.currentLinePrefix(of: window.prefix)
        let result: ModelTurn
        do {
            // Nobody waits for ghost text: while the endpoint is rate limited it answers at once with nothing.
            result = try await callModel(
                choice, task: .completion, events: events, queueing: request.invoked ? .waits : .failsFast
            ) { choice in
                var messages: [ChatMessage] = [.system(prompt.system), .user(user)]
                if choice.profile.partialMode, !linePrefix.trimmingCharacters(in: .whitespaces).isEmpty {
                    // The reply continues the cursor's line instead of starting from scratch.
                    messages.append(.partialAssistant(linePrefix))
                }
                return ChatRequest(messages: messages, maxTokens: maxTokens, stop: prompt.stop)
            }
        } catch EngineError.provider(let error) where error.code == .rateLimited && !request.invoked {
            return nil
        }
        guard
            let text = CompletionPostProcessor.process(
                raw: result.turn.content, prefix: window.prefix, suffix: window.suffix, languageID: window.languageID),
            !Self.leaksPromptMarkup(text, markers: prompt.stop)
        else { return nil }
        return CompletionOutcome(text: text, model: result.choice.provider.model, fromCache: false)
    }

    /// A completion that reproduces the prompt's markers (small local models do, sometimes HTML-escaped), or a
    /// chat template's turn token (`<|im_start|>`, the real local model's ghost text), is prompt text, not code:
    /// never insert it. Edits refuse the same tokens through the same check.
    static func leaksPromptMarkup(_ text: String, markers: [String]) -> Bool {
        let unescaped = PromptEcho.unescapingHTML(text)
        return markers.contains { unescaped.contains($0) } || PromptEcho.holdsTurnToken(text)
    }

}
