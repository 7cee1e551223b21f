// The context the model sees, end to end: imports included, unsaved buffers win, secrets and ignored files never sent.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite(.serialized) struct ContextEndToEndTests {
    static let files: [String: String] = [
        "app/main.py": "from app.util import helper\n\nprint(helper(2))\n",
        "app/util.py": "def helper(x):\n    return x * 2  # UTIL_MARKER\n",
        "app/__init__.py": "",
        ".env": "OPENAI_API_KEY=sk-live-ENVSECRET0123456789abcdef\n",
        "deploy/server.pem": "-----BEGIN RSA PRIVATE KEY-----\nPEMSECRETLINE\n-----END RSA PRIVATE KEY-----\n",
        "app/settings.py": "API_KEY = \"sk-inlineSECRET0123456789abcdefgh\"\nDEBUG = True\n",
        ".gitignore": "build/\n",
        "build/generated.py": "GENERATED_MARKER = 1\n",
        ".k2ignore": "private/\n",
        "private/notes.py": "PRIVATE_MARKER = 1\n",
        "README.md": "# Demo\nA tiny app. README_MARKER\n",
    ]

    @Test func editRequestsCarryImportsAndNeverSecretsOrIgnoredFiles() async throws {
        let session = try await EditorSession.start(files: Self.files)
        defer { Task { await session.finish() } }
        let uri = try session.open("app/main.py", languageID: "python")
        // The settings file is open with unsaved changes: the buffer wins over disk.
        try session.open("app/settings.py", text: "API_KEY = \"sk-inlineSECRET0123456789abcdefgh\"\nDEBUG = False  # UNSAVED_MARKER\n", languageID: "python")
        session.model.enqueue(.text("```python\nprint(helper(3))\n```"))
        _ = try await session.client.call(
            "k2/edit",
            ["textDocument": ["uri": .string(uri)],
             "range": ["start": ["line": 2, "character": 0], "end": ["line": 2, "character": 16]],
             "instruction": "use 3"])
        let sent = session.model.chatRequests.map { String(decoding: $0.body, as: UTF8.self) }.joined()
        #expect(sent.contains("UTIL_MARKER"))
        #expect(sent.contains("UNSAVED_MARKER"))
        for secret in ["ENVSECRET", "PEMSECRETLINE", "inlineSECRET", "GENERATED_MARKER", "PRIVATE_MARKER"] {
            #expect(!sent.contains(secret), "\(secret) reached the model")
        }
    }

    @Test func contextRequestExplainsItsChoices() async throws {
        let session = try await EditorSession.start(files: Self.files)
        defer { Task { await session.finish() } }
        let uri = try session.open("app/main.py", languageID: "python")
        let report = try await session.client.call(
            "k2/context", ["textDocument": ["uri": .string(uri)], "position": ["line": 2, "character": 0], "task": "edit"])
        let items = try #require(report["items"]?.arrayValue)
        let sources = items.compactMap { $0["source"]?.stringValue }
        #expect(sources.contains("imported-file"))
        #expect(items.contains { $0["uri"]?.stringValue?.hasSuffix("app/util.py") == true })
        #expect(report["budgetTokens"]?.intValue ?? 0 >= 40_000)
        #expect(report["model"] == "kimi-k2.6")
        for item in items {
            #expect(item["reason"]?.stringValue?.isEmpty == false)
            #expect(item["tokens"]?.intValue ?? 0 > 0)
        }
        #expect(!items.contains { $0["uri"]?.stringValue?.hasSuffix(".env") == true })
        #expect(session.model.recordedRequests.isEmpty)
    }

    @Test func twoIdenticalRequestsSendByteIdenticalPrompts() async throws {
        let session = try await EditorSession.start(files: Self.files)
        defer { Task { await session.finish() } }
        let uri = try session.open("app/main.py", languageID: "python")
        let params: JSONValue = [
            "textDocument": ["uri": .string(uri)],
            "range": ["start": ["line": 2, "character": 0], "end": ["line": 2, "character": 16]], "instruction": "use 3",
        ]
        session.model.enqueue(.text("```python\nprint(helper(3))\n```"))
        session.model.enqueue(.text("```python\nprint(helper(3))\n```"))
        _ = try await session.client.call("k2/edit", params)
        _ = try await session.client.call("k2/edit", params)
        let bodies = session.model.chatRequests.map(\.body)
        #expect(bodies.count == 2)
        #expect(bodies[0] == bodies[1])
    }

    @Test func secretFilesAreRefusedForEditing() async throws {
        let session = try await EditorSession.start(files: Self.files)
        defer { Task { await session.finish() } }
        let uri = try session.open(".env", languageID: "dotenv")
        let response = try await session.client.request(
            "k2/edit",
            ["textDocument": ["uri": .string(uri)],
             "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 5]], "instruction": "x"])
        #expect(response.errorCode == -32803)
        #expect(response.errorMessage?.contains("secrets") == true)
        #expect(session.model.recordedRequests.isEmpty)
    }

    @Test func filesTheWorkspaceKeepsFromAssistantsAreRefused() async throws {
        let session = try await EditorSession.start(files: Self.files)
        defer { Task { await session.finish() } }
        let uri = try session.open("private/notes.py", languageID: "python")
        let response = try await session.client.request(
            "k2/edit",
            ["textDocument": ["uri": .string(uri)],
             "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 5]], "instruction": "x"])
        #expect(response.errorCode == -32803)
        #expect(response.errorMessage?.contains(".k2ignore") == true)
        #expect(session.model.recordedRequests.isEmpty)
    }
}
