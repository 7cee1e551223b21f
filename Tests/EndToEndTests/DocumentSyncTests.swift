// Document sync through the binary: incremental changes with emoji and CRLF, several per notification, versions.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite(.serialized) struct DocumentSyncTests {
    private func change(_ client: LSPTestClient, uri: String, version: Int, _ changes: [JSONValue]) {
        client.notify(
            "textDocument/didChange",
            ["textDocument": ["uri": .string(uri), "version": .int(version)], "contentChanges": .array(changes)])
    }

    private func range(_ startLine: Int, _ startCharacter: Int, _ endLine: Int, _ endCharacter: Int) -> JSONValue {
        [
            "start": ["line": .int(startLine), "character": .int(startCharacter)],
            "end": ["line": .int(endLine), "character": .int(endCharacter)],
        ]
    }

    private func view(_ client: LSPTestClient, _ uri: String) async throws -> JSONValue {
        try await client.call("k2/viewDocument", ["textDocument": ["uri": .string(uri)]])
    }

    @Test func incrementalChangesWithEmojiAndCRLF() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        let uri = "file:///tmp/sync.swift"
        client.openDocument(uri: uri, text: "let party = \"🎉\"\r\nprint(party)\r\n")
        // In UTF-16 the emoji is two units: column 15 is after it.
        change(client, uri: uri, version: 2, [
            ["range": range(0, 15, 0, 15), "text": "🎈"],
            ["range": range(1, 0, 1, 5), "text": "debugPrint"],
            ["range": range(2, 0, 2, 0), "text": "// end\r\n"],
        ])
        var document = try await view(client, uri)
        #expect(document["text"] == "let party = \"🎉🎈\"\r\ndebugPrint(party)\r\n// end\r\n")
        #expect(document["version"] == 2)
        // A full-text change replaces everything.
        change(client, uri: uri, version: 3, [["text": "x\ry"]])
        document = try await view(client, uri)
        #expect(document["text"] == "x\ry")
        #expect(document["lineCount"] == 2)
        // Positions past the end are clamped, never a crash.
        change(client, uri: uri, version: 4, [["range": range(40, 3, 99, 0), "text": "!"]])
        document = try await view(client, uri)
        #expect(document["text"] == "x\ry!")
        // A change with an old version is ignored.
        change(client, uri: uri, version: 4, [["text": "stale"]])
        document = try await view(client, uri)
        #expect(document["text"] == "x\ry!")
        client.notify("textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
        let closed = try await client.request("k2/viewDocument", ["textDocument": ["uri": .string(uri)]])
        #expect(closed.errorCode == -32602)
        #expect(try await client.shutdownAndExit() == 0)
    }

    @Test func utf8PositionsWhenNegotiated() async throws {
        let client = try LSPTestClient()
        try await client.initialize(capabilities: ["general": ["positionEncodings": ["utf-8"]]])
        let uri = "file:///tmp/utf8.txt"
        client.openDocument(uri: uri, text: "é🎉x", languageID: "plaintext")
        // UTF-8: é is 2 bytes, 🎉 is 4.
        change(client, uri: uri, version: 2, [["range": range(0, 6, 0, 7), "text": "y"]])
        #expect(try await view(client, uri)["text"] == "é🎉y")
        client.terminate()
    }

    @Test func changesApplyBeforeLaterRequests() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        let uri = "file:///tmp/order.txt"
        client.openDocument(uri: uri, text: "", languageID: "plaintext")
        for version in 2...200 {
            change(client, uri: uri, version: version, [["range": range(0, version - 2, 0, version - 2), "text": "a"]])
        }
        let document = try await view(client, uri)
        #expect(document["version"] == 200)
        #expect(document["text"]?.stringValue?.count == 199)
        client.terminate()
    }
}
