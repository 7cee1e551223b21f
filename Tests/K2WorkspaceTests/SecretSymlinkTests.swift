// A secret reached through an innocently named symlink is still a secret: for the check, the reader and the lister.
import Foundation
import K2TestSupport
import Testing

@testable import K2Workspace

struct SecretSymlinkTests {
    /// A workspace (`work/`) beside a folder outside it (`elsewhere/`), both in one scratch directory.
    private func layout() throws -> (scratch: TemporaryDirectory, root: String) {
        let scratch = try TemporaryDirectory()
        try scratch.write("work/.env", "DB_PASSWORD=hunter2hunter2\n")
        try scratch.write("work/app.py", "print(1)\n")
        try scratch.write("work/secrets-dir/db.txt", "x\n")
        try scratch.write("elsewhere/.ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")
        try scratch.symlink("work/settings.py", to: ".env")
        try scratch.symlink("work/deploy_key.txt", to: scratch.file("elsewhere/.ssh/id_rsa"))
        try scratch.symlink("work/config.py", to: "../elsewhere/.env")  // Dangling: the file does not exist yet.
        try scratch.symlink("work/conf", to: "secrets-dir")
        try scratch.symlink("work/alias.py", to: "app.py")
        return (scratch, scratch.file("work"))
    }

    @Test func theCheckFollowsLinksToTheFileTheyLeadTo() throws {
        let (scratch, root) = try layout()
        defer { withExtendedLifetime(scratch) {} }
        let filter = SecretFilter()
        #expect(filter.secretPattern(relativePath: "settings.py", root: root) == ".env")
        #expect(filter.secretPattern(relativePath: "deploy_key.txt", root: root) == "id_rsa*")
        #expect(filter.secretPattern(relativePath: "config.py", root: root) == ".env", "a dangling link, by what it names")
        #expect(filter.secretPattern(relativePath: "conf/db.txt", root: root) == "*secret*", "through a linked folder")
        #expect(filter.secretPattern(relativePath: ".env", root: root) == ".env", "the name alone still counts")
        #expect(filter.secretPattern(relativePath: "alias.py", root: root) == nil)
        #expect(filter.secretPattern(relativePath: "app.py", root: root) == nil)
        #expect(filter.secretPattern(relativePath: "new/file.py", root: root) == nil, "a file that does not exist yet")
        #expect(filter.secretPattern(relativePath: root + "/settings.py", root: root) == ".env", "an absolute path")
    }

    @Test func foldersAboveTheWorkspaceNeverMakeAFileSecret() throws {
        let scratch = try TemporaryDirectory()
        try scratch.write("my-secrets/project/main.py", "print(1)\n")
        try scratch.write("my-secrets/shared/util.py", "x = 1\n")
        try scratch.symlink("my-secrets/project/util.py", to: "../shared/util.py")
        let root = scratch.file("my-secrets/project")
        #expect(SecretFilter().secretPattern(relativePath: "main.py", root: root) == nil)
        #expect(SecretFilter().secretPattern(relativePath: "util.py", root: root) == nil)
    }

    @Test func theReaderRefusesFilesAndBuffersThatLeadToSecrets() throws {
        let (scratch, root) = try layout()
        defer { withExtendedLifetime(scratch) {} }
        let reader = WorkspaceFileReader()
        for name in ["settings.py", "deploy_key.txt"] {
            guard case .failure(.secretFile) = reader.read(absolutePath: root + "/" + name, relativePath: name) else {
                Issue.record("\(name) was read")
                continue
            }
        }
        let buffer = reader.prepare(text: "DB_PASSWORD=hunter2hunter2\n", relativePath: "settings.py", absolutePath: root + "/settings.py")
        guard case .failure(.secretFile(_, let pattern)) = buffer else {
            Issue.record("the buffer of settings.py was accepted")
            return
        }
        #expect(pattern == ".env")
        guard case .success = reader.read(absolutePath: root + "/alias.py", relativePath: "alias.py") else {
            Issue.record("an ordinary link was refused")
            return
        }
    }

    @Test func theListerLeavesOutLinksToSecrets() throws {
        let (scratch, root) = try layout()
        defer { withExtendedLifetime(scratch) {} }
        let lister = WorkspaceFileLister(matcher: IgnoreMatcher(root: root), secretFilter: SecretFilter())
        let listing = lister.list()
        let files = Set(listing.files.map(\.relativePath))
        #expect(files.contains("alias.py"))
        #expect(!files.contains("settings.py"))
        #expect(listing.skipped.contains { $0.relativePath == "settings.py" && $0.reason == .secret(pattern: ".env") })
        #expect(lister.entry(relativePath: "settings.py") == .skipped(
            SkippedEntry(relativePath: "settings.py", isDirectory: false, reason: .secret(pattern: ".env"))))
    }
}
