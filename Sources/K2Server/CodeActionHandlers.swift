// textDocument/codeAction and codeAction/resolve: K2 actions for a selection and a fix per diagnostic.
import AnyJSON
import Foundation
import JSONRPC
import K2Engine
import LSP

extension LanguageServer {
    /// The actions. Each carries its command and argument in `data`, so `codeAction/resolve` can compute the edit
    /// later — even after a server restart — without server-side state.
    func codeActions(_ request: CodeActionRequest) async throws -> [CodeActionOrCommand] {
        let uri = request.textDocument.uri
        diagnostics.merge(request.context.diagnostics, for: uri)
        let version = await documents.version(of: uri)
        let features = self.features
        let only = request.context.only
        func wanted(_ kind: CodeActionKind) -> Bool {
            guard let only, !only.isEmpty else { return true }
            return only.contains { $0.contains(kind) }
        }
        func argument(range: Range, instruction: String?, diagnostics: [Diagnostic]?) -> JSONValue {
            let params = K2EditParams(
                textDocument: .init(uri: uri, version: version), range: range, instruction: instruction,
                diagnostics: diagnostics)
            return (try? JSONValue(encoding: params)) ?? .null
        }
        var results: [CodeActionOrCommand] = []
        func add(title: String, command: K2CommandName, argument: JSONValue, diagnostics: [Diagnostic]? = nil,
                 preferred: Bool? = nil)
        {
            guard let kind = command.codeActionKind, wanted(kind) else { return }
            let lspCommand = Command(title: title, command: command.rawValue, arguments: [argument])
            guard features.codeActionLiterals else {
                results.append(.command(lspCommand))
                return
            }
            // Explain shows text, it has no edit: always a command. Edits resolve lazily where the client can.
            if command != .explain, features.codeActionResolvesEdit, features.codeActionData {
                results.append(
                    .action(
                        CodeAction(
                            title: title, kind: kind, diagnostics: diagnostics, isPreferred: preferred,
                            data: ["command": .string(command.rawValue), "argument": argument])))
            } else {
                results.append(
                    .action(
                        CodeAction(title: title, kind: kind, diagnostics: diagnostics, isPreferred: preferred, command: lspCommand)))
            }
        }
        let range = request.range
        if range.start != range.end {
            add(title: "K2: Refactor selection", command: .refactor,
                argument: argument(range: range, instruction: nil, diagnostics: nil))
            add(title: "K2: Document selection", command: .document,
                argument: argument(range: range, instruction: nil, diagnostics: nil))
            add(title: "K2: Write tests for selection", command: .tests,
                argument: argument(range: range, instruction: nil, diagnostics: nil))
            add(title: "K2: Explain selection", command: .explain,
                argument: argument(range: range, instruction: nil, diagnostics: nil))
        }
        for diagnostic in request.context.diagnostics {
            let message = diagnostic.message.split(separator: "\n").first.map(String.init) ?? diagnostic.message
            let title = "K2: fix \(message.count > 80 ? String(message.prefix(77)) + "…" : message)"
            add(title: title, command: .fix,
                argument: argument(range: diagnostic.range, instruction: nil, diagnostics: [diagnostic]),
                diagnostics: [diagnostic], preferred: false)
        }
        return results
    }

    /// Computes the edit of an action from its `data`.
    func resolveCodeAction(_ action: CodeAction, context: RequestContext) async throws -> CodeAction {
        guard let data = action.data, let commandName = data["command"]?.stringValue,
            let command = K2CommandName(rawValue: commandName), let argument = data["argument"]
        else {
            throw ServerError.invalidParams("This code action was not made by k2lsp (its 'data' has no k2 command).")
        }
        guard let kind = command.editKind else {
            throw ServerError.invalidParams("\(command.rawValue) cannot be resolved to an edit.")
        }
        let params = try decodeParams(K2EditParams.self, from: argument, method: CodeActionResolveRequest.method)
        let result = try await runEdit(kind: kind, params: params, context: context)
        var resolved = action
        resolved.edit = result.edit
        return resolved
    }
}
