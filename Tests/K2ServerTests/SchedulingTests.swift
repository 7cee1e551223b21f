// What a document change does to each class of request in flight (MessageRegistry.lsp says it), and completion
// supersession. Requests are held in flight by a gated model reply, so nothing here depends on timing.
import AnyJSON
import JSONRPC
import K2TestSupport
import LSP
import Testing

@Suite struct SchedulingTests {
    static let files = ["a.swift": "let a = 1\nlet b = 2\n", "b.swift": "let c = 3\n"]

    /// One request of every class that calls the model, held in flight until `gate` opens.
    private func startOneOfEachClass(_ session: EditorSession, gate: ReplyGate) async throws
        -> (a: String, requests: [String: RequestID])
    {
        let a = try session.open("a.swift")
        let b = try session.open("b.swift")
        for _ in 0..<6 { session.model.enqueue(.afterGate(gate, .text("```swift\nlet a = 10\n```"))) }
        let selection = range(0, 0, 1, 0)
        let editParams: JSONValue = ["textDocument": ["uri": .string(a)], "range": selection, "instruction": "ten"]
        let requests: [String: RequestID] = [
            "k2/edit (rebase)": session.client.sendRequest("k2/edit", editParams),
            "k2/explain (contentModified)": session.client.sendRequest("k2/explain", editParams),
            "k2.fix (as k2/edit)": session.client.sendRequest(
                "workspace/executeCommand", ["command": "k2.fix", "arguments": [editParams]]),
            "inlineCompletion (supersede)": session.client.sendRequest(
                "textDocument/inlineCompletion",
                ["textDocument": ["uri": .string(a)], "position": ["line": 1, "character": 0], "context": ["triggerKind": 1]]),
            "k2/edit on another document": session.client.sendRequest(
                "k2/edit", ["textDocument": ["uri": .string(b)], "range": range(0, 0, 1, 0), "instruction": "x"]),
            "k2/agent (freestanding)": session.client.sendRequest("k2/agent", ["instruction": "look around"]),
        ]
        #expect(await session.model.waitForRequests(count: 6, timeout: .seconds(30)))
        return (a, requests)
    }

    @Test func aChangeCancelsExactlyWhatTheRegistrySaysForAClientThatRetries() async throws {
        let retried = MessageRegistry.lsp.incoming.filter { $0.kind == .request }.map(\.method)
        let session = try await inProcessSession(files: Self.files, retrying: retried)
        defer { Task { await session.finish() } }
        let gate = ReplyGate()
        let (a, requests) = try await startOneOfEachClass(session, gate: gate)
        session.insert("// header\n", atLine: 0, of: a, version: 2)
        try await session.barrier(a)
        let cancelled = ["k2/edit (rebase)", "k2/explain (contentModified)", "k2.fix (as k2/edit)"]
        for (name, id) in requests {
            let answers = session.client.responses(to: id)
            if cancelled.contains(name) {
                #expect(answers.count == 1 && answers.first?.errorCode == ResponseError.contentModifiedCode, "\(name)")
            } else {
                #expect(answers.isEmpty, "\(name) must not be touched by a change to a.swift")
            }
        }
        gate.open()
        for (name, id) in requests where !cancelled.contains(name) {
            #expect(try await session.client.response(to: id, timeout: .seconds(30)).value != nil, "\(name)")
        }
        for (name, id) in requests { #expect(session.client.responses(to: id).count == 1, "\(name) answered once") }
        #expect(session.replyViolations.isEmpty)
    }

    @Test func aChangeCancelsNothingAtOnceForAClientThatDoesNotRetry() async throws {
        let session = try await inProcessSession(files: Self.files)
        defer { Task { await session.finish() } }
        let gate = ReplyGate()
        let (a, requests) = try await startOneOfEachClass(session, gate: gate)
        session.insert("// footer\n", atLine: 2, of: a, version: 2)
        try await session.barrier(a)
        for (name, id) in requests { #expect(session.client.responses(to: id).isEmpty, "\(name)") }
        gate.open()
        for (name, id) in requests {
            #expect(try await session.client.response(to: id, timeout: .seconds(30)).value != nil, "\(name)")
        }
        // The edit was made for version 1 and moved onto version 2 (the change did not touch its lines).
        let edit = try #require(session.client.responses(to: requests["k2/edit (rebase)"]).first?.value)
        #expect(edit["edit"]?["documentChanges"]?[0]?["textDocument"]?["version"] == 2)
        #expect(session.replyViolations.isEmpty)
    }

    /// A `k2/edit` of the marked selection whose model reply waits until the user inserted `text` at `line`.
    private func editWhileTheUserTypes(_ marked: MarkedText, insert text: String, atLine line: Int) async throws
        -> Result<JSONValue, ResponseError>
    {
        let session = try await inProcessSession(files: ["s.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("s.swift")
        let gate = ReplyGate()
        session.model.enqueue(.afterGate(gate, .text("```swift\nlet b = 20\n```")))
        let id = session.client.sendRequest(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": marked.range, "instruction": "b = 20"])
        #expect(await session.model.waitForRequests(count: 1, timeout: .seconds(30)))
        session.insert(text, atLine: line, of: uri, version: 2)
        try await session.barrier(uri)
        gate.open()
        return try await session.client.response(to: id)
    }

    @Test func anEditIsRebasedWhenTheUserChangedOtherLines() async throws {
        let marked = MarkedText("let a = 1\n\n\n$0let b = 2\n$0\n\nlet z = 0\n")
        let result = try await editWhileTheUserTypes(marked, insert: "// header\n// more\n", atLine: 0)
        let changes = try #require(result.value?["edit"]?["documentChanges"]?.arrayValue)
        #expect(changes.first?["textDocument"]?["version"] == 2)
        let edit = try #require(changes.first?["edits"]?[0])
        #expect(edit["range"]?["start"]?["line"] == 5)
        #expect(edit["newText"] == "0")
    }

    @Test func anEditFailsWithContentModifiedWhenTheUserChangedTheEditedLines() async throws {
        let marked = MarkedText("let a = 1\n$0let b = 2\n$0let c = 3\n")
        let result = try await editWhileTheUserTypes(marked, insert: "// touched\n", atLine: 1)
        #expect(result.errorCode == ResponseError.contentModifiedCode)
    }

    @Test func aNewerCompletionSupersedesTheOlderOnTheSameDocumentAtOnce() async throws {
        let session = try await inProcessSession(files: Self.files)
        defer { Task { await session.finish() } }
        let a = try session.open("a.swift")
        let gate = ReplyGate()
        session.model.enqueue(.afterGate(gate, .text("first()")))
        session.model.enqueue(.text("second()"))
        func complete(_ character: Int) -> RequestID {
            session.client.sendRequest(
                "textDocument/inlineCompletion",
                ["textDocument": ["uri": .string(a)], "position": ["line": 1, "character": .int(character)],
                 "context": ["triggerKind": 1]])
        }
        let older = complete(0)
        #expect(await session.model.waitForRequests(count: 1, timeout: .seconds(30)))
        let newer = complete(1)
        // Answered (with no items) while the model is still working on it: the newer request superseded it.
        #expect(try await session.client.response(to: older).value == ["items": []])
        gate.open()
        #expect(try await session.client.response(to: newer).value?["items"]?[0]?["insertText"] == "second()")
        #expect(session.client.responses(to: older).count == 1)
        #expect(session.replyViolations.isEmpty)
    }
}
