// Code actions: what is offered for a selection and per diagnostic, lazy resolve, and commands for simple clients.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite(.serialized) struct CodeActionTests {
    private let diagnostic: JSONValue = [
        "range": ["start": ["line": 1, "character": 4], "end": ["line": 1, "character": 9]],
        "severity": 1, "source": "swiftc", "message": "cannot find 'count' in scope",
    ]

    private func codeActionParams(_ uri: String, range: JSONValue, diagnostics: [JSONValue]) -> JSONValue {
        ["textDocument": ["uri": .string(uri)], "range": range, "context": ["diagnostics": .array(diagnostics)]]
    }

    @Test func selectionAndDiagnosticActionsResolveLazily() async throws {
        let marked = MarkedText("func f() {\n$0    count += 1\n$0}\n")
        let session = try await EditorSession.start(files: ["f.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("f.swift", version: 2)
        let actions = try #require(
            try await session.client.call("textDocument/codeAction", codeActionParams(uri, range: marked.range, diagnostics: [diagnostic])).arrayValue)
        let titles = actions.compactMap { $0["title"]?.stringValue }
        #expect(titles.contains("K2: Refactor selection"))
        #expect(titles.contains("K2: Document selection"))
        #expect(titles.contains("K2: Write tests for selection"))
        #expect(titles.contains("K2: Explain selection"))
        #expect(titles.contains("K2: fix cannot find 'count' in scope"))
        let fix = try #require(actions.first { $0["kind"] == "quickfix" })
        #expect(fix["edit"] == nil)
        #expect(fix["data"]?["command"] == "k2.fix")
        // Resolve computes the edit; the model sees the diagnostic.
        session.model.enqueue(.text("```swift\n    self.count += 1\n```"))
        let resolved = try await session.client.call("codeAction/resolve", fix)
        let edit = try #require(resolved["edit"]?["documentChanges"]?[0])
        #expect(edit["textDocument"]?["version"] == 2)
        #expect(edit["edits"]?[0]?["newText"] == "self.")
        let prompt = session.model.chatRequests.first?.json?["messages"]?[1]?["content"]?.stringValue ?? ""
        #expect(prompt.contains("cannot find 'count' in scope"))
        #expect(prompt.contains("[swiftc]"))
    }

    @Test func resolveWorksAfterARestart() async throws {
        let marked = MarkedText("$0let x = 1$0\n")
        let first = try await EditorSession.start(files: ["x.swift": marked.text])
        let uri = try first.open("x.swift")
        let actions = try await first.client.call(
            "textDocument/codeAction", codeActionParams(uri, range: marked.range, diagnostics: []))
        let refactor = try #require(actions.arrayValue?.first { $0["title"] == "K2: Refactor selection" })
        await first.finish()
        // A new server process, same workspace and file: the action's data is all it needs.
        let second = try await EditorSession.start(files: ["x.swift": marked.text])
        defer { Task { await second.finish() } }
        var action = refactor
        if case .object(var object) = action, case .object(var data)? = object["data"], case .object(var argument)? = data["argument"] {
            argument["textDocument"] = ["uri": .string(second.workspace.uri("x.swift")), "version": nil]
            data["argument"] = .object(argument)
            object["data"] = .object(data)
            action = .object(object)
        }
        second.model.enqueue(.text("```swift\nlet x = 2\n```"))
        let resolved = try await second.client.call("codeAction/resolve", action)
        #expect(resolved["edit"]?["documentChanges"]?[0]?["edits"]?[0]?["newText"] == "2")
    }

    @Test func clientsWithoutLiteralSupportGetCommands() async throws {
        let marked = MarkedText("$0let x = 1$0\n")
        let session = try await EditorSession.start(
            files: ["x.swift": marked.text], capabilities: ["workspace": ["applyEdit": true]])
        defer { Task { await session.finish() } }
        let uri = try session.open("x.swift")
        let actions = try #require(
            try await session.client.call("textDocument/codeAction", codeActionParams(uri, range: marked.range, diagnostics: [diagnostic])).arrayValue)
        #expect(!actions.isEmpty)
        for action in actions {
            #expect(action["command"]?.stringValue?.hasPrefix("k2.") == true)
            #expect(action["kind"] == nil)
            #expect(action["arguments"]?.arrayValue?.count == 1)
        }
        // Without documentChanges support, edits come as `changes`.
        session.model.enqueue(.text("```swift\nlet x = 3\n```"))
        let refactor = try #require(actions.first { $0["command"] == "k2.refactor" })
        _ = try await session.client.call(
            "workspace/executeCommand", ["command": "k2.refactor", "arguments": refactor["arguments"] ?? []])
        let applied = try #require(session.client.serverRequests("workspace/applyEdit").first)
        #expect(applied["edit"]?["changes"]?[.init(stringLiteral: uri)] != nil || applied["edit"]?["changes"]?.objectValue?[uri] != nil)
    }

    @Test func onlyFiltersByKind() async throws {
        let marked = MarkedText("$0let x = 1$0\n")
        let session = try await EditorSession.start(files: ["x.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("x.swift")
        let actions = try await session.client.call(
            "textDocument/codeAction",
            ["textDocument": ["uri": .string(uri)], "range": marked.range,
             "context": ["diagnostics": [diagnostic], "only": ["quickfix"]]])
        #expect(actions.arrayValue?.allSatisfy { $0["kind"] == "quickfix" } == true)
        #expect(actions.arrayValue?.count == 1)
    }
}
