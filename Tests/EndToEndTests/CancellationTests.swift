// Cancellation and staleness through the binary: harmless cancels, ids reused after a late cancel, stale versions.
// What a change does to requests in flight, and cancellation closing the model's stream, are tested on the
// in-process server (Tests/K2ServerTests), where they need no timing.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

@Suite(.serialized) struct CancellationTests {
    @Test func cancelOfAQueuedOrFinishedRequestIsHarmless() async throws {
        let session = try await EditorSession.start()
        defer { Task { await session.finish() } }
        session.client.notify("$/cancelRequest", ["id": 9999])
        session.client.notify("$/cancelRequest", ["id": "unknown"])
        session.client.notify("$/cancelRequest", [:])
        #expect(try await session.client.request("shutdown").value == .null)
    }

    @Test func aLateCancelDoesNotPoisonItsIdForALaterRequest() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        let uri = "file:///tmp/late-cancel.txt"
        client.openDocument(uri: uri, text: "x", languageID: "plaintext")
        let view: JSONValue = ["textDocument": ["uri": .string(uri)]]
        client.send(.request(id: .number(900), method: "k2/viewDocument", params: view))
        #expect(try await client.response(to: .number(900)).value?["text"] == "x")
        client.notify("$/cancelRequest", ["id": 900])
        // Ids are the client's to reuse once answered; the late cancellation must not be kept for the next one.
        client.send(.request(id: .number(900), method: "k2/viewDocument", params: view))
        _ = try await client.call("k2/viewDocument", view)
        let answers = client.responses(to: .number(900))
        #expect(answers.count == 2)
        #expect(answers.allSatisfy { $0.value?["text"] == "x" })
        client.terminate()
    }

    @Test func staleVersionInTheRequestIsRefused() async throws {
        let session = try await EditorSession.start(files: ["v.swift": "let v = 1\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("v.swift", version: 5)
        let response = try await session.client.request(
            "k2/edit",
            ["textDocument": ["uri": .string(uri), "version": 4],
             "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 3]], "instruction": "x"])
        #expect(response.errorCode == -32801)
        #expect(session.model.recordedRequests.isEmpty)
    }
}
