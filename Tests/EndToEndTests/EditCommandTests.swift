// k2/edit and the k2.* commands end to end: the binary, a scripted K2, fixture documents with markers.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

@Suite(.serialized) struct EditCommandTests {
    /// The single TextEdit of a versioned documentChanges result.
    private func onlyEdit(_ result: JSONValue) throws -> (range: JSONValue, newText: String, version: JSONValue?) {
        let changes = try #require(result["edit"]?["documentChanges"]?.arrayValue)
        #expect(changes.count == 1)
        let edits = try #require(changes.first?["edits"]?.arrayValue)
        #expect(edits.count == 1)
        let edit = try #require(edits.first)
        return (try #require(edit["range"]), try #require(edit["newText"]?.stringValue), changes.first?["textDocument"]?["version"])
    }

    private func range(_ startLine: Int, _ startCharacter: Int, _ endLine: Int, _ endCharacter: Int) -> JSONValue {
        ["start": ["line": .int(startLine), "character": .int(startCharacter)],
         "end": ["line": .int(endLine), "character": .int(endCharacter)]]
    }

    @Test func wholeLineEdit() async throws {
        let marked = MarkedText("let a = 1\n$0let b = 2\n$0let c = 3\n")
        let session = try await EditorSession.start(files: ["Sources/App/main.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("Sources/App/main.swift", version: 3)
        session.model.enqueue(.text("```swift\nlet b = 20\n```\nChanged b to 20."))
        let result = try await session.client.call(
            "k2/edit", ["textDocument": ["uri": .string(uri), "version": 3], "range": marked.range, "instruction": "make b 20"])
        let edit = try onlyEdit(result)
        #expect(edit.range == range(1, 9, 1, 9))
        #expect(edit.newText == "0")
        #expect(edit.version == 3)
        #expect(result["summary"] == "Changed b to 20.")
        #expect(result["model"] == "kimi-k2.6")
        #expect(result["usage"]?["promptTokens"] == 12)
        let body = try #require(session.model.chatRequests.first?.json)
        #expect(body["model"] == "kimi-k2.6")
        #expect(body["stream"] == true)
        #expect(body["temperature"] == nil)
        #expect(body["thinking"] == ["type": "disabled"])
        #expect(body["max_completion_tokens"] == 8192)
        #expect(body["stream_options"]?["include_usage"] == true)
        let user = body["messages"]?[1]?["content"]?.stringValue ?? ""
        #expect(user.contains("Instruction: make b 20"))
        #expect(user.contains("let b = 2"))
        #expect(session.model.chatRequests.first?.header("Authorization") == "Bearer \(EditorSession.testKey)")
    }

    @Test func partialLineEditAfterAnEmojiUsesUTF16Positions() async throws {
        let marked = MarkedText("let greeting = \"🎉 \" + $0name$0 + \"!\"\n")
        let session = try await EditorSession.start(files: ["main.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("main.swift")
        session.model.enqueue(.text("```swift\nfullName\n```"))
        let result = try await session.client.call(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": marked.range, "instruction": "use fullName"])
        let edit = try onlyEdit(result)
        // The emoji is two UTF-16 units: `name` starts at character 23. The block's newline is not inserted.
        #expect(marked.positions[0].character == 23)
        #expect(edit.newText == "fullN")
        #expect(edit.range == range(0, 23, 0, 24))
    }

    @Test func searchReplaceWithShiftedIndentation() async throws {
        let source = """
            struct Counter {
                var count = 0
                mutating func increment() {
                    count += 1
                }
            }

            """
        let session = try await EditorSession.start(files: ["Counter.swift": source])
        defer { Task { await session.finish() } }
        let uri = try session.open("Counter.swift")
        // The model drops one level of indentation in SEARCH and REPLACE alike.
        session.model.enqueue(.text("""
            Counter.swift
            <<<<<<< SEARCH
            mutating func increment() {
                count += 1
            }
            =======
            mutating func increment(by step: Int = 1) {
                count += step
            }
            >>>>>>> REPLACE

            Added a step parameter.
            """))
        let result = try await session.client.call(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": range(2, 4, 2, 4), "instruction": "add a step"])
        let changes = try #require(result["edit"]?["documentChanges"]?.arrayValue)
        let edits = try #require(changes.first?["edits"]?.arrayValue)
        var text = source
        for edit in edits.reversed() { text = try apply(edit, to: text) }
        #expect(text == """
            struct Counter {
                var count = 0
                mutating func increment(by step: Int = 1) {
                    count += step
                }
            }

            """)
        #expect(result["summary"] == "Added a step parameter.")
        let body = try #require(session.model.chatRequests.first?.json)
        #expect(body["tools"]?[0]?["function"]?["name"] == "edit_file")
    }

    @Test func ambiguousMatchIsRefusedAfterTheRepairRounds() async throws {
        let source = "func a() {\n    reset()\n}\nfunc b() {\n    reset()\n}\n"
        let session = try await EditorSession.start(files: ["R.swift": source])
        defer { Task { await session.finish() } }
        let uri = try session.open("R.swift")
        let ambiguous = "R.swift\n<<<<<<< SEARCH\n    reset()\n=======\n    clear()\n>>>>>>> REPLACE\n"
        // The first reply and two repair rounds (edit.repair_rounds defaults to 2).
        for _ in 0..<3 { session.model.enqueue(.text(ambiguous)) }
        let response = try await session.client.request(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": range(0, 0, 0, 0), "instruction": "rename reset"])
        #expect(response.errorCode == -32803)
        #expect(response.errorMessage?.contains("nothing was changed") == true)
        #expect(response.errorMessage?.contains("matches 2 places") == true)
        #expect(session.model.chatRequests.count == 3)
        let repair = session.model.chatRequests[1].json?["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
        #expect(repair.contains("could not be applied"))
        #expect(try await session.client.call("k2/viewDocument", ["textDocument": ["uri": .string(uri)]])["text"] == .string(source))
    }

    @Test func repairRoundSucceeds() async throws {
        let source = "let x = compute()\nprint(x)\n"
        let session = try await EditorSession.start(files: ["x.swift": source])
        defer { Task { await session.finish() } }
        let uri = try session.open("x.swift")
        session.model.enqueue(.text("x.swift\n<<<<<<< SEARCH\nlet y = compute()\n=======\nlet x = try compute()\n>>>>>>> REPLACE\n"))
        session.model.enqueue(.text("x.swift\n<<<<<<< SEARCH\nlet x = compute()\n=======\nlet x = try compute()\n>>>>>>> REPLACE\n"))
        let result = try await session.client.call(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": range(0, 0, 0, 0), "instruction": "add try"])
        let edit = try onlyEdit(result)
        #expect(edit.newText == "try ")
        #expect(edit.range == range(0, 8, 0, 8))
        #expect(session.model.chatRequests.count == 2)
        let secondMessages = session.model.chatRequests[1].json?["messages"]?.arrayValue ?? []
        #expect(secondMessages.count == 4)
        #expect(secondMessages[2]["role"] == "assistant")
        #expect(secondMessages[3]["content"]?.stringValue?.contains("let x = compute()") == true)
    }

    @Test func executeCommandAppliesThroughApplyEdit() async throws {
        let marked = MarkedText("func f() {\n$0    return 1\n$0}\n")
        let session = try await EditorSession.start(files: ["f.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("f.swift", version: 7)
        session.model.enqueue(.text("```swift\n    return 2\n```"))
        let result = try await session.client.call(
            "workspace/executeCommand",
            ["command": "k2.edit", "arguments": [["textDocument": ["uri": .string(uri), "version": 7], "range": marked.range, "instruction": "return 2"]]])
        #expect(result["applied"] == true)
        let applyRequests = session.client.serverRequests("workspace/applyEdit")
        #expect(applyRequests.count == 1)
        let documentChanges = applyRequests.first?["edit"]?["documentChanges"]
        #expect(documentChanges?[0]?["textDocument"]?["version"] == 7)
        #expect(documentChanges?[0]?["edits"]?[0]?["newText"] == "2")
        #expect(applyRequests.first?["label"] == "K2: edit")
    }

    @Test func editorRefusalIsReported() async throws {
        let marked = MarkedText("$0a$0\n")
        let session = try await EditorSession.start(files: ["a.txt": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.txt", languageID: "plaintext")
        session.client.respondToServerRequests { method, _ in
            method == "workspace/applyEdit" ? .success(["applied": false, "failureReason": "buffer is read-only"]) : nil
        }
        session.model.enqueue(.text("```\nb\n```"))
        let result = try await session.client.call(
            "workspace/executeCommand",
            ["command": "k2.refactor", "arguments": [["textDocument": ["uri": .string(uri)], "range": marked.range]]])
        #expect(result["applied"] == false)
        #expect(result["failureReason"] == "buffer is read-only")
    }

    @Test(arguments: [JSONValue.bool(true), .null, .string("ok"), ["applied": "yes"]])
    func anAnswerToApplyEditThatIsNotAResultMeansNotApplied(_ answer: JSONValue) async throws {
        let marked = MarkedText("$0a$0\n")
        let session = try await EditorSession.start(files: ["a.txt": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.txt", languageID: "plaintext")
        session.client.respondToServerRequests { method, _ in method == "workspace/applyEdit" ? .success(answer) : nil }
        session.model.enqueue(.text("```\nb\n```"))
        // The editor's mistake, not k2lsp's: not an internal error (-32603), but "not applied" with the reason.
        let result = try await session.client.call(
            "workspace/executeCommand",
            ["command": "k2.refactor", "arguments": [["textDocument": ["uri": .string(uri)], "range": marked.range]]])
        #expect(result["applied"] == false)
        #expect(result["failureReason"]?.stringValue?.contains("workspace/applyEdit") == true)
        #expect(result["edit"]?["documentChanges"] != nil)
    }

    @Test func editInstructionIsRequiredAndCheckedBeforeAnyModelCall() async throws {
        let session = try await EditorSession.start(files: ["a.swift": "let a = 1\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("a.swift")
        let response = try await session.client.request(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": range(0, 0, 0, 9)])
        #expect(response.errorCode == -32602)
        #expect(response.errorMessage?.contains("instruction") == true)
        #expect(session.model.recordedRequests.isEmpty)
    }

    @Test func explainReturnsMarkdownAndShowsItAsACommand() async throws {
        let marked = MarkedText("$0let total = items.reduce(0, +)$0\n")
        let session = try await EditorSession.start(files: ["t.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("t.swift")
        session.model.enqueue(.text("Sums **items**."))
        let result = try await session.client.call(
            "k2/explain", ["textDocument": ["uri": .string(uri)], "range": marked.range])
        #expect(result["markdown"] == "Sums **items**.")
        session.model.enqueue(.text("Adds them up."))
        _ = try await session.client.call(
            "workspace/executeCommand",
            ["command": "k2.explain", "arguments": [["textDocument": ["uri": .string(uri)], "range": marked.range]]])
        let shown = try await session.client.waitForNotification("window/showMessage") { $0["message"] == "Adds them up." }
        #expect(shown["type"] == 3)
    }

    @Test func progressIsReportedUnderTheClientToken() async throws {
        let marked = MarkedText("$0x$0\n")
        let session = try await EditorSession.start(files: ["p.txt": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("p.txt", languageID: "plaintext")
        session.model.enqueue(.text("```\ny\n```"))
        _ = try await session.client.call(
            "k2/edit",
            ["textDocument": ["uri": .string(uri)], "range": marked.range, "instruction": "y", "workDoneToken": "tok-1"])
        let progress = session.client.notifications("$/progress").filter { $0["token"] == "tok-1" }
        let kinds = progress.compactMap { $0["value"]?["kind"]?.stringValue }
        #expect(kinds.first == "begin")
        #expect(kinds.last == "end")
        #expect(kinds.contains("report"))
        let messages = progress.compactMap { $0["value"]?["message"]?.stringValue }
        #expect(messages.contains { $0.hasPrefix("Gathering context") })
        #expect(messages.contains { $0.hasPrefix("Waiting for K2") })
    }

    @Test func withoutATokenTheServerCreatesOneAndCancellingItCancelsTheRequest() async throws {
        let marked = MarkedText("$0x$0\n")
        let session = try await EditorSession.start(files: ["p.txt": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("p.txt", languageID: "plaintext")
        session.model.enqueue(.streamThenStall([.roleDelta]))
        let id = session.client.sendRequest(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": marked.range, "instruction": "y"])
        let created = try await session.client.waitForNotificationOrRequest("window/workDoneProgress/create")
        let token = try #require(created["token"])
        _ = try await session.client.waitForNotification("$/progress") { $0["token"] == token && $0["value"]?["kind"] == "begin" }
        #expect(await session.model.waitForRequests(count: 1))
        session.client.notify("window/workDoneProgress/cancel", ["token": token])
        let response = try await session.client.response(to: id)
        #expect(response.errorCode == -32800)
        #expect(await session.model.connectionClosedInstant(forRequestAt: 0, timeout: .seconds(20)) != nil)
    }
}

/// Applies one LSP TextEdit (UTF-16 positions) to a text.
func apply(_ edit: JSONValue, to text: String) throws -> String {
    func offset(_ position: JSONValue?) throws -> String.Index {
        let line = try #require(position?["line"]?.intValue)
        let character = try #require(position?["character"]?.intValue)
        var index = text.startIndex
        for _ in 0..<line {
            guard let newline = text[index...].firstIndex(of: "\n") else { return text.endIndex }
            index = text.index(after: newline)
        }
        let utf16 = text.utf16
        let start = index.samePosition(in: utf16) ?? utf16.startIndex
        let target = utf16.index(start, offsetBy: character, limitedBy: utf16.endIndex) ?? utf16.endIndex
        return target.samePosition(in: text) ?? text.endIndex
    }
    let start = try offset(edit["range"]?["start"])
    let end = try offset(edit["range"]?["end"])
    return String(text[..<start]) + (edit["newText"]?.stringValue ?? "") + String(text[end...])
}
