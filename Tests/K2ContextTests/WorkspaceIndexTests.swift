// The index: built in the background, kept current by change events, and the symbol table behind definitions.
import Foundation
import Testing

@testable import K2Context

@Test func indexingListsFilesAndDefinitions() async throws {
    let fixture = try FixtureWorkspace([
        "src/a.py": "def alpha():\n    pass\n",
        "src/b.ts": "export function beta() {\n}\n",
        "node_modules/x/index.js": "function hidden() {}\n",
        ".env": "KEY=1\n",
    ])
    let index = WorkspaceIndex(roots: [fixture.root])
    await index.startIndexing()
    await index.waitUntilIndexed()
    #expect(await index.files().map(\.relativePath) == ["src/a.py", "src/b.ts"])
    await index.waitUntilSymbolsIndexed()
    #expect(index.definitions(of: "alpha") == [SymbolLocation(file: FileKey(root: 0, relativePath: "src/a.py"), line: 0)])
    #expect(index.definitions(of: "hidden").isEmpty)
    let progress = await index.currentProgress()
    #expect(progress.isListingComplete && progress.isSymbolIndexComplete)
    #expect(progress.fileCount == 2)
    #expect(Set(await index.skippedEntries().map(\.relativePath)) == [".env", "node_modules"])
}

@Test func changeEventsKeepTheIndexCurrent() async throws {
    let fixture = try FixtureWorkspace(["src/a.py": "def alpha():\n    pass\n"])
    let index = await fixture.index()
    try fixture.write("src/new.py", "def gamma():\n    pass\n")
    await index.fileChanged(path: fixture.root + "/src/new.py")
    #expect(await index.files().map(\.relativePath) == ["src/a.py", "src/new.py"])
    #expect(index.definitions(of: "gamma").map(\.file.relativePath) == ["src/new.py"])

    try fixture.write("src/a.py", "def renamed():\n    pass\n")
    await index.fileChanged(path: fixture.root + "/src/a.py")
    #expect(index.definitions(of: "alpha").isEmpty)
    #expect(index.definitions(of: "renamed").count == 1)

    try fixture.write("pkg/deep/c.py", "def delta():\n    pass\n")
    await index.fileChanged(path: fixture.root + "/pkg")
    #expect(index.definitions(of: "delta").map(\.file.relativePath) == ["pkg/deep/c.py"])

    try fixture.remove("pkg")
    await index.fileDeleted(path: fixture.root + "/pkg")
    #expect(await index.files().map(\.relativePath) == ["src/a.py", "src/new.py"])
    #expect(index.definitions(of: "delta").isEmpty)
}

@Test func aChangedGitignoreTriggersARescan() async throws {
    let fixture = try FixtureWorkspace(["src/a.py": "x = 1\n", "src/b.py": "y = 2\n"])
    let index = await fixture.index()
    try fixture.write(".gitignore", "b.py\n")
    await index.fileChanged(path: fixture.root + "/.gitignore")
    await index.waitUntilSymbolsIndexed()
    #expect(await index.files().map(\.relativePath) == [".gitignore", "src/a.py"])
}

@Test func eventsDuringTheListingAreReplayed() async throws {
    let fixture = try FixtureWorkspace(["a.py": "x = 1\n"])
    let index = WorkspaceIndex(roots: [fixture.root])
    try fixture.write("b.py", "def late():\n    pass\n")
    await index.fileChanged(path: fixture.root + "/b.py")
    await index.startIndexing()
    await index.waitUntilSymbolsIndexed()
    #expect(await index.files().map(\.relativePath) == ["a.py", "b.py"])
    #expect(index.definitions(of: "late").count == 1)
}

@Test func tokenEstimatesAndCalibration() {
    let estimator = TokenEstimator()
    #expect(estimator.estimate("abcdef") == 2)
    #expect(estimator.estimate("abcdefgh", kind: .prose) == 2)
    #expect(estimator.estimate("") == 0)
    // Replies that report twice as many tokens move the rate towards 1.5 characters per token, step by step.
    for _ in 0..<100 { estimator.calibrate(promptCharacters: 3_000, reportedPromptTokens: 2_000) }
    #expect(abs(estimator.rates.codeCharactersPerToken - 1.5) < 0.01)
    // An absurd report is bounded.
    for _ in 0..<100 { estimator.calibrate(promptCharacters: 3_000, reportedPromptTokens: 1) }
    #expect(estimator.rates.codeCharactersPerToken <= 6.0)
    #expect(TokenRates.k2Default.byteCount(forTokens: 10) == 30)
}

@Test func budgetsFollowTheOptions() {
    #expect(ContextOptions().budgetTokens == 262_144 - 8_192 - 2_048)
    #expect(ContextOptions(contextWindow: 131_072, maxContextTokens: 6_000).budgetTokens == 6_000)
    #expect(ContextOptions(contextWindow: 1_000, replyMaxTokens: 2_000).budgetTokens == 0)
    #expect(ContextTask.completion.suggestedMaxContextTokens == 6_000)
}

@Test func aStaleIndexRescansWithoutEvents() async throws {
    let fixture = try FixtureWorkspace(["a.py": "x = 1\n"])
    let index = await fixture.index()
    try fixture.write("b.py", "def fresh():\n    pass\n")
    await index.rescanIfStale(maxAge: .seconds(3_600))
    #expect(await index.files().map(\.relativePath) == ["a.py"])
    await index.rescanIfStale(maxAge: .zero)
    await index.waitUntilSymbolsIndexed()
    #expect(await index.files().map(\.relativePath) == ["a.py", "b.py"])
    #expect(index.definitions(of: "fresh").count == 1)
}
