// The capabilities k2lsp advertises, derived from the message registry and the command list.
import AnyJSON
import JSONRPC

extension ServerCapabilities {
    /// A provider is advertised exactly when its request is in `registry`; the commands, code action kinds and
    /// `experimental.k2` lists come from `K2CommandName` and the registry's `k2/*` entries.
    public init(registry: MessageRegistry, positionEncoding: String) {
        func handles(_ type: Any.Type) -> Bool { registry.incoming.contains { $0.describes(type) } }
        var codeActionKinds: [CodeActionKind] = []
        for kind in K2CommandName.allCases.compactMap(\.codeActionKind) where !codeActionKinds.contains(kind) {
            codeActionKinds.append(kind)
        }
        let k2Requests = registry.incoming.filter { $0.kind == .request && $0.advertised && $0.method.hasPrefix("k2/") }
        let k2Notifications = registry.outgoing.filter { $0.kind == .notification && $0.method.hasPrefix("k2/") }
        self.init(
            positionEncoding: positionEncoding,
            textDocumentSync: .init(
                openClose: handles(DidOpenTextDocumentNotification.self) && handles(DidCloseTextDocumentNotification.self),
                change: handles(DidChangeTextDocumentNotification.self) ? .incremental : .none,
                save: handles(DidSaveTextDocumentNotification.self) ? .init(includeText: false) : nil),
            inlineCompletionProvider: handles(InlineCompletionRequest.self) ? true : nil,
            completionProvider: handles(CompletionRequest.self) ? .init(resolveProvider: false) : nil,
            codeActionProvider: handles(CodeActionRequest.self)
                ? .init(codeActionKinds: codeActionKinds, resolveProvider: handles(CodeActionResolveRequest.self)) : nil,
            executeCommandProvider: handles(ExecuteCommandRequest.self)
                ? .init(commands: K2CommandName.allCases.map(\.rawValue)) : nil,
            workspace: handles(DidChangeWorkspaceFoldersNotification.self)
                ? .init(workspaceFolders: .init(supported: true, changeNotifications: true)) : nil,
            experimental: [
                "k2": [
                    "requests": .array(k2Requests.map { .string($0.method) }),
                    "notifications": .array(k2Notifications.map { .string($0.method) }),
                ]
            ])
    }
}
