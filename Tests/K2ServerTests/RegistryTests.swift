// The registry is the mechanism: every entry has a handler, the capabilities follow from it, and each k2.* command
// is scheduled as the request it runs.
import AnyJSON
import JSONRPC
import LSP
import Testing

@testable import K2Server

@Suite struct RegistryTests {
    @Test func everyRegistryEntryHasAHandlerAndEveryHandlerAnEntry() {
        #expect(MessageRegistry.lsp.problems.isEmpty, "\(MessageRegistry.lsp.problems)")
        #expect(LanguageServer.dispatchTable.problems.isEmpty, "\(LanguageServer.dispatchTable.problems)")
    }

    @Test func capabilitiesAreDerivedFromTheRegistry() throws {
        let registry = MessageRegistry.lsp
        let capabilities = ServerCapabilities(registry: registry, positionEncoding: "utf-16")
        func has(_ type: Any.Type) -> Bool { registry.incoming.contains { $0.describes(type) } }
        #expect((capabilities.inlineCompletionProvider == true) == has(InlineCompletionRequest.self))
        #expect((capabilities.completionProvider != nil) == has(CompletionRequest.self))
        #expect((capabilities.codeActionProvider?.resolveProvider == true) == has(CodeActionResolveRequest.self))
        #expect(capabilities.textDocumentSync.change == .incremental)
        #expect(capabilities.executeCommandProvider?.commands == K2CommandName.allCases.map(\.rawValue))
        let kinds = try #require(capabilities.codeActionProvider?.codeActionKinds)
        #expect(Set(kinds) == Set(K2CommandName.allCases.compactMap(\.codeActionKind)))
        #expect(kinds.count == Set(kinds).count)
        let k2 = try #require(capabilities.experimental?["k2"])
        let advertised = registry.incoming.filter { $0.kind == .request && $0.method.hasPrefix("k2/") && $0.advertised }
        #expect(k2["requests"] == .array(advertised.map { .string($0.method) }))
        #expect(k2["notifications"] == ["k2/toolCall"])
        // Removing a request from the registry removes its capability.
        let smaller = MessageRegistry(
            incoming: registry.incoming.filter { !$0.describes(InlineCompletionRequest.self) && !$0.describes(K2AgentRequest.self) },
            outgoing: registry.outgoing)
        let reduced = ServerCapabilities(registry: smaller, positionEncoding: "utf-16")
        #expect(reduced.inlineCompletionProvider == nil)
        #expect(reduced.experimental?["k2"]?["requests"]?.arrayValue?.contains("k2/agent") == false)
    }

    @Test(arguments: K2CommandName.allCases)
    func eachCommandIsScheduledAsTheRequestItRuns(_ command: K2CommandName) throws {
        let uri = "file:///tmp/a.swift"
        let argument: JSONValue = ["textDocument": ["uri": .string(uri)], "range": [:], "instruction": "x"]
        let request = try JSONValue.object(["command": .string(command.rawValue), "arguments": [argument]])
            .decode(ExecuteCommandRequest.self)
        let expected = try #require(MessageRegistry.lsp.scheduling(of: command.equivalentRequest))
        if case .readsResource = expected {
            #expect(request.scheduling == ResolvedScheduling(expected, resource: uri))
        } else {
            #expect(request.scheduling == ResolvedScheduling(expected))
        }
        let resolve = CodeActionResolveRequest(
            action: CodeAction(title: "t", kind: nil, data: ["command": .string(command.rawValue), "argument": argument]))
        #expect(resolve.scheduling == request.scheduling)
    }

    @Test func everyDocumentRequestSaysWhatAChangeDoesToIt() {
        // The classes the LSP front end relies on: edits rebase, completions are superseded, reads are stale.
        let registry = MessageRegistry.lsp
        #expect(registry.scheduling(of: K2EditRequest.self) == .readsResource(.rebase))
        #expect(registry.scheduling(of: InlineCompletionRequest.self) == .readsResource(.supersede))
        #expect(registry.scheduling(of: CompletionRequest.self) == .readsResource(.supersede))
        #expect(registry.scheduling(of: DidChangeTextDocumentNotification.self) == .updatesResource)
        #expect(registry.scheduling(of: CancelRequestNotification.self) == .cancelsRequest)
        #expect(registry.scheduling(of: ExecuteCommandRequest.self) == .perMessage)
    }
}
