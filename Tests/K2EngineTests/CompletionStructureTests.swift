// Completion steps that follow code structure: indentation, the enclosing block's end, overlap with the suffix.
import Testing
import K2Engine

@Test(arguments: [
    ("\n    return 1\n}", "    func f() {", "\n        return 1\n    }"),
    ("\n        return 1\n    }", "    func f() {", "\n        return 1\n    }"),
    ("\nlet y = 2", "    let x = 1", "\n    let y = 2"),
    ("\n    }\n}", "        return x", "\n    }\n}"),
    ("foo()", "    ", "foo()"),
    ("foo()\nbar()", "    ", "foo()\n    bar()"),
    ("\n\tfoo()\n}", "\tif x {", "\n\t\tfoo()\n\t}"),
    ("\n\nx = 1", "    y = 0", "\n\n    x = 1"),
    ("\nelse:\n    pass", "        x = 1", "\nelse:\n    pass"),
    ("x\ny", "", "x\ny"),
])
func fixesIndentation(_ completion: String, _ linePrefix: String, _ expected: String) {
    #expect(CompletionPostProcessor.fixIndentation(completion, linePrefix: linePrefix) == expected)
}

/// Python: a dedent may end the block, so only a body that is not deeper than its header is re-indented.
@Test(arguments: [
    ("\n    return 1", "    def f(self):", "\n        return 1"),
    ("\n        return 1", "    def f(self):", "\n        return 1"),
    ("\ndef main():\n    pass", "    x = 1", "\ndef main():\n    pass"),
    ("\n    y = 2", "    x = 1", "\n    y = 2"),
    ("\n    x = 1\ny = 2", "        if ok:", "\n            x = 1\n        y = 2"),
    ("\nelse:\n    z()", "    if a:", "\nelse:\n    z()"),
])
func fixesPythonIndentation(_ completion: String, _ linePrefix: String, _ expected: String) {
    #expect(CompletionPostProcessor.fixIndentation(completion, linePrefix: linePrefix, languageID: "python") == expected)
}

struct BlockEndCase: Sendable, CustomTestStringConvertible {
    var name: String
    var completion: String
    var linePrefix: String
    var suffix: String
    var languageID: String
    var expected: String
    var testDescription: String { name }
}

@Test(arguments: [
    BlockEndCase(
        name: "stops before the brace the file already has", completion: "return x\n}\n\nfunc next() {\n}",
        linePrefix: "    ", suffix: "\n}", languageID: "swift", expected: "return x"),
    BlockEndCase(
        name: "keeps the brace the file lacks", completion: "return x\n}\n\nfunc next() {\n}",
        linePrefix: "    ", suffix: "", languageID: "swift", expected: "return x\n}"),
    BlockEndCase(
        name: "own blocks are fine", completion: "if a {\n        b()\n    }\n    c()", linePrefix: "    ",
        suffix: "\n}", languageID: "swift", expected: "if a {\n        b()\n    }\n    c()"),
    BlockEndCase(
        name: "brace in a string", completion: "x = \"}\"; y()", linePrefix: "  ", suffix: "\n}",
        languageID: "javascript", expected: "x = \"}\"; y()"),
    BlockEndCase(
        name: "brace in a comment", completion: "a(); // }\n}\nint main() {}", linePrefix: "    ", suffix: "\n}",
        languageID: "c", expected: "a(); // }"),
    BlockEndCase(
        name: "Rust lifetimes are no strings", completion: "fn f<'a>(x: &'a str) {}\n}\nfn g() {}",
        linePrefix: "", suffix: "\n}", languageID: "rust", expected: "fn f<'a>(x: &'a str) {}"),
    BlockEndCase(
        name: "Python dedent", completion: "return x\n\ndef other():\n    pass", linePrefix: "    ", suffix: "\n",
        languageID: "python", expected: "return x"),
    BlockEndCase(
        name: "Python body after a colon", completion: "\n    return 1\n\nclass B:", linePrefix: "def f():",
        suffix: "", languageID: "python", expected: "\n    return 1"),
    BlockEndCase(
        name: "Python docstring lines do not count", completion: "\"\"\"Doc.\nstill doc\n\"\"\"\n    x = 1\ny = 2",
        linePrefix: "    ", suffix: "", languageID: "python", expected: "\"\"\"Doc.\nstill doc\n\"\"\"\n    x = 1"),
    BlockEndCase(
        name: "unknown language", completion: "a\n}\nb", linePrefix: "", suffix: "}", languageID: "plaintext",
        expected: "a\n}\nb"),
])
func truncatesAtTheEnclosingBlockEnd(_ testCase: BlockEndCase) {
    let result = CompletionPostProcessor.truncateAtEnclosingBlockEnd(
        testCase.completion, linePrefix: testCase.linePrefix, suffix: testCase.suffix, languageID: testCase.languageID)
    #expect(result == testCase.expected)
}

@Test(arguments: [
    ("a, b)", ")", "c", "a, b"),
    ("foo()", ")", "c", "foo()"),
    ("foo())", "))", "c", "foo()"),
    ("range(10):", ":\n    pass", "python", "range(10)"),
    ("x = 1\n    return x\n}", "\n    return x\n}", "swift", "x = 1"),
    ("if x {\n    y()\n}", "\n}", "swift", "if x {\n    y()\n}"),
    ("value;", ";", "c", "value"),
    ("    x += 1\n    }", "\n    }\n}", "swift", "    x += 1"),
    ("abc", "xyz", "c", "abc"),
])
func dropsTheOverlapWithTheSuffix(_ completion: String, _ suffix: String, _ languageID: String, _ expected: String) {
    #expect(CompletionPostProcessor.dropSuffixOverlap(completion, suffix: suffix, languageID: languageID) == expected)
}
