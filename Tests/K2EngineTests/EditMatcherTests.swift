// Locating search text: exact, indentation shift, trailing whitespace; ambiguity and closest lines.
import Testing
import K2Engine
import K2Workspace

struct MatchCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        case match(MatchTolerance, matched: String, shift: IndentationShift, firstLine: Int)
        case failure(MatchFailure)
    }

    var name: String
    var text: String
    var search: String
    var expected: Expected
    var testDescription: String { name }
}

private let classText = "class A {\n    func f() {\n        g()\n    }\n}\n"
private let twoFunctions = "func a() {\n    return 1\n}\nfunc b() {\n    return 2\n}\n"

@Test(arguments: [
    MatchCase(name: "whole lines", text: "a\nb\nc\n", search: "b\n", expected: .match(.exact, matched: "b\n", shift: .none, firstLine: 2)),
    MatchCase(
        name: "inside a line", text: "let value = compute(1)\n", search: "compute(1)",
        expected: .match(.exact, matched: "compute(1)", shift: .none, firstLine: 1)),
    MatchCase(
        name: "across lines, starting and ending inside them", text: "func f() {\n    return 1\n}\n",
        search: "{\n    return 1", expected: .match(.exact, matched: "{\n    return 1", shift: .none, firstLine: 1)),
    MatchCase(
        name: "CRLF text, LF search", text: "a\r\nb\r\nc\r\n", search: "b\nc\n",
        expected: .match(.exact, matched: "b\r\nc\r\n", shift: .none, firstLine: 2)),
    MatchCase(
        name: "whole-line search ignores a longer line that ends the same", text: "  x = 1\nx = 1\n", search: "x = 1\n",
        expected: .match(.exact, matched: "x = 1\n", shift: .none, firstLine: 2)),
    MatchCase(
        name: "model dropped the class indentation", text: classText, search: "func f() {\n    g()\n}\n",
        expected: .match(.indentationShift, matched: "    func f() {\n        g()\n    }\n", shift: .add("    "), firstLine: 2)),
    MatchCase(
        name: "model added indentation", text: "def f():\n  return 1\n", search: "    def f():\n      return 1\n",
        expected: .match(.indentationShift, matched: "def f():\n  return 1\n", shift: .remove("    "), firstLine: 1)),
    MatchCase(
        name: "blank line with spaces in the file", text: "a\n    \nb\n", search: "a\n\nb\n",
        expected: .match(.indentationShift, matched: "a\n    \nb\n", shift: .none, firstLine: 1)),
    MatchCase(
        name: "trailing spaces in the file", text: "x = 1   \ny = 2\n", search: "x = 1\ny = 2\n",
        expected: .match(.trailingWhitespace, matched: "x = 1   \ny = 2\n", shift: .none, firstLine: 1)),
    MatchCase(
        name: "trailing spaces and a shift", text: "  x = 1 \n  y = 2\n", search: "x = 1\ny = 2\n",
        expected: .match(.trailingWhitespace, matched: "  x = 1 \n  y = 2\n", shift: .add("  "), firstLine: 1)),
    MatchCase(
        name: "last line without a newline", text: "a\nb", search: "b\n",
        expected: .match(.exact, matched: "b", shift: .none, firstLine: 2)),
    MatchCase(
        name: "emoji inside a string", text: "let s = \"😀\"\n", search: "\"😀\"",
        expected: .match(.exact, matched: "\"😀\"", shift: .none, firstLine: 1)),
    MatchCase(
        name: "two exact places", text: "a\nb\na\nb\n", search: "a\nb\n",
        expected: .failure(.ambiguous(count: 2, lines: [1, 3]))),
    MatchCase(
        name: "two shifted places", text: "  foo()\n    foo()\n", search: "foo()\n",
        expected: .failure(.ambiguous(count: 2, lines: [1, 2]))),
    MatchCase(
        name: "not found, closest lines given", text: twoFunctions, search: "func b() {\n    return 3\n}\n",
        expected: .failure(.notFound(closest: ClosestLines(
            firstLine: 4, lines: ["func b() {", "    return 2", "}"], similarity: 0.94)))),
    MatchCase(
        name: "indentation that is not uniform", text: "    a\n  b\n", search: "a\nb\n",
        expected: .failure(.notFound(closest: ClosestLines(firstLine: 1, lines: ["    a", "  b"], similarity: 1)))),
    MatchCase(
        name: "tabs are not spaces", text: "\tx\n", search: "    x\n",
        expected: .failure(.notFound(closest: ClosestLines(firstLine: 1, lines: ["\tx"], similarity: 1)))),
    MatchCase(name: "blank search", text: "a\n", search: "  \n", expected: .failure(.emptySearch)),
    MatchCase(name: "empty file", text: "", search: "a\n", expected: .failure(.notFound(closest: nil))),
])
func locatesSearchText(_ testCase: MatchCase) {
    let result = EditMatcher.locate(search: testCase.search, in: testCase.text)
    switch (testCase.expected, result) {
    case (.match(let tolerance, let matched, let shift, let firstLine), .success(let match)):
        #expect(match.tolerance == tolerance)
        #expect(testCase.text.slice(match.range) == matched)
        #expect(match.indentationShift == shift)
        #expect(match.firstLine == firstLine)
    case (.failure(let expected), .failure(let failure)):
        #expect(roundingSimilarity(failure) == expected)
    default:
        Issue.record("expected \(testCase.expected), got \(result)")
    }
}

