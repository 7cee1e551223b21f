// Many requests at once: every one gets exactly one reply.
import AnyJSON
import JSONRPC
import K2TestSupport
import Testing

@Suite(.serialized) struct ConcurrencyTests {
    @Test func fiftyConcurrentRequestsAreAllAnsweredOnce() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        for index in 0..<5 {
            client.openDocument(uri: "file:///tmp/doc\(index).txt", text: "document \(index)", languageID: "plaintext")
        }
        let ids = (0..<50).map { index in
            client.sendRequest("k2/viewDocument", ["textDocument": ["uri": .string("file:///tmp/doc\(index % 5).txt")]])
        }
        for (index, id) in ids.enumerated() {
            let response = try await client.response(to: id)
            #expect(response.value?["text"] == .string("document \(index % 5)"))
        }
        _ = try await client.call("shutdown")
        for id in ids { #expect(client.responses(to: id).count == 1) }
        client.notify("exit")
        #expect(try await client.waitForExit() == 0)
    }
}
