// Cancellation and staleness: $/cancelRequest overtakes the queue and closes the model's stream; a didChange
// makes an in-flight edit stale (rebased when untouched, -32801 otherwise).
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

@Suite(.serialized) struct CancellationTests {
    @Test func cancelAnswersWithin100msAndClosesTheUpstreamConnection() async throws {
        let marked = MarkedText("$0let a = 1$0\n")
        let session = try await EditorSession.start(files: ["c.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("c.swift")
        session.model.enqueue(.streamThenStall([.roleDelta, .content("```swift\nlet")]))
        let id = session.client.sendRequest(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": marked.range, "instruction": "change"])
        #expect(await session.model.waitForRequests(count: 1))
        try await Task.sleep(for: .milliseconds(100))
        let cancelledAt = ContinuousClock.now
        session.client.notify("$/cancelRequest", ["id": id.jsonValue])
        let response = try await session.client.response(to: id)
        let elapsed = ContinuousClock.now - cancelledAt
        #expect(response.errorCode == -32800)
        #expect(elapsed < .milliseconds(100), "cancellation took \(elapsed)")
        let closed = await session.model.connectionClosedInstant(forRequestAt: 0, timeout: .seconds(2))
        #expect(closed != nil)
        if let closed { #expect(closed - cancelledAt < .milliseconds(250)) }
        // Exactly one reply, and the server keeps serving.
        try await Task.sleep(for: .milliseconds(100))
        #expect(session.client.responses(to: id).count == 1)
        #expect(try await session.client.call("k2/viewDocument", ["textDocument": ["uri": .string(uri)]])["version"] == 1)
    }

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

    private func slowEdit(_ session: EditorSession, uri: String, range: JSONValue) -> RequestID {
        session.model.enqueue(
            .delayed(.milliseconds(400), .text("```swift\nlet b = 20\n```")))
        return session.client.sendRequest(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": range, "instruction": "b = 20"])
    }

    private func change(_ session: EditorSession, _ uri: String, version: Int, line: Int, text: String) {
        session.client.notify(
            "textDocument/didChange",
            ["textDocument": ["uri": .string(uri), "version": .int(version)],
             "contentChanges": [["range": ["start": ["line": .int(line), "character": 0], "end": ["line": .int(line), "character": 0]], "text": .string(text)]]])
    }

    @Test func editIsRebasedWhenTheUserChangedOtherLines() async throws {
        let marked = MarkedText("let a = 1\n\n\n$0let b = 2\n$0\n\nlet z = 0\n")
        let session = try await EditorSession.start(files: ["s.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("s.swift")
        let id = slowEdit(session, uri: uri, range: marked.range)
        #expect(await session.model.waitForRequests(count: 1))
        change(session, uri, version: 2, line: 0, text: "// header\n// more\n")
        let result = try await session.client.response(to: id)
        let changes = try #require(result.value?["edit"]?["documentChanges"]?.arrayValue)
        #expect(changes.first?["textDocument"]?["version"] == 2)
        let edit = try #require(changes.first?["edits"]?[0])
        #expect(edit["range"]?["start"]?["line"] == 5)
        #expect(edit["newText"] == "0")
    }

    @Test func editFailsWithContentModifiedWhenTheUserChangedTheEditedLines() async throws {
        let marked = MarkedText("let a = 1\n$0let b = 2\n$0let c = 3\n")
        let session = try await EditorSession.start(files: ["s.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("s.swift")
        let id = slowEdit(session, uri: uri, range: marked.range)
        #expect(await session.model.waitForRequests(count: 1))
        change(session, uri, version: 2, line: 1, text: "// touched\n")
        let response = try await session.client.response(to: id)
        #expect(response.errorCode == -32801)
    }

    @Test func clientsThatRetryGetContentModifiedAtOnce() async throws {
        var capabilities = EditorSession.fullCapabilities
        if case .object(var root) = capabilities, case .object(var general)? = root["general"] {
            general["staleRequestSupport"] = ["cancel": true, "retryOnContentModified": ["k2/edit"]]
            root["general"] = .object(general)
            capabilities = .object(root)
        }
        let marked = MarkedText("$0let b = 2$0\n")
        let session = try await EditorSession.start(files: ["s.swift": marked.text], capabilities: capabilities)
        defer { Task { await session.finish() } }
        let uri = try session.open("s.swift")
        session.model.enqueue(.streamThenStall([.roleDelta]))
        let id = session.client.sendRequest(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": marked.range, "instruction": "x"])
        #expect(await session.model.waitForRequests(count: 1))
        let changedAt = ContinuousClock.now
        change(session, uri, version: 2, line: 1, text: "let c = 3\n")
        let response = try await session.client.response(to: id)
        #expect(response.errorCode == -32801)
        #expect(ContinuousClock.now - changedAt < .milliseconds(500))
        #expect(await session.model.connectionClosedInstant(forRequestAt: 0, timeout: .seconds(2)) != nil)
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
