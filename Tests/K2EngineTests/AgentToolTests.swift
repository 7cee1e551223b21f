// Each agent tool on a fixture workspace: arguments, ranges, globs, search, overlay semantics and the sandbox.
import AnyJSON
import Foundation
import K2Engine
import K2Workspace
import Testing

private let files: [String: String] = [
    "Sources/App/main.swift": "import Foundation\n\nfunc greet(name: String) -> String {\n    return \"Hello, \\(name)\"\n}\n\nprint(greet(name: \"K2\"))\n",
    "Sources/App/Util.swift": "struct Util {\n    static let version = 2\n}\n",
    "README.md": "# App\nA greeting app.\n",
    ".env": "API_KEY=sk-live-TOPSECRETVALUE\n",
    ".gitignore": "build-output/\n*.log\n",
    "build-output/gen.swift": "let generated = greet\n",
    "debug.log": "greet called\n",
    ".k2ignore": "private/\n",
    "private/notes.txt": "greet private plan\n",
    "twice.swift": "reset()\nreset()\n",
]

/// A workspace with the files above, an outside folder and symlinks into and out of the workspace.
private func fixture(
    open: [String: String] = [:], options: AgentWorkspaceOptions = .init(),
    diagnostics: [String: [DiagnosticInfo]] = [:]
) async throws -> AgentFixture {
    try await AgentFixture(files, open: open, options: options, diagnostics: diagnostics) { root in
        let outside = root + "-outside"
        try AgentFixture.write("OUTSIDE-CONTENT\n", to: outside + "/secret.txt")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: root + "/link-out", withDestinationPath: outside)
        try manager.createSymbolicLink(atPath: root + "/escape.txt", withDestinationPath: outside + "/secret.txt")
        try manager.createSymbolicLink(atPath: root + "/alias.txt", withDestinationPath: root + "/.env")
        try manager.createSymbolicLink(atPath: root + "/readme-link.md", withDestinationPath: "README.md")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: URL(fileURLWithPath: root + "/image.png"))
    }
}

@Suite struct AgentReadFileTests {
    static let cases: [(JSONValue, String)] = [
        (["path": "Sources/App/main.swift"], "Sources/App/main.swift: all 7 lines\nimport Foundation\n\nfunc greet"),
        (["path": "Sources/App/main.swift", "start_line": 3, "end_line": 5],
         "Sources/App/main.swift: lines 3-5 of 7\nfunc greet(name: String) -> String {\n    return \"Hello, \\(name)\"\n}\n"),
        (["path": "Sources/App/main.swift", "start_line": 6], "Sources/App/main.swift: lines 6-7 of 7\n\nprint("),
        (["path": "Sources/App/main.swift", "start_line": 5, "end_line": 100], "Sources/App/main.swift: lines 5-7 of 7\n}\n"),
        (["path": "./Sources/App/../App/Util.swift"], "Sources/App/Util.swift: all 3 lines\nstruct Util {"),
        (["path": "readme-link.md"], "README.md: all 2 lines\n# App"),
        (["path": "Sources/App/main.swift", "start_line": 9], "Error: start_line 9 is outside Sources/App/main.swift, which has 7 lines."),
        (["path": "Sources/App/main.swift", "start_line": 3, "end_line": 2], "Error: end_line 2 comes before start_line 3."),
        (["path": "nope.swift"], "Error: nope.swift does not exist"),
        (["path": 3], "Error: read_file: \"path\" must be a string, not a number."),
        (["path": "README.md", "start_line": "2"], "Error: read_file: \"start_line\" must be an integer, not a string."),
        ([:], "Error: read_file needs the argument \"path\"."),
        (["path": "README.md", "file": "x"], "Error: read_file has no argument \"file\"; its arguments are \"end_line\", \"path\", \"start_line\"."),
        (["README.md"], "Error: read_file takes a JSON object of arguments, not an array."),
    ]

    @Test(arguments: cases) func readFile(arguments: JSONValue, expectedPrefix: String) async throws {
        let workspace = try await fixture()
        let result = try await workspace.call("read_file", arguments)
        #expect(result.hasPrefix(expectedPrefix), "got: \(result)")
    }