struct ReplacementCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var search: String
    var replace: String
    var expected: String
    var testDescription: String { name }
}

@Test(arguments: [
    ReplacementCase(
        name: "shift added to the replacement", text: classText, search: "func f() {\n    g()\n}\n",
        replace: "func f() {\n    h()\n\n    i()\n}\n",
        expected: "class A {\n    func f() {\n        h()\n\n        i()\n    }\n}\n"),
    ReplacementCase(
        name: "shift removed from the replacement", text: "def f():\n  return 1\n",
        search: "    def f():\n      return 1\n", replace: "    def f():\n      return 2\n  # less\n\tkept\n",
        expected: "def f():\n  return 2\n# less\n\tkept\n"),
    ReplacementCase(
        name: "CRLF file gets CRLF", text: "a\r\nb\r\nc\r\n", search: "b\n", replace: "B1\nB2\n",
        expected: "a\r\nB1\r\nB2\r\nc\r\n"),
    ReplacementCase(
        name: "no newline added after the last line", text: "a\nb", search: "b\n", replace: "B\n", expected: "a\nB"),
    ReplacementCase(
        name: "substring replacement", text: "let x = f(1)\n", search: "f(1)", replace: "g(2)", expected: "let x = g(2)\n"),
    ReplacementCase(
        name: "deleting lines", text: "a\nb\nc\n", search: "b\n", replace: "", expected: "a\nc\n"),
])
func adaptsTheReplacementToTheMatch(_ testCase: ReplacementCase) throws {
    let match = try EditMatcher.locate(search: testCase.search, in: testCase.text).get()
    let result = testCase.text.replacing(match.range, with: match.adjustedReplacement(testCase.replace))
    #expect(result == testCase.expected)
}

@Test func closestLinesAreNumberedForTheModel() {
    let closest = ClosestLines(firstLine: 9, lines: ["func b() {", "    return 2", "}"], similarity: 0.8)
    #expect(closest.description == "lines 9-11 (80% similar):\n 9 | func b() {\n10 |     return 2\n11 | }")
}

/// The failure with its similarity rounded to two decimals, so tables need not spell out floating-point sums.
func roundingSimilarity(_ failure: MatchFailure) -> MatchFailure {
    guard case .notFound(var closest?) = failure else { return failure }
    closest.similarity = (closest.similarity * 100).rounded() / 100
    return .notFound(closest: closest)
}
