// k2/context: the bundle a request would send, explained item by item.
import K2Config
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
        let report = try await engine.contextReport(document: document, selection: selection, task: task)
        return K2ContextResult(
            model: report.model, task: task.rawValue, budgetTokens: report.budgetTokens, usedTokens: report.usedTokens,
            items: report.items.map {
                K2ContextItem(
                    uri: $0.uri, startLine: $0.startLine, endLine: $0.endLine, source: $0.source, reason: $0.reason,
                    tokens: $0.tokens, truncated: $0.truncated)
            },
            skipped: report.skipped.map { K2SkippedContextItem(uri: $0.uri, reason: $0.reason, tokens: $0.tokens) })
    }
}