    @Test func openDocumentsAreReadFromTheEditorBuffer() async throws {
        let workspace = try await fixture(open: ["README.md": "# App (unsaved)\n"])
        #expect(try await workspace.call("read_file", ["path": "README.md"]) == "README.md: all 1 lines\n# App (unsaved)\n")
    }

    @Test func secretValuesInReadableFilesAreRedacted() async throws {
        let token = "sk-proj-" + String(repeating: "a1B2", count: 10)
        let workspace = try await AgentFixture(["Config.swift": "let apiKey = \"\(token)\"\nlet port = 80\n"])
        let result = try await workspace.call("read_file", ["path": "Config.swift"])
        #expect(!result.contains(token))
        #expect(result.contains(SecretPolicy.redactionMarker))
        // Writing the marker back would destroy the real key.
        let content = String(result.split(separator: "\n", maxSplits: 1)[1])
        let write = try await workspace.call("write_file", ["path": "Config.swift", "content": .string(content.replacingOccurrences(of: "80", with: "81"))])
        #expect(write.hasPrefix("Error: The new text for Config.swift contains \(SecretPolicy.redactionMarker)"))
        #expect(try await workspace.call("edit_file", ["path": "Config.swift", "old_text": "let port = 80", "new_text": "let port = 81"]).hasPrefix("Edited"))
        #expect(try await workspace.editedTexts()["Config.swift"] == "let apiKey = \"\(token)\"\nlet port = 81\n")
    }
}

@Suite struct AgentSandboxTests {
    /// Paths every tool must refuse, and words the refusal contains.
    static let refusedPaths: [(String, String)] = [
        ("../outside.txt", "leads outside the workspace"),
        ("Sources/../../outside.txt", "leads outside the workspace"),
        ("/etc/passwd", "not a workspace-relative path"),
        ("~/.ssh/id_rsa", "not a workspace-relative path"),
        (".env", "secret file"),
        ("config/.env.production", "secret file"),
        ("Sources/../.env", "secret file"),
        ("alias.txt", "secret file"),
        ("escape.txt", "symlink"),
        ("link-out/secret.txt", "symlink"),
        ("", "The path is empty"),
    ]

    @Test(arguments: refusedPaths) func everyToolRefuses(path: String, reason: String) async throws {
        let workspace = try await fixture()
        let calls: [(String, JSONValue)] = [
            ("read_file", ["path": .string(path)]),
            ("edit_file", ["path": .string(path), "old_text": "x", "new_text": "y"]),
            ("write_file", ["path": .string(path), "content": "pwned"]),
            ("list_files", ["path": .string(path)]),
            ("search", ["query": "SECRET", "path": .string(path)]),
            ("get_diagnostics", ["path": .string(path)]),
        ]
        for (tool, arguments) in calls where !(path.isEmpty && (tool == "list_files" || tool == "search")) {
            let result = try await workspace.call(tool, arguments)
            #expect(result.hasPrefix("Error: ") && result.contains(reason), "\(tool) \(path): \(result)")
            #expect(!result.contains("OUTSIDE-CONTENT") && !result.contains("TOPSECRETVALUE"))
        }
        #expect(try await workspace.workspace.finalEdits().isEmpty)
        #expect(workspace.disk("../" + (workspace.root as NSString).lastPathComponent + "-outside/secret.txt") == "OUTSIDE-CONTENT\n")
    }

    static let unreadable: [(String, String)] = [
        ("image.png", "binary file"),
        ("private/notes.txt", "excluded from the assistant"),
        ("Sources/App", "is a directory"),
    ]

    @Test(arguments: unreadable) func unreadableFiles(path: String, reason: String) async throws {
        let workspace = try await fixture()
        let result = try await workspace.call("read_file", ["path": .string(path)])
        #expect(result.hasPrefix("Error: ") && result.contains(reason), "\(result)")
    }

    static let protectedWrites = [
        ".git/config", ".git/hooks/pre-commit", ".GIT/HOOKS/post-merge", ".k2lsp.yaml", "sub/.k2lsp.yaml",
        ".vscode/settings.json", ".github/workflows/ci.yml", ".gitlab-ci.yml", ".idea/workspace.xml", ".nvim.lua",
    ]

