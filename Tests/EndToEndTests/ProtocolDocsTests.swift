// protocol-docs/ is the contract: every JSON example in it is replayed against the real server, and every method,
// notification and command k2lsp knows is documented there.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import LSP
import Testing

enum ProtocolDocs {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("protocol-docs")

    static func markdownFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static var allText: String {
        markdownFiles().compactMap { try? String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
    }

    static let sessions: [ProtocolDocSession] = markdownFiles().flatMap { url -> [ProtocolDocSession] in
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return (try? ProtocolDocReplay.sessions(inMarkdown: text, source: url.lastPathComponent)) ?? []
    }
}

extension ProtocolDocSession: CustomTestStringConvertible {
    public var testDescription: String { source }
}

@Suite(.serialized) struct ProtocolDocsTests {
    @Test func everyMessageAndCommandIsDocumented() {
        let text = ProtocolDocs.allText
        let registry = MessageRegistry.lsp
        for method in (registry.incoming + registry.outgoing).map(\.method) {
            #expect(text.contains("`\(method)`"), "protocol-docs does not document \(method)")
        }
        for command in K2CommandName.allCases {
            #expect(text.contains("`\(command.rawValue)`"), "protocol-docs does not document \(command.rawValue)")
        }
        for code in [-32700, -32600, -32601, -32602, -32603, -32002, -32800, -32801, -32803] {
            #expect(text.contains("\(code)"), "protocol-docs does not document error \(code)")
        }
        #expect(ProtocolDocs.sessions.count >= 10)
    }

    @Test(arguments: ProtocolDocs.sessions)
    func exampleReplays(_ session: ProtocolDocSession) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        let workspace = try TemporaryDirectory()
        for file in session.files { try workspace.write(file.path, file.contents) }
        var environment = ["K2_API_BASE_URL": model.baseURL, "K2_API_KEY": "sk-docs-example-key-0000000000"]
        for (key, value) in session.options["env"]?.objectValue ?? [:] { environment[key] = value.stringValue ?? "" }
        let client = try LSPTestClient(environment: environment, workingDirectory: workspace.path)
        defer { client.terminate() }
        let workspaceURI = URL(fileURLWithPath: workspace.path).absoluteString.trimmingSuffix("/")
        let testMCPServer = try BinaryLocator.testMCPServerPath()
        func substitute(_ text: String) -> String {
            text.replacingOccurrences(of: "${WORKSPACE_URI}", with: workspaceURI)
                .replacingOccurrences(of: "${WORKSPACE}", with: workspace.path)
                .replacingOccurrences(of: "${TEST_MCP_SERVER}", with: testMCPServer)
        }
        if session.options["initialize"] != false {
            let capabilities: JSONValue =
                switch session.options["capabilities"] {
                case .string("minimal")?: .object([:])
                case .object(let object)?: .object(object)
                default: EditorSession.fullCapabilities
                }
            try await client.initialize(
                rootPath: workspace.path, capabilities: capabilities,
                initializationOptions: try session.options["initializationOptions"].map {
                    try JSONValue(parsing: Data(substitute($0.serialized()).utf8))
                })
        }
        var consumed = Set<Int>()
        for step in session.steps {
            switch step {
            case .model(let reply):
                model.enqueue(Self.scriptedReply(reply))
            case .send(let text):
                let value = try JSONValue(parsing: Data(substitute(text).utf8))
                let message = try Message.decode(value).get()
                if case .request(let id, _, _) = message, case .number(let number) = id {
                    #expect(number >= 10, "\(session.source): use request ids from 10 up (lower ones are the harness's)")
                }
                client.send(message)
            case .expect(let text):
                let expected = try JSONValue(parsing: Data(substitute(text).utf8))
                try await expect(expected, from: client, consumed: &consumed, source: session.source)
            }
        }
    }

    private func expect(
        _ expected: JSONValue, from client: LSPTestClient, consumed: inout Set<Int>, source: String
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        var lastProblem = "no message yet"
        while ContinuousClock.now < deadline {
            let messages = client.receivedMessages
            for (index, message) in messages.enumerated() where !consumed.contains(index) {
                let actual = message.jsonValue
                if let id = expected["id"], actual["id"] != id || actual["method"] != nil { continue }
                if let method = expected["method"], actual["method"] != method { continue }
                if let problem = ProtocolDocReplay.mismatch(expected: expected, actual: actual) {
                    lastProblem = problem
                    if expected["id"] != nil { break }
                    continue
                }
                consumed.insert(index)
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("\(source): the server never sent \(expected.serialized()); closest: \(lastProblem)")
    }

    static func scriptedReply(_ reply: JSONValue) -> ScriptedReply {
        if let error = reply["error"] {
            return .error(
                status: error["status"]?.intValue ?? 500, type: error["type"]?.stringValue ?? "server_error",
                message: error["message"]?.stringValue ?? "error")
        }
        let calls = (reply["toolCalls"]?.arrayValue ?? []).map { call in
            ScriptedToolCall(
                id: call["id"]?.stringValue ?? "", name: call["name"]?.stringValue ?? "",
                arguments: call["arguments"]?.stringValue ?? call["arguments"]?.serialized() ?? "{}")
        }
        return .text(reply["content"]?.stringValue ?? "", reasoning: reply["reasoning"]?.stringValue, toolCalls: calls)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
