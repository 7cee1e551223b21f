// textDocument/inlineCompletion and the textDocument/completion fallback.
import Foundation
import JSONRPC
import K2Engine
import K2Workspace
import LSP

extension LanguageServer {
    func inlineCompletion(_ request: InlineCompletionRequest, id: RequestID) async throws -> InlineCompletionList {
        guard let outcome = try await completion(
            uri: request.textDocument.uri, position: request.position, invoked: request.context?.triggerKind == .invoked,
            id: id, workDoneToken: request.workDoneToken)
        else { return InlineCompletionList(items: []) }
        let range = Range(start: request.position, end: request.position)
        return InlineCompletionList(items: [InlineCompletionItem(insertText: outcome.text, range: range)])
    }

    /// For clients without inline completion: one item whose text edit inserts the suggestion at the cursor.
    func completionFallback(_ request: CompletionRequest, id: RequestID) async throws -> CompletionList {
        guard let outcome = try await completion(
            uri: request.textDocument.uri, position: request.position, invoked: request.context?.triggerKind == .invoked,
            id: id, workDoneToken: nil)
        else { return CompletionList(isIncomplete: true, items: []) }
        let firstLine = outcome.text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let label = firstLine.trimmingCharacters(in: .whitespaces).isEmpty ? outcome.text.trimmingCharacters(in: .whitespacesAndNewlines) : firstLine
        let item = CompletionItem(
            label: label.count > 60 ? String(label.prefix(59)) + "…" : label, kind: .text, detail: "K2 (\(outcome.model))",
            filterText: nil, insertTextFormat: .plainText,
            textEdit: TextEdit(range: Range(start: request.position, end: request.position), newText: outcome.text),
            sortText: "0")
        return CompletionList(isIncomplete: true, items: [item])
    }

    /// A completion, or nil. Problems are shown once and answered with no items: an error reply on every keystroke
    /// would flood the editor. Completions show no progress, except an invoked one that waits out a rate limit: the
    /// user asked and is waiting, so "rate limited, retrying in N s" is reported ($/progress, begun at the first retry).
    private func completion(
        uri: String, position: Position, invoked: Bool, id: RequestID, workDoneToken: ProgressToken?
    ) async throws -> CompletionOutcome? {
        let engine = try self.engine
        guard let document = await documents.snapshot(uri) else { throw ServerError.documentNotOpen(uri: uri) }
        let cursor = document.offset(of: LineColumn(position), in: positionEncoding)
        let retryProgress = invoked ? RetryProgress(server: self, requestID: id, clientToken: workDoneToken) : nil
        defer { retryProgress?.finish() }
        do {
            return try await completions.complete(
                CompletionQuery(document: document, cursor: cursor, invoked: invoked), engine: engine
            ) { [self] event in
                switch event {
                case .notice(let text): showMessageOnce(.warning, text)
                case .retrying: retryProgress?.report(event)
                default: break
                }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as EngineError {
            logger.warning("Inline completion failed: \(error.description)")
            showMessageOnce(.warning, "k2lsp completion: \(error.description)")
            return nil
        }
    }
}

/// Progress for a request that normally shows none: begun only when the first retry is reported, so a completion
/// that answers at once sends no `$/progress` at all. Events are rendered in order by one task.
final class RetryProgress: Sendable {
    private let events: AsyncStream<EngineEvent>.Continuation

    init(server: LanguageServer, requestID: RequestID, clientToken: ProgressToken?) {
        let (stream, continuation) = AsyncStream.makeStream(of: EngineEvent.self)
        events = continuation
        Task {
            var reporter: ProgressReporter?
            for await event in stream {
                if reporter == nil {
                    reporter = await ProgressReporter.start(
                        server: server, requestID: requestID, title: "K2: completion", clientToken: clientToken)
                }
                reporter?.events(event)
            }
            reporter?.finish()
        }
    }

    func report(_ event: EngineEvent) { events.yield(event) }

    func finish() { events.finish() }
}
