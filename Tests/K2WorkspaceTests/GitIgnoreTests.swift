// .gitignore semantics: a table of cases, each checked against the expected answer and against `git check-ignore`.
import Foundation
import K2TestSupport
import Testing

@testable import K2Workspace

/// One scenario: ignore files and the paths to ask about. A path is written `+ path` when it must be ignored and
/// `- path` when not; a trailing `/` makes it a directory.
private struct IgnoreCase: Sendable, CustomStringConvertible {
    var name: String
    var ignoreFiles: [String: String]
    var paths: [String]
    var description: String { name }
}

private let ignoreCases: [IgnoreCase] = [
    IgnoreCase(
        name: "negation re-includes",
        ignoreFiles: [".gitignore": "*.log\n!keep.log\n"],
        paths: ["+ a.log", "- keep.log", "+ dir/b.log", "- dir/keep.log", "- notes.txt"]),
    IgnoreCase(
        name: "directory-only pattern",
        ignoreFiles: [".gitignore": "out/\n"],
        paths: ["+ out/", "+ out/x.txt", "- sub/out", "+ sub2/out/", "+ sub2/out/deep.txt"]),
    IgnoreCase(
        name: "leading slash anchors to the file's directory",
        ignoreFiles: [".gitignore": "/root.txt\n/only/\n"],
        paths: ["+ root.txt", "- sub/root.txt", "+ only/", "- sub/only/"]),
    IgnoreCase(
        name: "a slash in the middle anchors",
        ignoreFiles: [".gitignore": "docs/*.md\ndoc/frotz/\n"],
        paths: ["+ docs/a.md", "- other/docs/a.md", "- docs/sub/a.md", "+ doc/frotz/", "- a/doc/frotz/"]),
    IgnoreCase(
        name: "leading **/ matches at any depth",
        ignoreFiles: [".gitignore": "**/cache\n**/logs/*.txt\n"],
        paths: ["+ cache", "+ a/cache", "+ a/b/cache/", "+ logs/x.txt", "+ a/logs/y.txt", "- a/logs/sub/z.txt"]),
    IgnoreCase(
        name: "trailing /** matches everything inside",
        ignoreFiles: [".gitignore": "abc/**\n"],
        paths: ["- abc/", "+ abc/x", "+ abc/d/y", "- xabc/z"]),
    IgnoreCase(
        name: "a/**/b matches zero or more directories",
        ignoreFiles: [".gitignore": "a/**/b\n"],
        paths: ["+ a/b", "+ a/x/b", "+ a/x/y/b", "- a/bb", "- x/a/b"]),
    IgnoreCase(
        name: "star does not cross slashes in anchored patterns",
        ignoreFiles: [".gitignore": "*.o\nfoo*bar\nsrc/*/gen\n"],
        paths: ["+ x.o", "+ deep/y.o", "+ foobar", "+ foo-x-bar", "- foo/bar", "+ src/a/gen", "- src/a/b/gen"]),
    IgnoreCase(
        name: "question mark matches one character",
        ignoreFiles: [".gitignore": "?.c\n"],
        paths: ["+ a.c", "- ab.c", "+ sub/b.c", "- .c"]),
    IgnoreCase(
        name: "character classes and ranges",
        ignoreFiles: [".gitignore": "file[0-9].txt\n[!a]x\nv[[:digit:]]\n"],
        paths: ["+ file1.txt", "- filea.txt", "+ bx", "- ax", "+ v7", "- vv"]),
    IgnoreCase(
        name: "escaped hash and bang",
        ignoreFiles: [".gitignore": "# a comment\n\\#notes\n\\!important\n"],
        paths: ["+ #notes", "+ !important", "- # a comment", "- notes"]),
    IgnoreCase(
        name: "trailing spaces are trimmed unless escaped",
        ignoreFiles: [".gitignore": "trail   \nspace\\ \n"],
        paths: ["+ trail", "+ space ", "- space"]),
    IgnoreCase(
        name: "nested .gitignore overrides its parent",
        ignoreFiles: [".gitignore": "*.tmp\n", "sub/.gitignore": "!keep.tmp\n/local.txt\n"],
        paths: ["+ keep.tmp", "- sub/keep.tmp", "+ sub/other.tmp", "+ sub/local.txt", "- local.txt", "- sub/deeper/local.txt"]),
    IgnoreCase(
        name: "a file inside an ignored directory cannot be re-included",
        ignoreFiles: [".gitignore": "logs/\n!logs/important.log\nkept/*\n!kept/keep\n"],
        paths: ["+ logs/important.log", "+ logs/", "- kept/keep", "+ kept/other"]),
    IgnoreCase(
        name: ".git/info/exclude applies below nested files",
        ignoreFiles: [".git/info/exclude": "*.bak\nlocal/\n", "sub/.gitignore": "!x.bak\n"],
        paths: ["+ a.bak", "- sub/x.bak", "+ sub/y.bak", "+ local/"]),
    IgnoreCase(
        name: "CRLF line endings",
        ignoreFiles: [".gitignore": "*.swp\r\nbuild-output/\r\n"],
        paths: ["+ a.swp", "+ build-output/", "- a.swp2"]),
    IgnoreCase(
        name: "double star inside a name acts like a star",
        ignoreFiles: [".gitignore": "data/**.csv\nx**y\n"],
        paths: ["+ data/a.csv", "- data/sub/a.csv", "+ xay", "- x/y"]),
]

