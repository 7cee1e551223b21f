// Hostile configuration files (alias bombs, huge or deep documents, FIFOs) are refused quickly with a diagnostic.
import Foundation
import Testing

import K2Config

struct DocumentBoundsTests {
    /// Nine levels of nine aliases each: 9^9 nodes from a few hundred bytes.
    static func aliasBomb(tail: String) -> String {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 {
            let aliases = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(aliases)]")
        }
        return lines.joined(separator: "\n") + "\n" + tail
    }

    @Test func anAliasBombUsedAsAKeyIsRefusedBeforeComposing() throws {
        let fixture = try ConfigFixture()
        let folder = try fixture.workspace("bomb", Self.aliasBomb(tail: "? *a8\n: 1\nprofile: pro\n"))
        let loaded = fixture.load(workspaces: [folder])
        // The anchored lists outgrow the node limit long before the key that would make Yams hash them all.
        #expect(loaded.diagnosticLines.contains { $0.contains("expand to more than") }, "\(loaded.diagnosticLines)")
        #expect(loaded.configuration.profile == .user, "a refused file sets nothing")
    }

    @Test func anAliasOfAListUsedAsAKeyIsRefused() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("list: &l [a, b]\n? *l\n: 1\n")
        let loaded = fixture.load()
        #expect(loaded.diagnosticLines.contains { $0.contains(":2: a key must be a plain name") }, "\(loaded.diagnosticLines)")
    }

    @Test func aMappingUsedAsAKeyIsRefused() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("? {profile: pro}\n: 1\n")
        let loaded = fixture.load()
        #expect(loaded.diagnosticLines.contains { $0.contains(":1: a key must be a plain name") }, "\(loaded.diagnosticLines)")
    }

    @Test func anAliasOfAScalarMayStillBeAKey() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("name: &p profile\n*p : pro\n")
        let loaded = fixture.load()
        #expect(!loaded.diagnosticLines.contains { $0.contains("plain name") }, "\(loaded.diagnosticLines)")
    }

    @Test func anAliasBombAsAValueIsRefusedByItsExpandedSize() throws {
        let fixture = try ConfigFixture()
        let folder = try fixture.workspace("bomb", Self.aliasBomb(tail: "context:\n  secret_patterns: *a8\n"))
        let loaded = fixture.load(workspaces: [folder])
        #expect(
            loaded.diagnosticLines.contains { $0.contains("expand to more than \(ConfigDocumentLimits.maximumNodes) values") },
            "\(loaded.diagnosticLines)")
        #expect(loaded.configuration.context.secretPatterns.isEmpty)
    }

    @Test func aFlowListWithTooManyNodesIsRefused() throws {
        let fixture = try ConfigFixture()
        let items = Array(repeating: "1", count: ConfigDocumentLimits.maximumNodes + 1).joined(separator: ",")
        try fixture.writeUserFile("rules: [\(items)]\n")
        let loaded = fixture.load()
        #expect(loaded.diagnosticLines.contains { $0.contains("values (aliases counted") }, "\(loaded.diagnosticLines)")
    }

    @Test func deepNestingIsRefused() throws {
        let fixture = try ConfigFixture()
        let depth = ConfigDocumentLimits.maximumDepth + 1
        try fixture.writeUserFile("rules: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n")
        let loaded = fixture.load()
        #expect(loaded.diagnosticLines.contains { $0.contains("nest more than") }, "\(loaded.diagnosticLines)")
    }

    @Test func aFileOverTheSizeLimitIsNotRead() throws {
        let fixture = try ConfigFixture()
        let padding = String(repeating: "# padding\n", count: ConfigDocumentLimits.maximumFileBytes / 10 + 1)
        let folder = try fixture.workspace("big", "profile: pro\n" + padding)
        let loaded = fixture.load(workspaces: [folder])
        #expect(loaded.diagnosticLines.contains { $0.contains("-byte limit for configuration files") }, "\(loaded.diagnosticLines)")
        #expect(loaded.configuration.profile == .user)
    }

    @Test func aFIFONamedLikeTheWorkspaceFileDoesNotBlock() throws {
        let fixture = try ConfigFixture()
        let folder = try fixture.workspace("fifo", nil)
        #expect(mkfifo(folder + "/.k2lsp.yaml", 0o644) == 0)
        // Opening a FIFO for reading blocks until a writer comes; none ever does.
        let loaded = fixture.load(workspaces: [folder])
        #expect(loaded.diagnosticLines.contains { $0.contains("not a regular file") }, "\(loaded.diagnosticLines)")
    }

    @Test func aLoadThatMissesItsDeadlineGoesOnWithoutTheFiles() async throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("profile: pro\n")
        let release = DispatchSemaphore(value: 0)
        let loader = ConfigurationLoader(
            environment: ["K2_PROFILE": "enterprise"], homeDirectory: fixture.home, editorSettings: #"{"edit": {"max_tokens": 1000}}"#)
        // The stand-in read blocks until the test has its answer: the deadline alone must end the wait.
        let loaded = await loader.load(deadline: .milliseconds(20)) { loader in
            release.wait()
            return loader.load()
        }
        release.signal()
        #expect(loaded.configuration.profile == .enterprise, "the environment still applies")
        #expect(loaded.configuration.edit.maxTokens == 1000, "so do the editor's settings")
        let error = try #require(loaded.errors.first)
        #expect(error.message.contains("took longer than"))
        #expect(error.message.contains("~/.config/k2lsp/config.yaml"))
    }

    @Test func aLoadWithinItsDeadlineIsTheFullLoad() async throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("profile: pro\n")
        let loader = ConfigurationLoader(environment: [:], homeDirectory: fixture.home)
        // Many times over: the end of the work must never let the deadline's timer answer first.
        for _ in 0..<200 {
            let loaded = await loader.load(deadline: .seconds(600))
            #expect(loaded.configuration.profile == .pro)
            #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
            if !loaded.diagnostics.isEmpty { break }
        }
    }
}
