// Unified diffs, checked byte for byte against `git diff --no-index` (less its `index` line).
import Foundation
import K2TestSupport
import K2Workspace
import Testing

struct UnifiedDiffCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// nil: a new file.
    var old: String?
    var new: String
    var testDescription: String { name }
}

private let longFile = (1...40).map { "line \($0)" }.joined(separator: "\n") + "\n"

@Test(arguments: [
    UnifiedDiffCase(name: "one changed line", old: "a\nb\nc\n", new: "a\nB\nc\n"),
    UnifiedDiffCase(name: "insertion at the start", old: "x\ny\n", new: "new\nx\ny\n"),
    UnifiedDiffCase(name: "deletion at the end", old: "x\ny\nz\n", new: "x\ny\n"),
    UnifiedDiffCase(
        name: "two hunks far apart", old: longFile,
        new: longFile.replacingOccurrences(of: "line 3\n", with: "LINE 3\n")
            .replacingOccurrences(of: "line 30\n", with: "LINE 30\n")),
    UnifiedDiffCase(
        name: "two changes merged into one hunk", old: longFile,
        new: longFile.replacingOccurrences(of: "line 10\n", with: "ten\n")
            .replacingOccurrences(of: "line 16\n", with: "sixteen\n")),
    UnifiedDiffCase(
        name: "changes seven lines apart stay separate", old: longFile,
        new: longFile.replacingOccurrences(of: "line 10\n", with: "ten\n")
            .replacingOccurrences(of: "line 17\n", with: "seventeen\n")),
    UnifiedDiffCase(name: "CRLF content", old: "one\r\ntwo\r\nthree\r\n", new: "one\r\n2\r\nthree\r\n"),
    UnifiedDiffCase(name: "no final newline on both sides", old: "a\nb", new: "a\nc"),
    UnifiedDiffCase(name: "final newline added", old: "a\nb", new: "a\nb\n"),
    UnifiedDiffCase(name: "final newline removed", old: "a\nb\n", new: "a\nb"),
    UnifiedDiffCase(
        name: "function context in the hunk header",
        old: "func first() {\n  let a = 1\n  let b = 2\n  let c = 3\n  let d = 4\n  return a\n}\n",
        new: "func first() {\n  let a = 1\n  let b = 2\n  let c = 3\n  let d = 4\n  return b\n}\n"),
    UnifiedDiffCase(
        name: "long function line is cut at 80 bytes",
        old: "static int " + String(repeating: "x", count: 90) + "(void) {\n1\n2\n3\n4\n5\n}\n",
        new: "static int " + String(repeating: "x", count: 90) + "(void) {\n1\n2\n3\n4\nfive\n}\n"),
    UnifiedDiffCase(name: "whole file replaced", old: "a\nb\n", new: "c\nd\ne\n"),
    UnifiedDiffCase(name: "from empty", old: "", new: "first\n"),
    UnifiedDiffCase(name: "new file", old: nil, new: "hello\nworld\n"),
    UnifiedDiffCase(name: "new file without final newline", old: nil, new: "hello"),
    UnifiedDiffCase(name: "non-ASCII text", old: "naïve 😀\nzwei\n", new: "naïve 😃\nzwei\n"),
])
func matchesGitDiff(_ testCase: UnifiedDiffCase) throws {
    let directory = try TemporaryDirectory()
    let newPath = "after/file.txt"
    try directory.write(newPath, testCase.new)
    let oldPath = testCase.old == nil ? newPath : "before/file.txt"
    if let old = testCase.old { try directory.write(oldPath, old) }
    let gitOutput = try gitDiff(in: directory.path, old: testCase.old == nil ? "/dev/null" : oldPath, new: newPath)
    let rendered = UnifiedDiff.render(oldText: testCase.old, newText: testCase.new, oldPath: oldPath, newPath: newPath)
    #expect(rendered == gitOutput)
}

@Test func noChangeRendersNothing() {
    #expect(UnifiedDiff.render(oldText: "same\n", newText: "same\n", oldPath: "a", newPath: "a") == "")
}

/// git's own diff with every setting that could change its output pinned, and the `index` line removed.
private func gitDiff(in directory: String, old: String, new: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "git", "-c", "core.autocrlf=false", "-c", "color.ui=never", "-c", "diff.noprefix=false",
        "-c", "diff.mnemonicPrefix=false", "-c", "diff.algorithm=myers", "-c", "diff.relative=false",
        "diff", "--no-index", "--no-ext-diff", "--no-textconv", "--", old, new,
    ]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
    environment["HOME"] = directory
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    return output.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("index ") }
        .joined(separator: "\n")
}

/// Names that git quotes: a tab, a line break, a quote, a backslash, non-ASCII, and one built to inject a header.
private let unusualNames = [
    "tab\there.txt", "line\nbreak.txt", "say \"hi\".txt", "back\\slash.txt", "naïve.txt", "x\n+++ b/evil.txt", "plain name.txt",
]

@Test(arguments: unusualNames) func unusualNamesAreQuotedAsGitQuotesThem(name: String) throws {
    let directory = try TemporaryDirectory()
    try directory.write("before/" + name, "one\ntwo\n")
    try directory.write("after/" + name, "one\n2\n")
    for old in [Optional("one\ntwo\n"), nil] {
        let oldPath = old == nil ? "after/" + name : "before/" + name
        let gitOutput = try gitDiff(in: directory.path, old: old == nil ? "/dev/null" : oldPath, new: "after/" + name)
        let rendered = UnifiedDiff.render(oldText: old, newText: "one\n2\n", oldPath: oldPath, newPath: "after/" + name)
        #expect(rendered == gitOutput, "\(name.debugDescription)")
    }
}

@Test func gitAppliesADiffOfAnUnusuallyNamedFile() throws {
    for name in unusualNames {
        let directory = try TemporaryDirectory()
        #expect(try directory.run(["git", "init", "-q"]) == 0)
        try directory.write(name, "one\ntwo\n")
        let diff = UnifiedDiff.render(oldText: "one\ntwo\n", newText: "one\n2\n", oldPath: name, newPath: name)
        #expect(diff.split(separator: "\n").filter { $0.hasPrefix("+++ ") }.count == 1, "\(name.debugDescription): \(diff)")
        try directory.write("change.patch", diff)
        #expect(try directory.run(["git", "apply", "change.patch"]) == 0, "\(name.debugDescription): \(diff)")
        #expect(try directory.bytes(name) == Array("one\n2\n".utf8), "\(name.debugDescription)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("evil.txt")))
    }
}