private struct ParsedPath {
    var path: String
    var isDirectory: Bool
    var expectedIgnored: Bool
}

private func parse(_ line: String) -> ParsedPath {
    let expectedIgnored = line.hasPrefix("+")
    var path = String(line.dropFirst(2))
    let isDirectory = path.hasSuffix("/")
    if isDirectory { path.removeLast() }
    return ParsedPath(path: path, isDirectory: isDirectory, expectedIgnored: expectedIgnored)
}

/// Builds the case on disk: a git repository with the ignore files and every path of the table.
private func materialize(_ testCase: IgnoreCase) throws -> TemporaryDirectory {
    let scratch = try TemporaryDirectory()
    try scratch.makeDirectory(".git/info")
    for (path, content) in testCase.ignoreFiles { try scratch.write(path, content) }
    for line in testCase.paths {
        let parsed = parse(line)
        if parsed.isDirectory { try scratch.makeDirectory(parsed.path) } else { try scratch.write(parsed.path, "x") }
    }
    return scratch
}

private let gitIsAvailable: Bool = {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/git") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/git")
}()

@Test(arguments: ignoreCases)
private func matcherAgreesWithTableAndGit(_ testCase: IgnoreCase) throws {
    let scratch = try materialize(testCase)
    if gitIsAvailable { #expect(try scratch.run(["git", "init", "-q"]) == 0) }
    // Built-in skips are off so that only git's rules are compared.
    let matcher = IgnoreMatcher(root: scratch.path, assistantIgnoreFileNames: [], skippedDirectoryNames: [])
    for line in testCase.paths {
        let parsed = parse(line)
        let ignored = matcher.isIgnored(relativePath: parsed.path, isDirectory: parsed.isDirectory)
        #expect(ignored == parsed.expectedIgnored, "\(testCase.name): \(line)")
        if gitIsAvailable {
            let status = try scratch.run(["git", "check-ignore", "--no-index", "-q", "--", parsed.path])
            #expect(status == 0 || status == 1, "git check-ignore failed for \(line)")
            #expect((status == 0) == ignored, "\(testCase.name): git says \(status == 0 ? "ignored" : "not ignored") for \(line)")
        }
    }
}

@Test func assistantIgnoreFilesAddToGitButCannotReinclude() throws {
    let scratch = try TemporaryDirectory()
    try scratch.write(".gitignore", "*.gen.ts\n")
    try scratch.write(".k2ignore", "private/\n!*.gen.ts\n")
    try scratch.write("sub/.cursorignore", "drafts.md\n")
    let matcher = IgnoreMatcher(root: scratch.path)
    let cases: [(String, Bool, Bool)] = [
        ("private/plan.md", false, true),
        ("api.gen.ts", false, true),
        ("sub/drafts.md", false, true),
        ("drafts.md", false, false),
        ("node_modules", true, true),
        ("src/node_modules/x.js", false, true),
        (".git", true, true),
        ("src/main.ts", false, false),
    ]
    for (path, isDirectory, expected) in cases {
        #expect(matcher.isIgnored(relativePath: path, isDirectory: isDirectory) == expected, "\(path)")
    }
    #expect(matcher.ignoreReason(relativePath: "private/plan.md", isDirectory: false)?.isAssistantRule == true)
    #expect(matcher.ignoreReason(relativePath: "api.gen.ts", isDirectory: false)?.isAssistantRule == false)
}

@Test func invalidationRereadsAChangedIgnoreFile() throws {
    let scratch = try TemporaryDirectory()
    try scratch.write(".gitignore", "a.txt\n")
    let matcher = IgnoreMatcher(root: scratch.path)
    #expect(matcher.isIgnored(relativePath: "a.txt", isDirectory: false))
    try scratch.write(".gitignore", "b.txt\n")
    #expect(matcher.isIgnored(relativePath: "a.txt", isDirectory: false))
    matcher.invalidate(directory: "")
    #expect(!matcher.isIgnored(relativePath: "a.txt", isDirectory: false))
    #expect(matcher.isIgnored(relativePath: "b.txt", isDirectory: false))
}

@Test func reasonsNameTheFileLineAndPattern() throws {
    let scratch = try TemporaryDirectory()
    try scratch.write("src/.gitignore", "# generated\n*.log\n")
    let matcher = IgnoreMatcher(root: scratch.path)
    let reason = matcher.ignoreReason(relativePath: "src/x/y.log", isDirectory: false)
    #expect(reason?.description == "ignored by src/.gitignore:2 (`*.log`)")
    let inside = matcher.ignoreReason(relativePath: "build/gen/x.c", isDirectory: false)
    #expect(inside == .insideIgnoredDirectory(directory: "build", reason: .builtInDirectory(name: "build")))
}
