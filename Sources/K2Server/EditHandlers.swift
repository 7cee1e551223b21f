// k2/edit, k2/explain and the k2.* commands: run the engine, turn its result into LSP, apply it when asked.
import AnyJSON
import Foundation
import JSONRPC
import K2Engine
import K2Workspace
import LSP

extension LanguageServer {
    /// Runs an edit command and returns the LSP result (nothing is applied here).
    func runEdit(kind: EditKind, params: K2EditParams, context: RequestContext) async throws -> K2EditResult {
        let engine = try self.engine
        let uri = params.textDocument.uri
        let (document, path) = try await documentForRequest(uri: uri, expectedVersion: params.textDocument.version)
        let selection = document.textRange(of: params.range, encoding: positionEncoding)
        let diagnostics = (params.diagnostics ?? self.diagnostics.diagnostics(for: uri).filter {
            $0.range.start.line <= params.range.end.line && $0.range.end.line >= params.range.start.line
        }).map(diagnosticInfo)
        if kind == .fix, diagnostics.isEmpty, (params.instruction ?? "").isEmpty {
            throw ServerError.invalidParams(
                "k2.fix found no diagnostics in the range; pass them in 'diagnostics', or give an 'instruction'.")
        }
        let request = EditRequest(
            kind: kind, document: document, path: path, selection: selection, instruction: params.instruction,
            diagnostics: diagnostics)
        let progress = await ProgressReporter.start(
            server: self, requestID: context.id, title: "K2: \(kind.rawValue)", clientToken: params.workDoneToken)
        do {
            let outcome = try await engine.runEdit(request, events: progress.events)
            progress.finish(outcome.summary ?? "Done")
            let edits = try await rebaseOntoCurrentDocuments(outcome.edits)
            return K2EditResult(
                edit: try workspaceEdit(for: edits), model: outcome.model, summary: outcome.summary,
                usage: outcome.usage.lsp)
        } catch {
            progress.finish("Failed")
            throw error
        }
    }

    func runExplain(params: K2EditParams, context: RequestContext) async throws -> K2ExplainResult {
        let engine = try self.engine
        let (document, path) = try await documentForRequest(
            uri: params.textDocument.uri, expectedVersion: params.textDocument.version)
        let request = EditRequest(
            kind: .edit, document: document, path: path,
            selection: document.textRange(of: params.range, encoding: positionEncoding),
            instruction: params.instruction,
            diagnostics: diagnostics.diagnostics(for: params.textDocument.uri).map(diagnosticInfo))
        let progress = await ProgressReporter.start(
            server: self, requestID: context.id, title: "K2: explain", clientToken: params.workDoneToken)
        do {
            let outcome = try await engine.runExplain(request, events: progress.events)
            progress.finish("Done")
            return K2ExplainResult(markdown: outcome.markdown, model: outcome.model, usage: outcome.usage.lsp)
        } catch {
            progress.finish("Failed")
            throw error
        }
    }

    /// `workspace/executeCommand` for `k2.*`: computes the edit, asks the editor to apply it, reports what happened.
    func executeCommand(_ request: ExecuteCommandRequest, context: RequestContext) async throws -> JSONValue {
        guard let command = K2CommandName(rawValue: request.command) else {
            throw ServerError.invalidParams(
                "Unknown command '\(request.command)'. k2lsp runs: \(K2CommandName.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let argument = request.arguments?.first else {
            throw ServerError.invalidParams("\(command.rawValue) takes one argument object; see protocol-docs/commands.md.")
        }
        if let kind = command.editKind {
            var params = try decodeParams(K2EditParams.self, from: argument, method: command.rawValue)
            if params.workDoneToken == nil { params.workDoneToken = request.workDoneToken }
            let result = try await runEdit(kind: kind, params: params, context: context)
            let applied = try await applyEdit(result.edit, label: "K2: \(kind.rawValue)")
            return try JSONValue(encoding: result).merging(applied)
        }
        if command == .agent {
            var params = try decodeParams(K2AgentParams.self, from: argument, method: command.rawValue)
            if params.workDoneToken == nil { params.workDoneToken = request.workDoneToken }
            let result = try await runAgent(params: params, context: context)
            let applied = try await applyEdit(result.edit, label: "K2: agent")
            return try JSONValue(encoding: result).merging(applied)
        }
        var params = try decodeParams(K2EditParams.self, from: argument, method: command.rawValue)
        if params.workDoneToken == nil { params.workDoneToken = request.workDoneToken }
        let result = try await runExplain(params: params, context: context)
        showMessage(.info, result.markdown)
        return try JSONValue(encoding: result)
    }

    /// Sends `workspace/applyEdit`; returns `{applied, failureReason?}` as the client reported it.
    func applyEdit(_ edit: WorkspaceEdit, label: String) async throws -> JSONValue {
        let isEmpty = (edit.changes?.values.allSatisfy(\.isEmpty) ?? true) && (edit.documentChanges?.isEmpty ?? true)
        if isEmpty { return ["applied": true, "failureReason": "K2 suggested no change."] }
        guard features.applyEdit else {
            return [
                "applied": false,
                "failureReason": "This editor does not support workspace/applyEdit; the edit is in the 'edit' field.",
            ]
        }
        do {
            let result = try await connection.request(ApplyWorkspaceEditRequest(label: label, edit: edit))
            var value: JSONValue = ["applied": .bool(result.applied)]
            if let reason = result.failureReason { value = value.merging(["failureReason": .string(reason)]) }
            return value
        } catch let error as OutgoingRequestError {
            switch error {
            case .response(let responseError):
                return ["applied": false, "failureReason": .string(responseError.message)]
            case .invalidResponse(let reason):
                // The editor's mistake, not k2lsp's: nothing says the edit was applied, so it was not.
                logger.warning("The editor's answer to workspace/applyEdit is not an ApplyWorkspaceEditResult: \(reason)")
                return [
                    "applied": false,
                    "failureReason": .string(
                        "The editor's answer to workspace/applyEdit was not {applied: boolean} (\(reason)); treated as not applied. The edit is in the 'edit' field."),
                ]
            case .connectionClosed, .timedOut:
                throw ServerError.requestFailed("The editor closed the connection before applying the edit.")
            }
        }
    }
}

extension UsageTotals {
    var lsp: K2Usage? {
        guard promptTokens > 0 || completionTokens > 0 else { return nil }
        return K2Usage(promptTokens: promptTokens, completionTokens: completionTokens, cachedTokens: cachedTokens)
    }
}

extension JSONValue {
    /// This object with `other`'s members added (other wins); non-objects are returned unchanged.
    func merging(_ other: JSONValue) -> JSONValue {
        guard case .object(var mine) = self, case .object(let theirs) = other else { return self }
        mine.merge(theirs) { _, new in new }
        return .object(mine)
    }
}