    @Test(arguments: protectedWrites) func protectedPathsAreReadOnlyByDefault(path: String) async throws {
        let workspace = try await fixture()
        let write = try await workspace.call("write_file", ["path": .string(path), "content": "changed\n"])
        #expect(write.hasPrefix("Error: \(path) is protected"), "\(write)")
        #expect(write.contains("agent.allow_protected_writes"))
        let allowed = try await fixture(options: AgentWorkspaceOptions(allowProtectedWrites: true))
        #expect(try await allowed.call("write_file", ["path": .string(path), "content": "changed\n"]).hasPrefix("Created"))
    }

    @Test func ordinaryPathsAreNotProtected() {
        for path in ["src/git.swift", ".github/CODEOWNERS", "docs/vscode.md", ".gitignore", "k2lsp.yaml"] {
            #expect(ProtectedPaths.rule(for: path) == nil, "\(path)")
        }
    }

    @Test func aPathThatEscapesAfterTheEditIsRefusedAtTheEnd() async throws {
        let workspace = try await AgentFixture(["swap/a.txt": "one\n"])
        #expect(try await workspace.call("edit_file", ["path": "swap/a.txt", "old_text": "one", "new_text": "two"]).hasPrefix("Edited"))
        // The folder is swapped for a symlink to somewhere else before the result is built.
        let outside = workspace.root + "-elsewhere"
        try AgentFixture.write("one\n", to: outside + "/a.txt")
        try FileManager.default.removeItem(atPath: workspace.root + "/swap")
        try FileManager.default.createSymbolicLink(atPath: workspace.root + "/swap", withDestinationPath: outside)
        await #expect(throws: EngineError.self) { try await workspace.workspace.finalEdits() }
    }
}

@Suite struct AgentListAndSearchTests {
    static let listings: [(JSONValue, [String])] = [
        ([:], ["README.md", "Sources/App/Util.swift", "Sources/App/main.swift", "twice.swift"]),
        (["glob": "*.swift"], ["Sources/App/Util.swift", "Sources/App/main.swift", "twice.swift"]),
        (["path": "Sources", "glob": "U*.swift"], ["Sources/App/Util.swift"]),
        (["glob": "Sources/**/*.swift"], ["Sources/App/Util.swift", "Sources/App/main.swift"]),
        (["glob": "**/main.swift"], ["Sources/App/main.swift"]),
        (["glob": "*.{md,txt}"], ["README.md"]),
        (["glob": "[Rt]*"], ["README.md", "twice.swift"]),
        (["path": "./Sources/App/"], ["Sources/App/Util.swift", "Sources/App/main.swift"]),
        (["glob": "*.rs"], []),
    ]

