// Bad input never kills the server: each kind gets its error and the next message is served.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

@Suite(.serialized) struct ProtocolErrorTests {
    private func framed(_ body: String) -> Data { FrameWriter.frame(Data(body.utf8)) }

    /// Sends raw bytes, then checks the server still answers a normal request.
    private func expectStillServing(_ client: LSPTestClient) async throws {
        let result = try await client.request("shutdown")
        #expect(result.value == .null)
    }

    @Test func invalidJSONGetsParseErrorWithNullID() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        client.sendRaw(framed(#"{"jsonrpc":"2.0","id":99,"method":"#))
        let error = try await client.response(to: nil)
        #expect(error.errorCode == -32700)
        try await expectStillServing(client)
    }

    @Test(arguments: [#"[1,2,3]"#, #"17"#, #"{"jsonrpc":"2.0","id":5,"method":7}"#])
    func nonMessagesAreInvalidRequests(body: String) async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        client.sendRaw(framed(body))
        let id: RequestID? = body.contains("\"id\":5") ? .number(5) : nil
        #expect(try await client.response(to: id).errorCode == -32600)
        try await expectStillServing(client)
    }

    @Test func unknownMethodsAndNotifications() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        let unknown = try await client.request("textDocument/hover", ["textDocument": ["uri": "file:///x"], "position": ["line": 0, "character": 0]])
        #expect(unknown.errorCode == -32601)
        client.notify("some/unknownNotification", ["x": 1])
        client.notify("$/someExtension", nil)
        try await expectStillServing(client)
    }

    @Test func wrongParamsNameTheField() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        let missing = try await client.request("k2/viewDocument", ["textDocument": [:]])
        #expect(missing.errorCode == -32602)
        #expect(missing.errorMessage?.contains("textDocument.uri") == true)
        let wrongType = try await client.request("k2/viewDocument", ["textDocument": ["uri": 5]])
        #expect(wrongType.errorCode == -32602)
        #expect(wrongType.errorMessage?.contains("textDocument.uri") == true)
        try await expectStillServing(client)
    }

    @Test func oversizedMessageIsRefusedAndTheReaderResynchronises() async throws {
        let client = try LSPTestClient(arguments: ["serve", "--max-message-bytes", "4096"])
        try await client.initialize()
        let huge = #"{"jsonrpc":"2.0","id":77,"method":"k2/viewDocument","params":{"pad":""# + String(repeating: "x", count: 200_000) + #""}}"#
        client.sendRaw(framed(huge))
        let refused = try await client.response(to: .number(77))
        #expect(refused.errorCode == -32600)
        #expect(refused.errorMessage?.contains("limit") == true)
        try await expectStillServing(client)
    }

    @Test func malformedHeaderIsSkipped() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        client.sendRaw(Data("Content-Length: banana\r\n\r\n{}".utf8))
        #expect(try await client.response(to: nil).errorCode == -32700)
        try await expectStillServing(client)
    }

    @Test func deeplyNestedMessagesAreRefusedAndServingGoesOn() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        // 511 nested objects in 2.4 KB used to crash the server (a recursive decode on the reader thread's stack).
        let nested = String(repeating: #"{"a":"#, count: 511) + "1" + String(repeating: "}", count: 511)
        client.sendRaw(framed(#"{"jsonrpc":"2.0","method":"$/ignored","params":"# + nested + "}"))
        #expect(try await client.response(to: nil).errorCode == -32600)
        client.sendRaw(framed(#"{"jsonrpc":"2.0","id":42,"method":"k2/viewDocument","params":"# + nested + "}"))
        let refused = try await client.response(to: .number(42))
        #expect(refused.errorCode == -32600)
        #expect(refused.errorMessage?.contains("deeper than") == true)
        try await expectStillServing(client)
    }

    @Test func loneSurrogatesAreReplacedAndTheMessageIsHandled() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        let uri = "file:///tmp/surrogate.txt"
        client.openDocument(uri: uri, text: "ab\n", languageID: "plaintext")
        // A lone high surrogate used to make the whole didChange unreadable, so the document silently diverged.
        client.sendRaw(framed(#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"\#(uri)","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":1},"end":{"line":0,"character":1}},"text":"\ud800"}]}}"#))
        client.sendRaw(framed(#"{"jsonrpc":"2.0","id":43,"method":"k2/viewDocument","params":{"textDocument":{"uri":"\#(uri)"},"note":"\udc00"}}"#))
        let view = try await client.response(to: .number(43))
        #expect(view.value?["text"] == "a\u{FFFD}b\n")
        #expect(view.value?["version"] == 2)
        try await expectStillServing(client)
    }

    @Test func anOutOfRangeNumberNamesTheFieldAndTheRange() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        client.openDocument(uri: "file:///tmp/range.txt", text: "x", languageID: "plaintext")
        client.sendRaw(framed(#"{"jsonrpc":"2.0","id":44,"method":"textDocument/inlineCompletion","params":{"textDocument":{"uri":"file:///tmp/range.txt"},"position":{"line":1e30,"character":0}}}"#))
        let response = try await client.response(to: .number(44))
        #expect(response.errorCode == -32602)
        let message = response.errorMessage ?? ""
        #expect(message.contains("'position.line'") && message.contains("out of range"), "\(message)")
        try await expectStillServing(client)
    }

    @Test func stdoutCarriesOnlyFrames() async throws {
        let client = try LSPTestClient(arguments: ["serve", "--log-level", "trace"])
        try await client.initialize()
        client.openDocument(uri: "file:///a.swift", text: "let a = 1\n")
        client.sendRaw(framed("not json"))
        _ = try await client.response(to: nil)
        #expect(try await client.shutdownAndExit() == 0)
        #expect(client.framingProblems.isEmpty)
        #expect(client.stderrText.contains("initialize"))
    }
}
