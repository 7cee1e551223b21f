// textDocument/inlineCompletion and the textDocument/completion fallback.
import Foundation
import K2Engine
import K2Workspace
import LSP

extension LanguageServer {
    func inlineCompletion(_ request: InlineCompletionRequest) async throws -> InlineCompletionList {
        guard let outcome = try await completion(
            uri: request.textDocument.uri, position: request.position, invoked: request.context?.triggerKind == .invoked)
        else { return InlineCompletionList(items: []) }
        let range = Range(start: request.position, end: request.position)
        return InlineCompletionList(items: [InlineCompletionItem(insertText: outcome.text, range: range)])
    }

    /// For clients without inline completion: one item whose text edit inserts the suggestion at the cursor.
    func completionFallback(_ request: CompletionRequest) async throws -> CompletionList {
        guard let outcome = try await completion(
            uri: request.textDocument.uri, position: request.position, invoked: request.context?.triggerKind == .invoked)
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
    /// would flood the editor.
    private func completion(uri: String, position: Position, invoked: Bool) async throws -> CompletionOutcome? {
        let engine = try self.engine
        guard let document = await documents.snapshot(uri) else { throw ServerError.documentNotOpen(uri: uri) }
        let cursor = document.offset(of: LineColumn(position), in: positionEncoding)
        do {
            return try await completions.complete(
                CompletionQuery(document: document, cursor: cursor, invoked: invoked), engine: engine
            ) { [self] event in
                // Completions show no progress; a notice (a rate limit explained) is shown once.
                if case .notice(let text) = event { showMessageOnce(.warning, text) }
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
