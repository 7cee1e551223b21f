// Completion clean-up steps: fences, prose, echoed line prefix, trailing whitespace, empty items.
import Testing
import K2Engine

@Test(arguments: [
    ("```swift\nfoo()\n```", "foo()"),
    ("Here is the completion:\n```python\nreturn x\n```", "return x"),
    ("foo()", "foo()"),
    ("```\nline1\nline2", "line1\nline2"),
    ("x = \"```\"", "x = \"```\""),
    ("```js\n```\n```js\nreal()\n```", "real()"),
    ("  ```\n  a\n  ```", "a"),
    ("```\n  indented()\n```\nThat is all.", "  indented()"),
])
func stripsFences(_ raw: String, _ expected: String) {
    #expect(CompletionPostProcessor.stripFences(raw) == expected)
}

@Test(arguments: [
    ("Here is the completion:\nfoo()", "foo()"),
    ("Sure! Here's the code:\n\nreturn x", "return x"),
    ("foo()", "foo()"),
    ("return total\n\nThis returns the sum of all items.", "return total"),
    ("x = 1\nThis is not separated from the code.", "x = 1\nThis is not separated from the code."),
    ("Certainly:\nSure:\nx = 1", "x = 1"),
    ("Here = 1", "Here = 1"),
    ("Okay.", ""),
])
func stripsProse(_ raw: String, _ expected: String) {
    #expect(CompletionPostProcessor.stripProse(raw) == expected)
}

@Test(arguments: [
    ("    let x = 5", "    let x = ", "5"),
    ("let x = 5", "    let x = ", "5"),
    ("calculateTotal(items)", "    let total = calc", "ulateTotal(items)"),
    ("5", "    let x = ", "5"),
    ("a + b", "x = a", "a + b"),
    ("return x", "    ", "return x"),
    ("    return x", "    ", "return x"),
    ("bar()", "foo.b", "ar()"),
])
func stripsEchoedPrefix(_ completion: String, _ linePrefix: String, _ expected: String) {
    #expect(CompletionPostProcessor.stripEchoedPrefix(completion, linePrefix: linePrefix) == expected)
}

@Test(arguments: [
    ("foo()\n", "\n}", "foo()"),
    ("foo()  \n\n", "", "foo()"),
    ("foo() ", "  \nnext", "foo()"),
    ("foo()\n", "bar()\n", "foo()\n"),
    ("x ", "+ y", "x "),
    ("\n    a()\n", "\r\n}", "\n    a()"),
])
func trimsTrailingWhitespaceAtTheEndOfALine(_ completion: String, _ suffix: String, _ expected: String) {
    #expect(CompletionPostProcessor.trimTrailingWhitespace(completion, suffix: suffix) == expected)
}

@Test(arguments: [
    ("", nil),
    ("   ", nil),
    ("\n\t\n", nil),
    ("\u{00A0}\u{2003}", nil),
    ("x", "x"),
    ("\n  y", "\n  y"),
] as [(String, String?)])
func neverReturnsAnEmptyItem(_ completion: String, _ expected: String?) {
    #expect(CompletionPostProcessor.nonEmpty(completion) == expected)
}
