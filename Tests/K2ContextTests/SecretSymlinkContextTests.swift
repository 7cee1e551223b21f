// Context never carries a secret reached through a symlink: not as an import, an open buffer or the current file.
import Foundation
import Testing

@testable import K2Context

struct SecretSymlinkContextTests {
    /// Nothing the redactor would recognise: only the secret list keeps it out.
    private static let secret = "WEBHOOK_ROUTE=/hooks/hunter2hunter2"

    private func workspace() throws -> FixtureWorkspace {
        let fixture = try FixtureWorkspace([
            ".env": Self.secret + "\n",
            "app/__init__.py": "",
            "app/main.py": "from . import settings\nfrom . import util\n\nprint(settings.DEBUG)\n",
            "app/util.py": "def helper():\n    return 1\n",
        ])
        try FileManager.default.createSymbolicLink(
            atPath: fixture.root + "/app/settings.py", withDestinationPath: "../.env")
        return fixture
    }

    @Test func anImportThatIsALinkToASecretIsNotSent() async throws {
        let fixture = try workspace()
        let bundle = try await fixture.bundle("app/main.py", text: "from . import settings\nfrom . import util\n\nprint($0settings.DEBUG)\n")
        #expect(bundle.paths(.importedFile).contains("app/util.py"), "\(bundle.items.map(\.path))")
        #expect(!bundle.paths(.importedFile).contains("app/settings.py"))
        #expect(!bundle.items.contains { $0.text.contains("hunter2") })
    }

    @Test func anOpenBufferOfSuchALinkIsNotSent() async throws {
        let fixture = try workspace()
        let bundle = try await fixture.bundle(
            "app/main.py", text: "from . import settings\nprint($0settings.DEBUG)\n", open: ["app/settings.py": Self.secret + "\n"])
        #expect(!bundle.items.contains { $0.text.contains("hunter2") })
        #expect(!bundle.items.contains { $0.path == "app/settings.py" })
    }

    @Test func theCurrentDocumentIsRefusedWhenItsFileLeadsToASecret() async throws {
        let fixture = try workspace()
        let bundle = try await fixture.bundle("app/settings.py", text: Self.secret + "$0\n", task: .completion)
        #expect(bundle.items(.cursorRegion).isEmpty && bundle.items(.currentDocument).isEmpty, "\(bundle.items.map(\.path))")
        #expect(!bundle.items.contains { $0.text.contains("hunter2") })
        #expect(bundle.skipped.contains { $0.path == "app/settings.py" })
    }
}
