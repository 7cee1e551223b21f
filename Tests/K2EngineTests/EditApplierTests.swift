// Applying edits to in-memory files: in order, all or nothing, with a repair prompt on failure.
import Testing
import K2Engine

private func blocks(_ reply: String) throws -> [EditOperation] {
    try SearchReplaceReply.parse(reply).get().editOperations
}

@Test func laterBlocksSeeEarlierResults() throws {
    let reply = "a.swift\n<<<<<<< SEARCH\nlet x = 1\n=======\nlet x = 2\n>>>>>>> REPLACE\n"
        + "<<<<<<< SEARCH\nlet x = 2\nprint(x)\n=======\nlet x = 3\nprint(x)\n>>>>>>> REPLACE\n"
    let results = try EditApplier.apply(try blocks(reply), to: ["a.swift": "let x = 1\nprint(x)\n"]).get()
    #expect(results == [FileEditResult(path: "a.swift", originalText: "let x = 1\nprint(x)\n", newText: "let x = 3\nprint(x)\n", isNewFile: false)])
}

@Test func editsSeveralFilesAndCreatesNewOnes() throws {
    let reply = """
        b.py
        <<<<<<< SEARCH
        x = 1
        =======
        x = 2
        >>>>>>> REPLACE

        new/c.py
        <<<<<<< SEARCH
        =======
        print("hi")
        >>>>>>> REPLACE

        a.py
        <<<<<<< SEARCH
        =======
        appended()
        >>>>>>> REPLACE
        """
    let results = try EditApplier.apply(try blocks(reply), to: ["a.py": "first()", "b.py": "x = 1\n"]).get()
    #expect(results.map(\.path) == ["b.py", "new/c.py", "a.py"])
    #expect(results.map(\.newText) == ["x = 2\n", "print(\"hi\")\n", "first()\nappended()\n"])
    #expect(results.map(\.isNewFile) == [false, true, false])
}

@Test func blocksWithoutAPathUseTheDefault() throws {
    let reply = "<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE"
    let results = try EditApplier.apply(try blocks(reply), to: ["doc.md": "old\n"], defaultPath: "doc.md").get()
    #expect(results.first?.newText == "new\n")
}

@Test func editFileCallsUseTheSameMatching() throws {
    let call = EditFileCall(path: "s.swift", oldText: "func f() {\n    g()\n}", newText: "func f() {\n    h()\n}")
    let text = "struct S {\n    func f() {\n        g()\n    }\n}\n"
    let results = try EditApplier.apply([.editFile(call)], to: ["s.swift": text]).get()
    #expect(results.first?.newText == "struct S {\n    func f() {\n        h()\n    }\n}\n")
}

@Test func anyFailureChangesNothingAndListsEveryProblem() throws {
    let reply = """
        a.swift
        <<<<<<< SEARCH
        let a = 1
        =======
        let a = 2
        >>>>>>> REPLACE
        <<<<<<< SEARCH
        let b = 9
        =======
        let b = 3
        >>>>>>> REPLACE
        missing.swift
        <<<<<<< SEARCH
        x
        =======
        y
        >>>>>>> REPLACE
        """
    let text = "let a = 1\nlet b = 2\n"
    let result = EditApplier.apply(try blocks(reply), to: ["a.swift": text])
    guard case .failure(let failure) = result else {
        Issue.record("expected a failure, got \(result)")
        return
    }
    #expect(failure.problems.map(\.number) == [2, 3])
    #expect(failure.problems.map(\.reason) == [
        .match(.notFound(closest: ClosestLines(firstLine: 2, lines: ["let b = 2"], similarity: 0.8))),
        .fileNotFound,
    ])
    #expect(failure.message == """
        2 edits could not be applied, so nothing was changed.
        - SEARCH/REPLACE block 2 in a.swift: the SEARCH text was not found. The most similar lines are line 2 (80% similar):
        2 | let b = 2
        - SEARCH/REPLACE block 3 edits missing.swift, which is not among the files that can be edited; use one of those paths, or an empty SEARCH text to create a new file.
        """)
    #expect(failure.applied == [1])
    let repair = failure.repairPrompt(appliedNames: ["SEARCH/REPLACE block 1"])
    #expect(repair.hasPrefix("Some of your edits could not be applied, so nothing has been changed yet:\n\n"))
    #expect(repair.contains("2 | let b = 2"))
    #expect(repair.contains("The other edits (SEARCH/REPLACE block 1) do apply and are kept; do not send them again."))
    #expect(repair.hasSuffix("must not leave lines out with `...`."))
}

@Test func ambiguityIsReportedNotGuessed() throws {
    let reply = "a.txt\n<<<<<<< SEARCH\nsame\n=======\nother\n>>>>>>> REPLACE"
    let result = EditApplier.apply(try blocks(reply), to: ["a.txt": "same\nx\nsame\n"])
    guard case .failure(let failure) = result else {
        Issue.record("expected a failure, got \(result)")
        return
    }
    #expect(failure.problems.first?.reason == .match(.ambiguous(count: 2, lines: [1, 3])))
    #expect(failure.message.contains("matches 2 places (lines 1, 3); include more surrounding lines"))
}

@Test func aBlockWithoutAnyPathIsAProblem() throws {
    let result = EditApplier.apply(try blocks("<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE"), to: ["x": "a\n"])
    guard case .failure(let failure) = result else {
        Issue.record("expected a failure, got \(result)")
        return
    }
    #expect(failure.problems.map(\.reason) == [.missingPath])
}

@Test func referencedPathsInFirstUseOrder() throws {
    let operations: [EditOperation] = [
        .editFile(EditFileCall(path: "b", oldText: "", newText: "")),
        .searchReplace(SearchReplaceBlock(path: nil, search: "", replace: "", number: 2)),
        .editFile(EditFileCall(path: "b", oldText: "", newText: "")),
        .editFile(EditFileCall(path: "a", oldText: "", newText: "")),
    ]
    #expect(EditApplier.referencedPaths(of: operations, defaultPath: "current") == ["b", "current", "a"])
}