    @Test(arguments: listings) func listFiles(arguments: JSONValue, expected: [String]) async throws {
        let workspace = try await fixture()
        let result = try await workspace.call("list_files", arguments)
        let listed = result.split(separator: "\n").dropFirst().map(String.init)
        let relevant = listed.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".png") && !$0.contains("link") && !$0.hasPrefix("escape") && !$0.hasPrefix("alias") }
        if expected.isEmpty {
            #expect(result.hasPrefix("No files"), "\(result)")
        } else {
            #expect(relevant == expected, "\(result)")
        }
        // Ignored, assistant-excluded, secret and outside files never show.
        for hidden in ["build-output/gen.swift", "debug.log", "private/notes.txt", ".env", "link-out/secret.txt"] {
            #expect(!listed.contains(hidden))
        }
    }

    static let searches: [(JSONValue, [String])] = [
        (["query": "greet"], [
            "3 matches for \"greet\" in 2 files:", "README.md:2: A greeting app.",
            "Sources/App/main.swift:3: func greet(name: String) -> String {",
            "Sources/App/main.swift:7: print(greet(name: \"K2\"))",
        ]),
        (["query": "GREETING"], ["No matches for \"GREETING\" in the workspace."]),
        (["query": "Greet"], ["No matches for \"Greet\" in the workspace."]),
        (["query": "^func \\w+\\(", "regex": true], [
            "1 match for the pattern ^func \\w+\\( in 1 file:", "Sources/App/main.swift:3: func greet(name: String) -> String {",
        ]),
        (["query": "version = \\d", "regex": true, "path": "Sources"], [
            "1 match for the pattern version = \\d in 1 file:", "Sources/App/Util.swift:2:     static let version = 2",
        ]),
        (["query": "greet", "path": "README.md"], ["1 match for \"greet\" in 1 file:", "README.md:2: A greeting app."]),
        (["query": "TOPSECRETVALUE"], ["No matches for \"TOPSECRETVALUE\" in the workspace."]),
        (["query": "OUTSIDE-CONTENT"], ["No matches for \"OUTSIDE-CONTENT\" in the workspace."]),
        (["query": "(", "regex": true], ["Error: The regular expression ( is not valid"]),
        (["query": ""], ["Error: search needs a non-empty query."]),
    ]

    @Test(arguments: searches) func search(arguments: JSONValue, expected: [String]) async throws {
        let workspace = try await fixture()
        let result = try await workspace.call("search", arguments)
        let lines = result.split(separator: "\n").map(String.init)
        if expected.count == 1 {
            #expect(result.hasPrefix(expected[0]), "\(result)")
        } else {
            #expect(lines.first == expected.first, "\(result)")
            for line in expected.dropFirst() { #expect(lines.contains(line), "\(line) in \(result)") }
        }
    }

    @Test func searchSeesEditorBuffers() async throws {
        let workspace = try await fixture(open: ["README.md": "# App\nunsavedWord here\n"])
        #expect(try await workspace.call("search", ["query": "unsavedWord"]) == "1 match for \"unsavedWord\" in 1 file:\nREADME.md:2: unsavedWord here")
    }

    static let globs: [(String, String, Bool)] = [
        ("*.swift", "a/b/c.swift", true), ("*.swift", "c.swiftx", false), ("src/*.ts", "src/a.ts", true),
        ("src/*.ts", "src/x/a.ts", false), ("src/**/*.ts", "src/a.ts", true), ("src/**/*.ts", "src/x/y/a.ts", true),
        ("**/test_*.py", "test_a.py", true), ("**", "any/thing", true), ("a?c", "abc", true), ("a?c", "a/c", false),
        ("[!a]*", "bcd", true), ("[!a]*", "abc", false), ("[a-c]x", "bx", true), ("{src,lib}/*.go", "lib/m.go", true),
        ("*.{js,ts,tsx}", "deep/x.tsx", true), ("\\*.md", "*.md", true), ("/README.md", "README.md", true),
        ("[unclosed", "[unclosed", true),
    ]

    @Test(arguments: globs) func glob(pattern: String, path: String, matches: Bool) throws {
        #expect(try GlobPattern(pattern).matches(path) == matches)
    }
}

