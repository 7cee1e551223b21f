// `k2lsp edit` with the reply shapes models really send: blocks for a whole-file selection, two spellings of one
// file, several files in one run, and refusals that leave every byte as it was.
import Foundation
import K2TestSupport
import Testing

@Suite struct CLIReplyShapeTests {
    @Test func blocksAnsweringAWholeFileSelectionAreAppliedNotPasted() async throws {
        let source = "def area(w, h):\n    return w * h\n"
        let sandbox = try await CLISandbox.start(files: ["geometry.py": source])
        defer { Task { await sandbox.finish() } }
        // The whole file is the selection; the model answers with SEARCH/REPLACE blocks naming the file two ways.
        sandbox.model.enqueue(.text("""
            Here are the changes:

            geometry.py
            ```python
            <<<<<<< SEARCH
            def area(w, h):
            =======
            def area(w: float, h: float) -> float:
            >>>>>>> REPLACE
            ```

            ./geometry.py
            ```python
            <<<<<<< SEARCH
                return w * h
            =======
                return float(w * h)
            >>>>>>> REPLACE
            ```
            """))
        let result = try await sandbox.run(["edit", "geometry.py", "-m", "add type hints", "--write"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(try sandbox.workspace.read("geometry.py") == "def area(w: float, h: float) -> float:\n    return float(w * h)\n")
    }

    @Test func aRefusedReplyLeavesEveryFileByteIdentical() async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        let crlf: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("one\r\ntwo\r\nthree".utf8)
        try sandbox.writeBytes("notes.txt", crlf)
        try sandbox.writeBytes("other.txt", Array("alpha\nbeta\n".utf8))
        // A SEARCH text that is not in the file, three times (the reply and two repair rounds).
        for _ in 0..<3 {
            sandbox.model.enqueue(.text("""
                notes.txt
                <<<<<<< SEARCH
                four
                =======
                4
                >>>>>>> REPLACE
                other.txt
                <<<<<<< SEARCH
                alpha
                =======
                ALPHA
                >>>>>>> REPLACE
                """))
        }
        let result = try await sandbox.run(["edit", "notes.txt", "-m", "number four", "--write"])
        #expect(result.exitCode == 1, "\(result)")
        #expect(try sandbox.bytes("notes.txt") == crlf)
        #expect(try sandbox.bytes("other.txt") == Array("alpha\nbeta\n".utf8))
        #expect(result.stderr.contains("nothing was changed"))
        #expect(result.stderr.contains("SEARCH/REPLACE block 1 in notes.txt"))
        #expect(sandbox.model.chatRequests.count == 3)
        // The repair round says which block applied and keeps it.
        let repair = sandbox.model.chatRequests[1].json?["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
        #expect(repair.contains("The other edits (SEARCH/REPLACE block 2) do apply and are kept"))
    }

    @Test func aLaterFileOfTheRunIsEditedFromWhatAnEarlierReplyLeft() async throws {
        let sandbox = try await CLISandbox.start(files: ["a.py": "from b import f\nf()\n", "b.py": "def f():\n    pass\n"])
        defer { Task { await sandbox.finish() } }
        // Editing a.py also changes b.py; then b.py is edited from that text, not from the disk copy.
        sandbox.model.enqueue(.text("""
            a.py
            <<<<<<< SEARCH
            f()
            =======
            f(1)
            >>>>>>> REPLACE
            b.py
            <<<<<<< SEARCH
            def f():
            =======
            def f(x):
            >>>>>>> REPLACE
            """))
        sandbox.model.enqueue(.text("""
            b.py
            <<<<<<< SEARCH
            def f(x):
                pass
            =======
            def f(x):
                return x
            >>>>>>> REPLACE
            """))
        let result = try await sandbox.run(["edit", "a.py", "b.py", "-m", "pass x", "--write"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(try sandbox.workspace.read("a.py") == "from b import f\nf(1)\n")
        #expect(try sandbox.workspace.read("b.py") == "def f(x):\n    return x\n")
        let secondPrompt = sandbox.model.chatRequests[1].json?["messages"]?[1]?["content"]?.stringValue ?? ""
        #expect(secondPrompt.contains("def f(x):"))
    }
}
