// Helpers for tests of the server in this process: sessions, requests with ranges, document changes.
import AnyJSON
import JSONRPC
import K2Server
import K2TestSupport

/// An in-process editor session whose client retries the given methods on -32801 (`retryOnContentModified`).
func inProcessSession(
    files: [String: String], retrying: [String] = [], capabilities: JSONValue = EditorSession.fullCapabilities,
    configure: @escaping @Sendable (inout ServerOptions) -> Void = { _ in }
) async throws -> EditorSession {
    var capabilities = capabilities
    if case .object(var root) = capabilities {
        var general = root["general"]?.objectValue ?? [:]
        general["staleRequestSupport"] = ["cancel": true, "retryOnContentModified": .array(retrying.map(JSONValue.string))]
        root["general"] = .object(general)
        capabilities = .object(root)
    }
    return try await EditorSession.start(files: files, capabilities: capabilities, server: .inProcess(configure: configure))
}

func range(_ startLine: Int, _ startCharacter: Int, _ endLine: Int, _ endCharacter: Int) -> JSONValue {
    [
        "start": ["line": .int(startLine), "character": .int(startCharacter)],
        "end": ["line": .int(endLine), "character": .int(endCharacter)],
    ]
}

extension EditorSession {
    /// Inserts `text` at the start of `line`.
    func insert(_ text: String, atLine line: Int, of uri: String, version: Int) {
        client.notify(
            "textDocument/didChange",
            ["textDocument": ["uri": .string(uri), "version": .int(version)],
             "contentChanges": [["range": range(line, 0, line, 0), "text": .string(text)]]])
    }

    /// Returns once every message sent before it has been handled: in-loop messages (document changes) are
    /// handled in arrival order, so the answer to a request sent after them proves they are done.
    func barrier(_ uri: String) async throws {
        _ = try await client.call("k2/viewDocument", ["textDocument": ["uri": .string(uri)]])
    }
}
