// Splitting bytes into lines with their own endings, and the dominant line ending.
import Testing
import K2Workspace

struct SplitCase: Sendable, CustomTestStringConvertible {
    var text: String
    var lines: [String]
    var endings: [LineEnding?]
    var gitLineCount: Int
    var testDescription: String { text.debugDescription }
}

@Test(arguments: [
    SplitCase(text: "", lines: [], endings: [], gitLineCount: 0),
    SplitCase(text: "a", lines: ["a"], endings: [nil], gitLineCount: 1),
    SplitCase(text: "a\n", lines: ["a"], endings: [.lf], gitLineCount: 1),
    SplitCase(text: "a\r\nb\r\n", lines: ["a", "b"], endings: [.crlf, .crlf], gitLineCount: 2),
    SplitCase(text: "a\rb", lines: ["a", "b"], endings: [.cr, nil], gitLineCount: 1),
    SplitCase(text: "a\n\nb", lines: ["a", "", "b"], endings: [.lf, .lf, nil], gitLineCount: 3),
    SplitCase(text: "x\r\ny\nz\r", lines: ["x", "y", "z"], endings: [.crlf, .lf, .cr], gitLineCount: 3),
    SplitCase(text: "é😀\n", lines: ["é😀"], endings: [.lf], gitLineCount: 1),
])
func splitsLinesKeepingEndings(_ testCase: SplitCase) {
    let bytes = Array(testCase.text.utf8)
    let lines = LineSplitter.lines(of: bytes)
    #expect(lines.map(\.contentString) == testCase.lines)
    #expect(lines.map(\.ending) == testCase.endings)
    #expect(lines.last?.endOffset ?? 0 == bytes.count)
    #expect(LineSplitter.newlineTerminatedLines(of: bytes).count == testCase.gitLineCount)
}

@Test(arguments: [
    ("", LineEnding.lf),
    ("no break", .lf),
    ("a\r\nb\r\nc\n", .crlf),
    ("a\nb\r\n", .lf),
    ("a\rb\rc\r\n", .cr),
    ("a\r\nb\r", .crlf),
])
func dominantLineEnding(_ text: String, _ expected: LineEnding) {
    #expect(LineEnding.dominant(in: text) == expected)
}

@Test func byteLinesCompareBytesNotUnicodeEquivalence() {
    let composed = LineSplitter.lines(of: "é")
    let decomposed = LineSplitter.lines(of: "e\u{301}")
    #expect("é" == "e\u{301}")  // Swift's String equality: canonical equivalence.
    #expect(composed != decomposed)
}
