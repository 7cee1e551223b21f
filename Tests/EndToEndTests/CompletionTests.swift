// Inline completion end to end: post-processing, supersession, the cache, and the completion fallback.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

@Suite(.serialized) struct CompletionTests {
    private func inlineParams(_ uri: String, _ marked: MarkedText, invoked: Bool = true) -> JSONValue {
        ["textDocument": ["uri": .string(uri)], "position": marked.cursor, "context": ["triggerKind": invoked ? 1 : 2]]
    }

    @Test func fencedReplyThatRepeatsTheSuffixIsCleanedUp() async throws {
        let marked = MarkedText("func add(_ a: Int, _ b: Int) -> Int {\n    return $0\n}\n")
        let session = try await EditorSession.start(files: ["add.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("add.swift")
        session.model.enqueue(.text("```swift\na + b\n}\n```"))
        let result = try await session.client.call("textDocument/inlineCompletion", inlineParams(uri, marked))
        let items = try #require(result["items"]?.arrayValue)
        #expect(items.count == 1)
        #expect(items.first?["insertText"] == "a + b")
        #expect(items.first?["range"]?["start"] == marked.cursor)
        let body = try #require(session.model.chatRequests.first?.json)
        #expect(body["model"] == "kimi-k2.6")
        #expect(body["max_completion_tokens"] == 256)
        #expect(body["thinking"] == ["type": "disabled"])
        #expect(body["stop"]?.arrayValue?.isEmpty == false)
        #expect(body["messages"]?[1]?["content"]?.stringValue?.contains("return <|cursor|>") == true)
    }

    @Test func sameCursorTwiceIsAnsweredFromTheCache() async throws {
        let marked = MarkedText("let numbers = [1, 2, 3]\nlet doubled = numbers.map $0\n")
        let session = try await EditorSession.start(files: ["m.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("m.swift")
        session.model.enqueue(.text("{ $0 * 2 }"))
        let first = try await session.client.call("textDocument/inlineCompletion", inlineParams(uri, marked))
        let second = try await session.client.call("textDocument/inlineCompletion", inlineParams(uri, marked))
        #expect(first["items"]?[0]?["insertText"] == "{ $0 * 2 }")
        #expect(second == first)
        #expect(session.model.chatRequests.count == 1)
    }

    @Test func emptyReplyGivesNoItems() async throws {
        let marked = MarkedText("let a = $0\n")
        let session = try await EditorSession.start(files: ["e.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("e.swift")
        session.model.enqueue(.text("   \n"))
        let result = try await session.client.call("textDocument/inlineCompletion", inlineParams(uri, marked))
        #expect(result["items"] == [])
    }

    @Test func rapidCompletionsSupersedeEachOtherWithOneUpstreamRequestAtATime() async throws {
        let session = try await EditorSession.start(files: ["r.swift": "let value = \n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("r.swift")
        for _ in 0..<20 {
            session.model.enqueue(.text("compute()", chunkDelay: .milliseconds(40)))
        }
        var ids: [RequestID] = []
        var text = "let value = "
        for index in 0..<20 {
            let character = String(UnicodeScalar(UInt8(97 + index)))
            session.client.notify(
                "textDocument/didChange",
                ["textDocument": ["uri": .string(uri), "version": .int(index + 2)],
                 "contentChanges": [["range": ["start": ["line": 0, "character": .int(text.count)], "end": ["line": 0, "character": .int(text.count)]], "text": .string(character)]]])
            text += character
            ids.append(session.client.sendRequest(
                "textDocument/inlineCompletion",
                ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": .int(text.count)], "context": ["triggerKind": 2]]))
            try await Task.sleep(for: .milliseconds(5))
        }
        var answered = 0
        for id in ids {
            let response = try await session.client.response(to: id)
            if response.value != nil || response.errorCode == -32800 { answered += 1 }
        }
        #expect(answered == 20)
        let last = try await session.client.response(to: ids[19])
        #expect(last.value?["items"]?[0]?["insertText"] == "compute()")
        let upstream = session.model.chatRequests
        #expect(upstream.count < 20)
        // One upstream request per document at a time: each starts after the previous connection closed.
        for index in 1..<upstream.count {
            let closed = await session.model.connectionClosedInstant(forRequestAt: upstream[index - 1].index)
            if let closed { #expect(closed <= upstream[index].receivedAt) }
        }
    }

    @Test func completionFallbackReturnsOneTextEdit() async throws {
        let marked = MarkedText("import Foundation\nlet now = $0\n")
        let session = try await EditorSession.start(files: ["d.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("d.swift")
        session.model.enqueue(.text("Date()"))
        let result = try await session.client.call(
            "textDocument/completion", ["textDocument": ["uri": .string(uri)], "position": marked.cursor])
        let item = try #require(result["items"]?[0])
        #expect(item["label"] == "Date()")
        #expect(item["textEdit"]?["newText"] == "Date()")
        #expect(item["textEdit"]?["range"]?["start"] == marked.cursor)
        #expect(result["isIncomplete"] == true)
    }

    @Test func completionProblemsAreShownOnceAndAnswerNoItems() async throws {
        let marked = MarkedText("let a = $0\n")
        let session = try await EditorSession.start(files: ["p.swift": marked.text], environment: ["K2_API_KEY": ""])
        defer { Task { await session.finish() } }
        let uri = try session.open("p.swift")
        for _ in 0..<3 {
            let result = try await session.client.call("textDocument/inlineCompletion", inlineParams(uri, marked))
            #expect(result["items"] == [])
        }
        let shown = session.client.notifications("window/showMessage").filter {
            $0["message"]?.stringValue?.contains("K2_API_KEY is not set") == true
        }
        #expect(shown.count == 1)
        #expect(session.model.recordedRequests.isEmpty)
    }

    @Test func completionPromptsCarryImportedCodeButNeverASecretFile() async throws {
        let marked = MarkedText("from app.util import helper\n\nprint(helper($0))\n")
        let session = try await EditorSession.start(files: [
            "app/main.py": marked.text, "app/util.py": "def helper(x):\n    return x  # UTIL_MARKER\n",
            "app/__init__.py": "", ".env": "API_KEY=sk-live-ENVSECRET0123456789abcdef\n",
        ])
        defer { Task { await session.finish() } }
        let uri = try session.open("app/main.py", languageID: "python")
        session.model.enqueue(.text("2"))
        let result = try await session.client.call(
            "textDocument/inlineCompletion", inlineParams(uri, marked))
        #expect(result["items"]?[0]?["insertText"] == "2")
        let prompt = session.model.chatRequests.first?.json?["messages"]?[1]?["content"]?.stringValue ?? ""
        #expect(prompt.contains("UTIL_MARKER"))
        #expect(prompt.hasPrefix("# Related code from the workspace"))
        let env = try session.open(".env", languageID: "dotenv")
        let secret = try await session.client.call(
            "textDocument/inlineCompletion",
            ["textDocument": ["uri": .string(env)], "position": ["line": 0, "character": 8], "context": ["triggerKind": 1]])
        #expect(secret["items"] == [])
        #expect(session.model.chatRequests.count == 1)
        #expect(!session.everythingSentToTheModel.contains("ENVSECRET"))
    }
}
