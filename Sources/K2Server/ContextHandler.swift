// k2/context: the bundle a request would send, explained item by item.
import K2Config
import K2Context
import K2Engine
import K2Workspace
import LSP

extension LanguageServer {
    func contextReport(_ request: K2ContextRequest) async throws -> K2ContextResult {
        let engine = try self.engine
        let (document, _) = try await documentForRequest(uri: request.textDocument.uri, expectedVersion: nil)
        let encoding = positionEncoding
        let selection: TextRange
        if let range = request.range {
            selection = document.textRange(of: range, encoding: encoding)
        } else {
            let offset = document.offset(of: LineColumn(request.position ?? Position(line: 0, character: 0)), in: encoding)
            selection = TextRange(offset, offset)
        }
        let taskName = request.task ?? "edit"
        guard let task = K2Task(rawValue: taskName) else {
            throw ServerError.invalidParams(
                "Unknown task '\(taskName)'; use one of \(K2Task.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let (bundle, choice) = try await engine.contextBundle(document: document, selection: selection, task: task)
        return K2ContextResult(
            model: choice.provider.model, task: task.rawValue, budgetTokens: bundle.budgetTokens,
            usedTokens: bundle.usedTokens,
            items: bundle.items.map { item in
                K2ContextItem(
                    uri: item.uri ?? FileURI.uri(fromPath: item.path), startLine: item.lineRange.lowerBound,
                    endLine: item.lineRange.upperBound, source: item.source.rawValue, reason: item.reason,
                    tokens: item.tokens, truncated: item.truncated)
            },
            skipped: bundle.skipped.map { entry in
                K2SkippedContextItem(
                    uri: entry.uri ?? entry.path, reason: entry.reason.description, tokens: entry.tokens)
            })
    }
}
