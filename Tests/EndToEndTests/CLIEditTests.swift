// `k2lsp edit` end to end: diffs, byte-faithful atomic writes, all-or-nothing runs and exit codes.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite struct CLIEditTests {
    static let threeLines = "let a = 1\nlet b = 2\nlet c = 3\n"
    static let bIsTwenty = "```swift\nlet a = 1\nlet b = 20\nlet c = 3\n```\nChanged b to 20."

    @Test func printsAGitStyleDiffAndLeavesTheFileAlone() async throws {
        let sandbox = try await CLISandbox.start(files: ["Sources/a.swift": Self.threeLines])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text(Self.bIsTwenty))
        let result = try await sandbox.run(["edit", "a.swift", "-m", "make b 20"], in: "Sources")
        #expect(result.exitCode == 0, "\(result)")
        #expect(
            result.stdout == """
                diff --git a/Sources/a.swift b/Sources/a.swift
                --- a/Sources/a.swift
                +++ b/Sources/a.swift
                @@ -1,3 +1,3 @@
                 let a = 1
                -let b = 2
                +let b = 20
                 let c = 3

                """)
        #expect(try sandbox.workspace.read("Sources/a.swift") == Self.threeLines)
        #expect(result.stderr.contains("Changed b to 20."))
        #expect(result.stderr.contains("add --write"))
        #expect(sandbox.userMessage().contains("Instruction: make b 20"))
        #expect(sandbox.model.chatRequests.first?.header("Authorization") == "Bearer \(CLISandbox.apiKey)")
    }

    /// One file's bytes before and after `--write`, for a reply that changes the middle line.
    struct ByteCase: Sendable, CustomStringConvertible {
        var name: String
        var original: [UInt8]
        var reply: String
        var expected: [UInt8]
        var description: String { name }
    }

    static let byteCases: [ByteCase] = [
        ByteCase(
            name: "CRLF", original: Array("one\r\ntwo\r\nthree\r\n".utf8), reply: "```\none\n2\nthree\n```",
            expected: Array("one\r\n2\r\nthree\r\n".utf8)),
        ByteCase(
            name: "mixed endings keep untouched lines", original: Array("one\r\ntwo\nthree\r\n".utf8),
            reply: "```\none\n2\nthree\n```", expected: Array("one\r\n2\r\nthree\r\n".utf8)),
        ByteCase(
            name: "UTF-8 BOM", original: [0xEF, 0xBB, 0xBF] + Array("one\ntwo\nthree\n".utf8),
            reply: "```\none\n2\nthree\n```", expected: [0xEF, 0xBB, 0xBF] + Array("one\n2\nthree\n".utf8)),
        ByteCase(
            name: "no final newline", original: Array("one\ntwo\nthree".utf8), reply: "```\none\n2\nthree\n```",
            expected: Array("one\n2\nthree".utf8)),
        ByteCase(
            name: "non-ASCII text", original: Array("naïve\nzwei 🎉\ndrei\n".utf8), reply: "```\nnaïve\n2 🎉\ndrei\n```",
            expected: Array("naïve\n2 🎉\ndrei\n".utf8)),
    ]

    @Test(arguments: byteCases) func writeKeepsTheFilesBytes(_ byteCase: ByteCase) async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        try sandbox.writeBytes("notes.txt", byteCase.original)
        sandbox.model.enqueue(.text(byteCase.reply))
        let result = try await sandbox.run(["edit", "notes.txt", "-m", "number the second line", "--write"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(try sandbox.bytes("notes.txt") == byteCase.expected)
        #expect(result.stderr.contains("Wrote notes.txt."))
    }

    @Test(arguments: [0o755, 0o600, 0o640]) func writeKeepsTheFilesMode(_ mode: Int) async throws {
        let sandbox = try await CLISandbox.start(files: ["run.sh": "#!/bin/sh\necho one\n"])
        defer { Task { await sandbox.finish() } }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: sandbox.path("run.sh"))
        sandbox.model.enqueue(.text("```sh\n#!/bin/sh\necho two\n```"))
        let result = try await sandbox.run(["edit", "run.sh", "-m", "echo two", "--write"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(try sandbox.workspace.read("run.sh") == "#!/bin/sh\necho two\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.path("run.sh"))
        #expect((attributes[.posixPermissions] as? Int) == mode)
    }

    @Test func aReadOnlyFileIsReplacedOnlyWithForce() async throws {
        let sandbox = try await CLISandbox.start(files: ["locked.py": "x = 1\n", "other.py": "y = 1\n"])
        defer { Task { await sandbox.finish() } }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: sandbox.path("locked.py"))
        sandbox.model.enqueue(.text("```python\ny = 2\n```"))
        sandbox.model.enqueue(.text("```python\nx = 2\n```"))
        let refused = try await sandbox.run(["edit", "other.py", "locked.py", "-m", "bump", "--write"])
        #expect(refused.exitCode == 1, "\(refused)")
        #expect(refused.stderr.contains("locked.py is read-only (mode 0444)"), "\(refused)")
        #expect(refused.stderr.contains("--force"))
        #expect(try sandbox.workspace.read("locked.py") == "x = 1\n")
        #expect(try sandbox.workspace.read("other.py") == "y = 1\n", "all or nothing")
        sandbox.model.enqueue(.text("```python\nx = 2\n```"))
        let forced = try await sandbox.run(["edit", "locked.py", "-m", "bump", "--write", "--force"])
        #expect(forced.exitCode == 0, "\(forced)")
        #expect(try sandbox.workspace.read("locked.py") == "x = 2\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.path("locked.py"))
        #expect((attributes[.posixPermissions] as? Int) == 0o444)
        let alone = try await sandbox.run(["edit", "locked.py", "-m", "bump", "--force"])
        #expect(alone.exitCode == 2 && alone.stderr.contains("add --write"), "\(alone)")
    }

    @Test func writeThroughASymbolicLinkEditsTheTargetAndKeepsTheLink() async throws {
        let sandbox = try await CLISandbox.start(files: ["real/config.txt": "alpha\nbeta\n"])
        defer { Task { await sandbox.finish() } }
        try FileManager.default.createSymbolicLink(atPath: sandbox.path("link.txt"), withDestinationPath: "real/config.txt")
        sandbox.model.enqueue(.text("```\nalpha\ngamma\n```"))
        let result = try await sandbox.run(["edit", "link.txt", "-m", "beta to gamma", "--write"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(try sandbox.workspace.read("real/config.txt") == "alpha\ngamma\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.path("link.txt")) == "real/config.txt")
        #expect(result.stdout.contains("diff --git a/link.txt b/link.txt"))
    }

    @Test func writeToAHardLinkedFileKeepsTheLinksShared() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.txt": "alpha\nbeta\n"])
        defer { Task { await sandbox.finish() } }
        try FileManager.default.linkItem(atPath: sandbox.path("a.txt"), toPath: sandbox.path("b.txt"))
        sandbox.model.enqueue(.text("```\nalpha\ngamma\n```"))
        let result = try await sandbox.run(["edit", "a.txt", "-m", "beta to gamma", "--write"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(try sandbox.workspace.read("b.txt") == "alpha\ngamma\n")
        let first = try FileManager.default.attributesOfItem(atPath: sandbox.path("a.txt"))
        let second = try FileManager.default.attributesOfItem(atPath: sandbox.path("b.txt"))
        #expect((first[.systemFileNumber] as? Int) == (second[.systemFileNumber] as? Int))
    }

    @Test func providerFailureLeavesEveryFileUntouchedAndExits3() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": Self.threeLines, "b.swift": "let d = 4\n"])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text("```swift\nlet a = 10\nlet b = 2\nlet c = 3\n```"))
        sandbox.model.enqueue(.error(status: 401, type: "invalid_authentication_error", message: "Invalid Authentication"))
        let result = try await sandbox.run(["edit", "a.swift", "b.swift", "-m", "bump", "--write"])
        #expect(result.exitCode == 3, "\(result)")
        #expect(try sandbox.workspace.read("a.swift") == Self.threeLines)
        #expect(try sandbox.workspace.read("b.swift") == "let d = 4\n")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("K2_API_KEY"))
        #expect(!result.stderr.contains(CLISandbox.apiKey))
    }

    @Test func anInvalidReplyForOneFileWritesNothingAndExits1() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": Self.threeLines, "b.swift": "let d = 4\n"])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text("```swift\nlet a = 10\nlet b = 2\nlet c = 3\n```"))
        // An unterminated code block, three times (the first reply and two repair rounds).
        sandbox.model.enqueue(.text("```swift\nlet d = 40\n"))
        sandbox.model.enqueue(.text("Sorry:\n```swift\nlet d = 40\n"))
        sandbox.model.enqueue(.text("Sorry again:\n```swift\nlet d = 40\n"))
        let result = try await sandbox.run(["edit", "a.swift", "b.swift", "-m", "bump", "--write"])
        #expect(result.exitCode == 1, "\(result)")
        #expect(try sandbox.workspace.read("a.swift") == Self.threeLines)
        #expect(try sandbox.workspace.read("b.swift") == "let d = 4\n")
        #expect(result.stderr.contains("nothing was changed"))
        #expect(sandbox.model.chatRequests.count == 4)
    }

    @Test func severalFilesAreWrittenTogether() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": Self.threeLines, "b.swift": "let d = 4\n"])
        defer { Task { await sandbox.finish() } }
        // The files are edited in the order given.
        sandbox.model.enqueue(.text("```swift\nlet a = 10\nlet b = 2\nlet c = 3\n```"))
        sandbox.model.enqueue(.text("```swift\nlet d = 40\n```"))
        let result = try await sandbox.run(["edit", "a.swift", "b.swift", "-m", "multiply by ten", "--write"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(try sandbox.workspace.read("a.swift") == "let a = 10\nlet b = 2\nlet c = 3\n")
        #expect(try sandbox.workspace.read("b.swift") == "let d = 40\n")
        #expect(result.stdout.contains("diff --git a/a.swift b/a.swift"))
        #expect(result.stdout.contains("diff --git a/b.swift b/b.swift"))
        #expect(result.stderr.contains("Wrote a.swift, b.swift."))
    }

    @Test func testsKindCreatesANewFileWithTheEditedOne() async throws {
        let sandbox = try await CLISandbox.start(files: ["Sources/Math.swift": "func double(_ x: Int) -> Int { x * 2 }\n"])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text("""
            Tests/MathTests.swift
            <<<<<<< SEARCH
            =======
            import Testing
            @Test func doubles() { #expect(double(2) == 4) }
            >>>>>>> REPLACE
            """))
        let result = try await sandbox.run(["edit", "Sources/Math.swift", "--kind", "tests", "--write"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(
            result.stdout == """
                diff --git a/Tests/MathTests.swift b/Tests/MathTests.swift
                new file mode 100644
                --- /dev/null
                +++ b/Tests/MathTests.swift
                @@ -0,0 +1,2 @@
                +import Testing
                +@Test func doubles() { #expect(double(2) == 4) }

                """)
        #expect(
            try sandbox.workspace.read("Tests/MathTests.swift")
                == "import Testing\n@Test func doubles() { #expect(double(2) == 4) }\n")
        #expect(result.stderr.contains("Wrote Tests/MathTests.swift."))
    }

    @Test func aFileChangedOnDiskWhileK2WorksIsNotOverwritten() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": Self.threeLines])
        defer { Task { await sandbox.finish() } }
        let gate = ReplyGate()
        sandbox.model.enqueue(.afterGate(gate, .text(Self.bIsTwenty)))
        async let run = sandbox.run(["edit", "a.swift", "-m", "make b 20", "--write"])
        // The run may wait for a process slot behind other CLI tests first: the bound is only for a hang.
        #expect(await sandbox.model.waitForRequests(count: 1, timeout: .seconds(120)))
        try sandbox.workspace.write("a.swift", "let a = 1 // edited by hand\n")
        gate.open()
        let result = try await run
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("changed on disk since it was read"))
        #expect(try sandbox.workspace.read("a.swift") == "let a = 1 // edited by hand\n")
    }

    @Test func aMissingFileExits2BeforeAnyModelCall() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": Self.threeLines])
        defer { Task { await sandbox.finish() } }
        let result = try await sandbox.run(["edit", "a.swift", "missing.swift", "-m", "anything"])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("missing.swift does not exist"))
        #expect(sandbox.model.recordedRequests.isEmpty)
    }

    @Test func binaryAndNonUTF8FilesAreRefusedBeforeAnyModelCall() async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        try sandbox.writeBytes("image.bin", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01])
        try sandbox.writeBytes("latin1.txt", Array("caf".utf8) + [0xE9, 0x0A])
        let binary = try await sandbox.run(["edit", "image.bin", "-m", "anything"])
        #expect(binary.exitCode == 2, "\(binary)")
        #expect(binary.stderr.contains("image.bin looks binary"))
        let latin1 = try await sandbox.run(["edit", "latin1.txt", "-m", "anything"])
        #expect(latin1.exitCode == 2, "\(latin1)")
        #expect(latin1.stderr.contains("latin1.txt is not valid UTF-8"))
        #expect(sandbox.model.recordedRequests.isEmpty)
    }

    @Test func jsonOutputParses() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": Self.threeLines])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text(Self.bIsTwenty))
        let result = try await sandbox.run(["edit", "a.swift", "-m", "make b 20", "--json"])
        #expect(result.exitCode == 0, "\(result)")
        let json = try JSONValue(parsing: Data(result.stdout.utf8))
        #expect(json["files"]?.arrayValue?.count == 1)
        #expect(json["files"]?[0]?["path"] == "a.swift")
        #expect(json["files"]?[0]?["diff"]?.stringValue?.contains("+let b = 20\n") == true)
        #expect(json["model"] == "kimi-k2.6")
        #expect(json["usage"]?["promptTokens"] == 12)
        #expect(json["usage"]?["completionTokens"] == 7)
        #expect(json["summary"] == "Changed b to 20.")
        #expect(json["written"] == false)
        #expect(try sandbox.workspace.read("a.swift") == Self.threeLines)
    }

    @Test func theInstructionCanComeFromStdin() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": Self.threeLines])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text(Self.bIsTwenty))
        let result = try await sandbox.run(["edit", "a.swift", "-m", "-"], stdin: "make b twenty\nplease\n")
        #expect(result.exitCode == 0, "\(result)")
        #expect(sandbox.userMessage().contains("Instruction: make b twenty\nplease"))
        let empty = try await sandbox.run(["edit", "a.swift", "-m", "-"], stdin: "  \n")
        #expect(empty.exitCode == 2, "\(empty)")
        #expect(sandbox.model.chatRequests.count == 1)
    }

    /// `--lines` and `--range` select part of the file; the reply replaces exactly that.
    struct SelectionCase: Sendable, CustomStringConvertible {
        var arguments: [String]
        var selected: String
        var reply: String
        var expected: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let selectionCases: [SelectionCase] = [
        SelectionCase(
            arguments: ["--lines", "2-3"], selected: "two\nthree\n", reply: "```\nTWO\nTHREE\n```",
            expected: "one\nTWO\nTHREE\nfour\n"),
        SelectionCase(arguments: ["--lines", "4"], selected: "four\n", reply: "```\nFOUR\n```", expected: "one\ntwo\nthree\nFOUR\n"),
        SelectionCase(
            arguments: ["--range", "2:2-3:3"], selected: "wo\nth", reply: "```\nWO\nTH\n```",
            expected: "one\ntWO\nTHree\nfour\n"),
    ]

    @Test(arguments: selectionCases) func aSelectionLimitsTheEdit(_ selectionCase: SelectionCase) async throws {
        let sandbox = try await CLISandbox.start(files: ["list.txt": "one\ntwo\nthree\nfour\n"])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text(selectionCase.reply))
        let result = try await sandbox.run(["edit", "list.txt", "-m", "capitals", "--write"] + selectionCase.arguments)
        #expect(result.exitCode == 0, "\(result)")
        #expect(try sandbox.workspace.read("list.txt") == selectionCase.expected)
        #expect(sandbox.userMessage().contains(selectionCase.selected))
    }

    /// Usage errors exit 2 before any model call, with a sentence that says what to do.
    static let usageCases: [(arguments: [String], message: String)] = [
        (["edit", "list.txt", "--bogus", "-m", "x"], "Unknown option '--bogus'"),
        (["edit", "list.txt"], "Say what to change"),
        (["edit", "list.txt", "-m", "x", "--lines", "3-2"], "--lines expects"),
        (["edit", "list.txt", "-m", "x", "--lines", "2-9"], "has 4 lines"),
        (["edit", "list.txt", "-m", "x", "--range", "1:9-2:1"], "Column 9 is past the end of line 1"),
        (["edit", "list.txt", "other.txt", "-m", "x", "--lines", "1-2"], "apply to one file"),
        (["edit", "list.txt", "-m", "x", "--kind", "poetry"], "Unknown kind 'poetry'"),
        (["edit", "list.txt", "-m", "x", "--profile", "gold"], "Unknown profile 'gold'"),
        (["edit", "list.txt", "-m", "x", "--workspace", "no/such/folder"], "is not a folder"),
        (["edit", "/etc/hostname", "-m", "x"], "is outside the workspace"),
        (["edit", "list.txt", "-m", "x", "--config", "missing.yaml"], "does not exist"),
    ]

    @Test(arguments: usageCases.indices) func usageErrorsExit2WithoutAModelCall(_ index: Int) async throws {
        let usageCase = Self.usageCases[index]
        let sandbox = try await CLISandbox.start(files: ["list.txt": "one\ntwo\nthree\nfour\n", "other.txt": "x\n"])
        defer { Task { await sandbox.finish() } }
        let result = try await sandbox.run(usageCase.arguments)
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains(usageCase.message), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(sandbox.model.recordedRequests.isEmpty)
    }

    @Test func withoutAnAPIKeyItExits2WithTheFixAndSendsNothing() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": Self.threeLines])
        defer { Task { await sandbox.finish() } }
        let result = try await sandbox.run(["edit", "a.swift", "-m", "make b 20"], removing: ["K2_API_KEY"])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("K2_API_KEY is not set"))
        #expect(result.stderr.contains("export K2_API_KEY"))
        #expect(sandbox.model.recordedRequests.isEmpty)
    }

    @Test func profileAndModelOverrideTheConfiguration() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.swift": Self.threeLines])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text(Self.bIsTwenty))
        let result = try await sandbox.run(["edit", "a.swift", "-m", "b 20", "--model", "kimi-k2-custom", "--profile", "pro"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(sandbox.model.chatRequests.first?.json?["model"] == "kimi-k2-custom")
    }
}
