// The workspace walk: what it lists and what it skips, with reasons.
import Foundation
import K2TestSupport
import Testing

@testable import K2Workspace

/// A tree with one of each kind of entry the walk must handle.
private func makeFixtureTree() throws -> (TemporaryDirectory, TemporaryDirectory) {
    let scratch = try TemporaryDirectory()
    let outside = try TemporaryDirectory()
    try outside.write("elsewhere.txt", "outside")
    try scratch.write("src/main.swift", "print(1)")
    try scratch.write("src/util/helpers.swift", "func help() {}")
    try scratch.write("src/generated.swift", "// generated")
    try scratch.write("src/.gitignore", "generated.swift\n")
    try scratch.write(".gitignore", "*.log\ntmp/\n")
    try scratch.write(".k2ignore", "notes/private.md\n")
    try scratch.write("notes/private.md", "private")
    try scratch.write("notes/public.md", "public")
    try scratch.write("debug.log", "log")
    try scratch.write("tmp/cache.txt", "tmp")
    try scratch.write("node_modules/lib/index.js", "x")
    try scratch.write(".build/debug/out.o", "x")
    try scratch.write(".git/config", "[core]")
    try scratch.write(".env", "KEY=1")
    try scratch.write("config/credentials.yml", "x")
    try scratch.write("big.txt", String(repeating: "a", count: 2_000))
    try scratch.symlink("linked.swift", to: "src/main.swift")
    try scratch.symlink("escape.txt", to: outside.path + "/elsewhere.txt")
    try scratch.symlink("srclink", to: "src")
    try scratch.symlink("dangling", to: "missing.txt")
    return (scratch, outside)
}

@Test func listsWhatIsWorthIndexingAndSkipsTheRest() throws {
    let (scratch, outside) = try makeFixtureTree()
    _ = outside
    let lister = WorkspaceFileLister(
        matcher: IgnoreMatcher(root: scratch.path), secretFilter: SecretFilter(), maxFileBytes: 1_000)
    let listing = lister.list()
    let listed = listing.files.map(\.relativePath)
    #expect(
        listed == [
            ".gitignore", ".k2ignore", "linked.swift", "notes/public.md", "src/.gitignore", "src/main.swift",
            "src/util/helpers.swift",
        ])
    #expect(listing.files.first { $0.relativePath == "linked.swift" }?.isSymlink == true)
    let skipped = Dictionary(uniqueKeysWithValues: listing.skipped.map { ($0.relativePath, $0.reason) })
    #expect(skipped[".git"] == .ignored(.gitDirectory))
    #expect(skipped["node_modules"] == .ignored(.builtInDirectory(name: "node_modules")))
    #expect(skipped[".build"] == .ignored(.builtInDirectory(name: ".build")))
    #expect(skipped["debug.log"] == .ignored(.pattern(family: .git, sourcePath: ".gitignore", lineNumber: 1, pattern: "*.log")))
    #expect(skipped["tmp"] == .ignored(.pattern(family: .git, sourcePath: ".gitignore", lineNumber: 2, pattern: "tmp/")))
    #expect(skipped["src/generated.swift"] != nil)
    #expect(skipped["notes/private.md"]?.description == "ignored by .k2ignore:1 (`notes/private.md`)")
    #expect(skipped[".env"] == .secret(pattern: ".env"))
    #expect(skipped["config/credentials.yml"] == .secret(pattern: "credentials*"))
    #expect(skipped["big.txt"] == .tooLarge(bytes: 2_000, limit: 1_000))
    #expect(skipped["escape.txt"] == .symlinkLeavesWorkspace(target: outside.path + "/elsewhere.txt"))
    #expect(skipped["srclink"] == .symlinkedDirectory)
    #expect(skipped["dangling"] == .danglingSymlink)
    #expect(skipped["node_modules/lib/index.js"] == nil, "an ignored directory is reported once")
}

@Test func listsOneSubdirectoryWithTheRulesAboveIt() throws {
    let (scratch, _) = try makeFixtureTree()
    try scratch.write("src/util/trace.log", "x")
    let lister = WorkspaceFileLister(matcher: IgnoreMatcher(root: scratch.path), secretFilter: SecretFilter())
    let listing = lister.list(subdirectory: "src/util")
    #expect(listing.files.map(\.relativePath) == ["src/util/helpers.swift"])
    #expect(listing.skipped.map(\.relativePath) == ["src/util/trace.log"])
}

@Test func aStopRequestEndsTheWalkEarly() throws {
    let (scratch, _) = try makeFixtureTree()
    let lister = WorkspaceFileLister(matcher: IgnoreMatcher(root: scratch.path), secretFilter: SecretFilter())
    #expect(lister.list(shouldStop: { true }).files.isEmpty)
}
