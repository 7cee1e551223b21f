// A secret behind an innocently named symlink is refused end to end: by k2/explain, k2/edit, inline completion and
// `k2lsp edit`, which must never send it, nor write through a link to a secret outside the workspace.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite(.serialized) struct SecretSymlinkTests {
    private static let secret = "DB_PASSWORD=hunter2-SYMLINKED-0123456789\n"

    private func link(_ path: String, in root: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/" + path, withDestinationPath: target)
    }

    @Test func theServerRefusesEveryRequestOnABufferWhoseFileLeadsToASecret() async throws {
        let session = try await EditorSession.start(files: [".env": Self.secret, "main.py": "print(1)\n"])
        defer { Task { await session.finish() } }
        try link("settings.py", in: session.workspace.path, to: ".env")
        let uri = try session.open("settings.py", languageID: "python")
        let range: JSONValue = ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 11]]
        for method in ["k2/explain", "k2/edit"] {
            let response = try await session.client.request(
                method, ["textDocument": ["uri": .string(uri)], "range": range, "instruction": "explain"])
            #expect(response.errorCode == -32803, "\(method)")
            #expect(response.errorMessage?.contains("secrets") == true, "\(method): \(response.errorMessage ?? "")")
        }
        let completion = try await session.client.call(
            "textDocument/inlineCompletion",
            ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 4], "context": ["triggerKind": 1]])
        #expect(completion["items"] == [])
        #expect(session.model.recordedRequests.isEmpty)
        #expect(!session.everythingSentToTheModel.contains("SYMLINKED"))
    }

    @Test func theCLINeitherSendsNorWritesThroughALinkToASecretOutsideTheWorkspace() async throws {
        let sandbox = try await CLISandbox.start(files: ["main.py": "print(1)\n"])
        defer { Task { await sandbox.finish() } }
        let elsewhere = try TemporaryDirectory(prefix: "k2lsp-elsewhere")
        let outsideSecret = try elsewhere.write(".env", Self.secret)
        try link("config.py", in: sandbox.workspace.path, to: outsideSecret)
        try link("deploy_key.txt", in: sandbox.workspace.path, to: ".ssh-key/id_rsa")
        try sandbox.workspace.write(".ssh-key/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n")
        sandbox.model.enqueue(.text("```python\nDB_PASSWORD=changed\n```"))
        for file in ["config.py", "deploy_key.txt"] {
            let result = try await sandbox.run(["edit", file, "-m", "rotate it", "--write"])
            #expect(result.exitCode == 2, "\(file): \(result)")
            #expect(result.stderr.contains("secret file"), "\(file): \(result)")
        }
        #expect(sandbox.model.recordedRequests.isEmpty)
        #expect(try String(contentsOfFile: outsideSecret, encoding: .utf8) == Self.secret)
    }
}
