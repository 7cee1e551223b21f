// k2/agent and the k2.agent command: runs the agent engine, renders its tool calls as k2/toolCall notifications and
// its progress as $/progress, and returns one WorkspaceEdit for all of its changes.
import AnyJSON
import Foundation
import JSONRPC
import K2Engine
import K2Workspace
import LSP

extension LanguageServer {
    /// Runs the agent and returns the LSP result (the `k2.agent` command applies it; `k2/agent` does not).
    func runAgent(params: K2AgentParams, context: RequestContext) async throws -> K2AgentResult {
        let engine = try self.engine
        guard !params.instruction.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ServerError.invalidParams("k2/agent needs an 'instruction': say what the agent should do.")
        }
        var document: DocumentSnapshot?
        var workspaceRoot = workspaceFolders.first
        if let uri = params.textDocument?.uri {
            let (snapshot, path) = try await documentForRequest(uri: uri, expectedVersion: nil)
            document = snapshot
            workspaceRoot = engine.workspaceRoot(containing: path)
        }
        guard let workspaceRoot else {
            throw ServerError.invalidParams(
                "k2/agent needs a workspace folder: open a folder in the editor, or pass a 'textDocument' inside one.")
        }
        let selection = document.flatMap { document in
            params.range.map { document.textRange(of: $0, encoding: positionEncoding) }
        }
        var diagnosticsByPath: [String: [DiagnosticInfo]] = [:]
        for (uri, diagnostics) in self.diagnostics.all() where !diagnostics.isEmpty {
            guard let path = FileURI.path(fromURI: uri) else { continue }
            diagnosticsByPath[path] = diagnostics.map(diagnosticInfo)
        }
        let request = AgentRequest(
            instruction: params.instruction, workspaceRoot: workspaceRoot, document: document, selection: selection,
            diagnostics: diagnosticsByPath)
        let progress = await ProgressReporter.start(
            server: self, requestID: context.id, title: "K2: agent", clientToken: params.workDoneToken)
        let events = toolCallNotifier(requestID: context.id, forwardingTo: progress.events)
        do {
            let outcome = try await engine.runAgent(request, events: events)
            progress.finish(outcome.steps.isEmpty ? "Done" : "Done (\(outcome.steps.count) tool calls)")
            let edits = try await rebaseOntoCurrentDocuments(outcome.edits)
            return K2AgentResult(
                edit: try workspaceEdit(for: edits), summary: outcome.summary,
                steps: outcome.steps.map {
                    K2AgentStep(tool: $0.tool, arguments: $0.arguments, ok: $0.ok, resultPreview: $0.resultPreview)
                },
                model: outcome.model, usage: outcome.usage.lsp)
        } catch {
            progress.finish("Failed")
            throw error
        }
    }

    /// Sends `k2/toolCall` for each tool-call event, then hands every event on (progress shows them too).
    private func toolCallNotifier(requestID: RequestID, forwardingTo next: @escaping EngineEventSink) -> EngineEventSink {
        let connection = self.connection
        return { event in
            if case .toolCall(let call) = event {
                let notification = K2ToolCallNotification(
                    requestId: requestID.jsonValue, step: call.step, tool: call.tool, arguments: call.arguments,
                    status: call.status.rawValue, resultPreview: call.resultPreview)
                connection.notify(notification)
            }
            next(event)
        }
    }
}
