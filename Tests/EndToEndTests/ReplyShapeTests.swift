// Reply shapes end to end through `k2lsp serve`: SEARCH/REPLACE blocks, diffs and refusals, with a second open,
// modified buffer whose edit must be computed from the buffer and carry its version.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite(.serialized) struct ReplyShapeTests {
    static let main = "import Helper\nprint(helper())\n"
    static let helperOnDisk = "func helper() -> Int {\n    return 1\n}\n"
    static let helperBuffer = "func helper() -> Int {\n    // not saved yet\n    return 2\n}\n"

    /// A session with main.swift open and Helper.swift open with unsaved changes at version 7.
    private func sessionWithModifiedHelper() async throws -> (EditorSession, main: String, helper: String) {
        let session = try await EditorSession.start(files: ["main.swift": Self.main, "Helper.swift": Self.helperOnDisk])
        let main = try session.open("main.swift", version: 1)
        let helper = try session.open("Helper.swift", version: 6)
        session.client.notify(
            "textDocument/didChange",
            ["textDocument": ["uri": .string(helper), "version": 7], "contentChanges": [["text": .string(Self.helperBuffer)]]])
        // The buffer is what the server has (k2/viewDocument answers after the notification is applied).
        let viewed = try await session.client.call("k2/viewDocument", ["textDocument": ["uri": .string(helper)]])
        #expect(viewed["text"] == .string(Self.helperBuffer))
        return (session, main, helper)
    }

    /// Applies the text edits of the `documentChanges` entry for `uri` to `text`; returns the entry's version too.
    private func applied(_ edit: JSONValue?, uri: String, to text: String) throws -> (text: String, version: JSONValue?) {
        let changes = try #require(edit?["documentChanges"]?.arrayValue)
        let entry = try #require(changes.first { $0["textDocument"]?["uri"] == .string(uri) }, "no edit for \(uri)")
        var result = text
        for textEdit in (entry["edits"]?.arrayValue ?? []).reversed() { result = try apply(textEdit, to: result) }
        return (result, entry["textDocument"]?["version"])
    }

    private let cursor: JSONValue = ["start": ["line": 1, "character": 0], "end": ["line": 1, "character": 0]]

    @Test func searchReplaceOnASecondModifiedBufferUsesTheBufferAndItsVersion() async throws {
        let (session, main, helper) = try await sessionWithModifiedHelper()
        defer { Task { await session.finish() } }
        session.model.enqueue(.text("""
            ./Helper.swift
            ```swift
            <<<<<<< SEARCH
                // not saved yet
                return 2
            =======
                return 3
            >>>>>>> REPLACE
            ```

            main.swift
            <<<<<<< SEARCH
            print(helper())
            =======
            print(helper() + 1)
            >>>>>>> REPLACE

            Fixed.
            """))
        let result = try await session.client.call(
            "k2/edit", ["textDocument": ["uri": .string(main)], "range": cursor, "instruction": "return 3"])
        let edited = try applied(result["edit"], uri: helper, to: Self.helperBuffer)
        #expect(edited.text == "func helper() -> Int {\n    return 3\n}\n")
        #expect(edited.version == 7)
        let editedMain = try applied(result["edit"], uri: main, to: Self.main)
        #expect(editedMain.text == "import Helper\nprint(helper() + 1)\n")
        #expect(editedMain.version == 1)
        #expect(try session.workspace.read("Helper.swift") == Self.helperOnDisk)
    }

    @Test func codeActionResolveOfASelectionAnsweredWithBlocksEditsTheOtherBuffer() async throws {
        let (session, main, helper) = try await sessionWithModifiedHelper()
        defer { Task { await session.finish() } }
        let selection: JSONValue = ["start": ["line": 1, "character": 0], "end": ["line": 2, "character": 0]]
        let actions = try #require(
            try await session.client.call(
                "textDocument/codeAction",
                ["textDocument": ["uri": .string(main)], "range": selection, "context": ["diagnostics": []]]
            ).arrayValue)
        let refactor = try #require(actions.first { $0["title"] == "K2: Refactor selection" })
        // A selection request answered with SEARCH/REPLACE blocks: the blocks apply, no marker is pasted.
        session.model.enqueue(.text("""
            <<<<<<< SEARCH
            print(helper())
            =======
            print(helper(), terminator: "")
            >>>>>>> REPLACE

            Helper.swift
            <<<<<<< SEARCH
                return 2
            =======
                return 20
            >>>>>>> REPLACE
            """))
        let resolved = try await session.client.call("codeAction/resolve", refactor)
        let editedMain = try applied(resolved["edit"], uri: main, to: Self.main)
        #expect(editedMain.text == "import Helper\nprint(helper(), terminator: \"\")\n")
        let edited = try applied(resolved["edit"], uri: helper, to: Self.helperBuffer)
        #expect(edited.text == "func helper() -> Int {\n    // not saved yet\n    return 20\n}\n")
        #expect(edited.version == 7)
    }

    @Test func aCommandAnsweredWithADiffAppliesItWithTheBuffersVersion() async throws {
        let (session, main, helper) = try await sessionWithModifiedHelper()
        defer { Task { await session.finish() } }
        session.model.enqueue(.text("""
            ```diff
            --- a/Helper.swift
            +++ b/Helper.swift
            @@ -1,4 +1,4 @@
             func helper() -> Int {
                 // not saved yet
            -    return 2
            +    return 4
             }
            ```
            """))
        let result = try await session.client.call(
            "workspace/executeCommand",
            ["command": "k2.edit", "arguments": [["textDocument": ["uri": .string(main)], "range": cursor, "instruction": "4"]]])
        #expect(result["applied"] == true)
        let request = try #require(session.client.serverRequests("workspace/applyEdit").first)
        let edited = try applied(request["edit"], uri: helper, to: Self.helperBuffer)
        #expect(edited.text == "func helper() -> Int {\n    // not saved yet\n    return 4\n}\n")
        #expect(edited.version == 7)
    }

    @Test func aBufferClosedUnsavedWhileK2WorksIsEditedOnItsDiskCopy() async throws {
        let (session, main, helper) = try await sessionWithModifiedHelper()
        defer { Task { await session.finish() } }
        session.model.enqueue(
            .delayed(
                .seconds(3),
                .text("Helper.swift\n<<<<<<< SEARCH\n    return 1\n=======\n    return 3\n>>>>>>> REPLACE\n")))
        let id = session.client.sendRequest(
            "k2/edit", ["textDocument": ["uri": .string(main)], "range": cursor, "instruction": "return 3"])
        #expect(await session.model.waitForRequests(count: 1))
        // The user closes Helper.swift without saving: the reply is applied to what the file now is, its disk copy.
        session.client.notify("textDocument/didClose", ["textDocument": ["uri": .string(helper)]])
        let response = try await session.client.response(to: id)
        let result = try response.get()
        let edited = try applied(result["edit"], uri: helper, to: Self.helperOnDisk)
        #expect(edited.text == "func helper() -> Int {\n    return 3\n}\n")
        #expect(edited.version == .null)
    }

    @Test func diffLinesPastedIntoASelectionAreRefusedAfterTheRepairRounds() async throws {
        let marked = MarkedText("let a = 1\n$0let b = 2\n$0let c = 3\n")
        let session = try await EditorSession.start(files: ["d.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("d.swift", version: 4)
        for _ in 0..<3 { session.model.enqueue(.text("```swift\n-let b = 2\n+let b = 20\n```")) }
        let response = try await session.client.request(
            "workspace/executeCommand",
            ["command": "k2.edit", "arguments": [["textDocument": ["uri": .string(uri)], "range": marked.range, "instruction": "20"]]])
        #expect(response.errorCode == -32803)
        #expect(response.errorMessage?.contains("nothing was changed") == true)
        #expect(response.errorMessage?.contains("a diff line") == true)
        #expect(session.client.serverRequests("workspace/applyEdit").isEmpty)
        #expect(session.model.chatRequests.count == 3)
        let repair = session.model.chatRequests[1].json?["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
        #expect(repair.contains("`-let b = 2`"))
        #expect(try await session.client.call("k2/viewDocument", ["textDocument": ["uri": .string(uri)]])["text"] == .string(marked.text))
    }

    @Test func repairRoundsFollowTheConfiguration() async throws {
        let marked = MarkedText("$0x$0\n")
        let session = try await EditorSession.start(
            files: ["x.txt": marked.text], initializationOptions: ["edit": ["repair_rounds": 0]])
        defer { Task { await session.finish() } }
        let uri = try session.open("x.txt", languageID: "plaintext")
        session.model.enqueue(.text("Sorry, I cannot."))
        let response = try await session.client.request(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": marked.range, "instruction": "y"])
        #expect(response.errorCode == -32803)
        #expect(session.model.chatRequests.count == 1)
    }
}