@Suite struct AgentOverlayTests {
    @Test func editsAccumulateInTheOverlayAndNothingIsWritten() async throws {
        let workspace = try await fixture()
        let edit = try await workspace.call(
            "edit_file",
            ["path": "Sources/App/main.swift", "old_text": "return \"Hello, \\(name)\"", "new_text": "return \"Hi, \\(name)!\""])
        #expect(edit == "Edited Sources/App/main.swift at line 4; the file now has 7 lines.")
        #expect(try await workspace.call("read_file", ["path": "Sources/App/main.swift", "start_line": 4, "end_line": 4])
            == "Sources/App/main.swift: lines 4-4 of 7\n    return \"Hi, \\(name)!\"\n")
        #expect(try await workspace.call("search", ["query": "Hi,"]).contains("Sources/App/main.swift:4:"))
        // A second edit sees the first.
        #expect(try await workspace.call(
            "edit_file", ["path": "Sources/App/main.swift", "old_text": "Hi, \\(name)!", "new_text": "Hi there, \\(name)!"]).hasPrefix("Edited"))
        #expect(try await workspace.call("write_file", ["path": "Sources/App/New.swift", "content": "let new = 1\n"])
            == "Created Sources/App/New.swift (1 lines).")
        #expect(try await workspace.call("list_files", ["glob": "New.swift"]).contains("Sources/App/New.swift"))
        #expect(try await workspace.call("read_file", ["path": "Sources/App/New.swift"]) == "Sources/App/New.swift: all 1 lines\nlet new = 1\n")

        #expect(workspace.disk("Sources/App/main.swift") == files["Sources/App/main.swift"])
        #expect(workspace.disk("Sources/App/New.swift") == nil)
        let edits = try await workspace.workspace.finalEdits()
        #expect(edits.map(\.isNewFile) == [false, true])
        #expect(edits.first?.baseVersion == nil)
        let texts = try await workspace.editedTexts()
        #expect(texts["Sources/App/main.swift"]?.contains("return \"Hi there, \\(name)!\"") == true)
        #expect(texts["Sources/App/New.swift"] == "let new = 1\n")
    }

    @Test func openDocumentsAreTheBaseOfTheirEdits() async throws {
        let buffer = "# App (unsaved)\nA greeting app.\n"
        let workspace = try await fixture(open: ["README.md": buffer])
        _ = try await workspace.call("edit_file", ["path": "README.md", "old_text": "A greeting app.", "new_text": "A friendly app."])
        let edit = try #require(try await workspace.workspace.finalEdits().first)
        #expect(edit.baseText == buffer)
        #expect(edit.baseVersion == 4)
        #expect(edit.path == workspace.root + "/README.md")
        #expect(edit.newText == "# App (unsaved)\nA friendly app.\n")
    }

    static let editFailures: [(JSONValue, String)] = [
        (["path": "README.md", "old_text": "not in the file", "new_text": "x"], "was not found"),
        (["path": "twice.swift", "old_text": "reset()", "new_text": "clear()"], "matches 2 places"),
        (["path": "missing.swift", "old_text": "a", "new_text": "b"], "does not exist; create it with write_file"),
        (["path": "README.md", "old_text": "# App", "new_text": "# App"], "nothing to change"),
        (["path": "README.md", "old_text": "# App"], "edit_file needs the argument \"new_text\"."),
        (["path": "image.png", "old_text": "PNG", "new_text": "JPG"], "binary file"),
    ]

    @Test(arguments: editFailures) func editFailuresChangeNothing(arguments: JSONValue, reason: String) async throws {
        let workspace = try await fixture()
        let result = try await workspace.call("edit_file", arguments)
        #expect(result.hasPrefix("Error: ") && result.contains(reason), "\(result)")
        #expect(try await workspace.workspace.finalEdits().isEmpty)
    }

    @Test func emptyOldTextCreatesAFile() async throws {
        let workspace = try await fixture()
        #expect(try await workspace.call("edit_file", ["path": "docs/new.md", "old_text": "", "new_text": "# New\n"])
            == "Created docs/new.md (1 lines).")
        #expect(try await workspace.workspace.finalEdits().first?.isNewFile == true)
    }

    @Test func writingTheSameContentIsNoChange() async throws {
        let workspace = try await fixture()
        #expect(try await workspace.call("write_file", ["path": "README.md", "content": "# App\nA greeting app.\n"])
            == "README.md already had this content; nothing changed.")
        #expect(try await workspace.workspace.finalEdits().isEmpty)
    }

    @Test func diagnosticsOfTheWorkspace() async throws {
        let warning = DiagnosticInfo(line: 3, endLine: 3, message: "unused result", severity: "warning", source: "swiftc", code: nil)
        let error = DiagnosticInfo(line: 0, endLine: 0, message: "no such module", severity: "error", source: nil, code: "E1")
        let leaked = DiagnosticInfo(line: 0, endLine: 0, message: "TOPSECRETVALUE", severity: "error", source: nil, code: nil)
        let workspace = try await fixture(diagnostics: [
            "Sources/App/main.swift": [warning, error], ".env": [leaked],
        ])
        #expect(try await workspace.call("get_diagnostics", [:])
            == "Sources/App/main.swift:1: error: no such module [E1]\nSources/App/main.swift:4: warning: unused result [swiftc]")
        #expect(try await workspace.call("get_diagnostics", ["path": "README.md"]) == "The editor reported no diagnostics for README.md.")
    }
}
