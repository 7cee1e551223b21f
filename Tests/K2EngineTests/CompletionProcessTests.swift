// The whole post-processing chain, and the prompt that asks for a completion.
import K2Engine
import K2TestSupport
import Testing

struct ProcessCase: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    /// The document with the cursor at `$0`.
    var document: String
    var languageID: String
    var expected: String?
    var testDescription: String { name }
}

@Test(arguments: [
    ProcessCase(
        name: "fenced reply", raw: "```swift\nreturn a + b\n```",
        document: "func add(a: Int, b: Int) -> Int {\n    $0\n}\n", languageID: "swift", expected: "return a + b"),
    ProcessCase(
        name: "prose, echoed indentation and the closing brace", raw: "Here is the completion:\n    let y = 2\n}",
        document: "func f() {\n    let x = 1\n    $0\n}\n", languageID: "swift", expected: "let y = 2"),
    ProcessCase(name: "whitespace only", raw: "   \n  ", document: "x = $0\n", languageID: "python", expected: nil),
    ProcessCase(
        name: "echoed call with the closing parenthesis", raw: "print(x)", document: "    print($0)\n",
        languageID: "python", expected: "x"),
    ProcessCase(
        name: "runs into the next function",
        raw: "```python\nreturn n * factorial(n - 1)\n\ndef main():\n    pass\n```",
        document: "def factorial(n):\n    if n == 0:\n        return 1\n    $0\n", languageID: "python",
        expected: "return n * factorial(n - 1)"),
    ProcessCase(
        name: "prose is kept in a comment", raw: "Here is why: the cache is stale.",
        document: "    // $0\n", languageID: "swift", expected: "Here is why: the cache is stale."),
    ProcessCase(name: "only an echo", raw: "    return x", document: "    return x$0\n", languageID: "swift", expected: nil),
    ProcessCase(
        name: "Markdown keeps its fences", raw: "```bash\nls\n```", document: "Run:\n\n$0", languageID: "markdown",
        expected: "```bash\nls\n```"),
])
func processesRawReplies(_ testCase: ProcessCase) {
    let fixture = MarkedText(testCase.document)
    let (document, cursor) = (fixture.text, fixture.selection)
    let prefix = document.slice(.init(0, cursor.lowerBound))
    let suffix = document.slice(.init(cursor.lowerBound, document.utf8.count))
    let result = CompletionPostProcessor.process(
        raw: testCase.raw, prefix: prefix, suffix: suffix, languageID: testCase.languageID)
    #expect(result == testCase.expected)
}

@Test func fimPromptGolden() {
    let prompt = FIMPrompt.render(
        prefix: "func greet(name: String) -> String {\n    ", suffix: "\n}\n", languageID: "swift",
        path: "Sources/App/Greeting.swift")
    #expect(prompt.system == """
        You are a code completion engine. The user sends a file between <|file|> and <|end_of_file|>, with the \
        cursor marked <|cursor|>. Reply with only the text to insert at the cursor: no explanation, no Markdown \
        fences, and none of the text that already comes before or after the cursor. Match the file's indentation \
        and style. Finish the current statement or block, then stop. If nothing should be inserted, reply with \
        nothing.
        """)
    #expect(prompt.user == """
        File: Sources/App/Greeting.swift (swift)
        <|file|>
        func greet(name: String) -> String {
            <|cursor|>
        }

        <|end_of_file|>
        Text to insert at <|cursor|>:
        """)
    #expect(prompt.stop == ["<|file|>", "<|cursor|>", "<|end_of_file|>"])
}

@Test func fimPromptAvoidsMarkersTheFileContains() {
    let prompt = FIMPrompt.render(
        prefix: "let marker = \"<|cursor|>\"\n", suffix: "// <|file_1|>\n", languageID: "swift", path: "M.swift")
    #expect(prompt.stop == ["<|file_2|>", "<|cursor_2|>", "<|end_of_file_2|>"])
    #expect(prompt.user.contains("let marker = \"<|cursor|>\"\n<|cursor_2|>// <|file_1|>\n"))
    #expect(prompt.system.contains("with the cursor marked <|cursor_2|>"))
}
