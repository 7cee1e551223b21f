// Exactly one reply per request, whatever happens to it: many at once, cancelled, refused, or answered late.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

@Suite struct ReplyTests {
    @Test func fiftyConcurrentRequestsAreAllAnsweredOnce() async throws {
        let session = try await inProcessSession(files: [:])
        defer { Task { await session.finish() } }
        for index in 0..<5 {
            session.client.openDocument(uri: "file:///tmp/doc\(index).txt", text: "document \(index)", languageID: "plaintext")
        }
        let ids = (0..<50).map { index in
            session.client.sendRequest("k2/viewDocument", ["textDocument": ["uri": .string("file:///tmp/doc\(index % 5).txt")]])
        }
        for (index, id) in ids.enumerated() {
            #expect(try await session.client.response(to: id).value?["text"] == .string("document \(index % 5)"))
        }
        _ = try await session.client.call("shutdown")
        for id in ids { #expect(session.client.responses(to: id).count == 1) }
        session.client.notify("exit")
        #expect(try await session.client.waitForExit() == 0)
        #expect(session.replyViolations.isEmpty)
    }

    @Test func aCancelledEditIsAnsweredOnceAndItsModelStreamIsClosed() async throws {
        let marked = MarkedText("$0let a = 1$0\n")
        let session = try await inProcessSession(files: ["c.swift": marked.text])
        defer { Task { await session.finish() } }
        let uri = try session.open("c.swift")
        session.model.enqueue(.streamThenStall([.roleDelta, .content("```swift\nlet")]))
        let id = session.client.sendRequest(
            "k2/edit", ["textDocument": ["uri": .string(uri)], "range": marked.range, "instruction": "change"])
        #expect(await session.model.waitForRequests(count: 1, timeout: .seconds(30)))
        session.client.notify("$/cancelRequest", ["id": id.jsonValue])
        #expect(try await session.client.response(to: id).errorCode == ResponseError.requestCancelledCode)
        // Cancellation reaches the socket: the server closes its connection to the model.
        #expect(await session.model.connectionClosedInstant(forRequestAt: 0, timeout: .seconds(30)) != nil)
        try await session.barrier(uri)
        #expect(session.client.responses(to: id).count == 1)
        #expect(session.replyViolations.isEmpty)
    }

    @Test func refusalsAndErrorsAreEachOneReply() async throws {
        let session = try await inProcessSession(files: ["r.swift": "let r = 1\n"])
        defer { Task { await session.finish() } }
        let uri = try session.open("r.swift")
        let client = session.client
        let ids = [
            client.sendRequest("textDocument/hover", ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 0]]),
            client.sendRequest("k2/viewDocument", ["textDocument": [:]]),
            client.sendRequest("initialize", ["capabilities": [:]]),
            client.sendRequest("k2/viewDocument", ["textDocument": ["uri": "file:///not/open"]]),
            client.sendRequest("k2/context", ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 0]]),
            client.sendRequest("textDocument/codeAction", ["textDocument": ["uri": .string(uri)], "range": range(0, 0, 0, 3), "context": ["diagnostics": []]]),
        ]
        let codes = try await ids.asyncMap { try await client.response(to: $0).errorCode }
        #expect(codes == [-32601, -32602, -32600, -32602, nil, nil])
        client.sendRaw(FrameWriter.frame(Data(#"{"jsonrpc":"2.0","id":"bad","method":7}"#.utf8)))
        #expect(try await client.response(to: .string("bad")).errorCode == -32600)
        try await session.barrier(uri)
        for id in ids + [.string("bad")] { #expect(client.responses(to: id).count == 1) }
        #expect(session.replyViolations.isEmpty)
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
