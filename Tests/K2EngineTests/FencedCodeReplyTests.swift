// Replies that replace a selection: one fenced block, and its trailing newline rule.
import K2Engine
import K2TestSupport
import K2Workspace
import Testing

struct FencedParseCase: Sendable, CustomTestStringConvertible {
    var name: String
    var reply: String
    var expected: Result<String, ReplyFormatError>
    var testDescription: String { name }
}

@Test(arguments: [
    FencedParseCase(name: "one block", reply: "```swift\nlet x = 1\n```", expected: .success("let x = 1\n")),
    FencedParseCase(
        name: "prose around the block", reply: "Here you go:\n\n```python\nx = 1\ny = 2\n```\nThis sets x.",
        expected: .success("x = 1\ny = 2\n")),
    FencedParseCase(name: "tilde fence", reply: "~~~\ncode\n~~~\n", expected: .success("code\n")),
    FencedParseCase(
        name: "longer outer fence keeps an inner fence", reply: "````md\n```swift\ninner\n```\n````",
        expected: .success("```swift\ninner\n```\n")),
    FencedParseCase(
        name: "empty block next to the real one", reply: "```\n```\n\n```go\nreal()\n```",
        expected: .success("real()\n")),
    FencedParseCase(
        name: "indented fence removes its indentation", reply: "  ```\n  indented\n    more\n  ```",
        expected: .success("indented\n  more\n")),
    FencedParseCase(name: "CRLF reply", reply: "```\r\na\r\n```\r\n", expected: .success("a\n")),
    FencedParseCase(name: "only an empty block", reply: "```\n```", expected: .success("")),
    FencedParseCase(name: "bare code of one line", reply: "let x = 1\n", expected: .success("let x = 1\n")),
    // Where code ends and prose starts is a guess without a fence (a real reply: numbered steps after `#` notes).
    FencedParseCase(name: "bare lines", reply: "let x = 1\nlet y = 2\n", expected: .failure(.noCodeBlock)),
    FencedParseCase(name: "two blocks", reply: "```a\none\n```\n```b\ntwo\n```", expected: .failure(.severalCodeBlocks(count: 2))),
    FencedParseCase(name: "only prose", reply: "Sorry, I cannot do that.", expected: .failure(.noCodeBlock)),
    FencedParseCase(name: "bare code after prose", reply: "Here is the code:\nlet x = 1", expected: .failure(.noCodeBlock)),
    FencedParseCase(
        name: "bare code before a remark", reply: "x = 1\n\nThis sets x to one.", expected: .failure(.noCodeBlock)),
    FencedParseCase(
        name: "unterminated block", reply: "Sure:\n```swift\nlet x = 1\n",
        expected: .failure(.unterminatedCodeBlock(openingLine: 2))),
    FencedParseCase(name: "empty reply", reply: "", expected: .failure(.noCodeBlock)),
])
func parsesFencedCodeReplies(_ testCase: FencedParseCase) {
    #expect(FencedCodeReply.parse(testCase.reply) == testCase.expected)
}

struct SelectionCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Text with the selection between two `$0`.
    var fixture: String
    var code: String
    var expected: String
    var testDescription: String { name }
}

@Test(arguments: [
    SelectionCase(name: "whole line keeps the newline", fixture: "a\n$0b\n$0c\n", code: "B\n", expected: "a\nB\nc\n"),
    SelectionCase(name: "inside a line drops it", fixture: "let $0x$0 = 1\n", code: "y\n", expected: "let y = 1\n"),
    SelectionCase(
        name: "up to the line's end, before its break", fixture: "a\n$0b$0\nc\n", code: "B\n", expected: "a\nB\nc\n"),
    SelectionCase(
        name: "end of a text without final newline", fixture: "a\n$0b$0", code: "B\n", expected: "a\nB"),
    SelectionCase(name: "empty at a line start inserts lines", fixture: "a\n$0$0b\n", code: "new\n", expected: "a\nnew\nb\n"),
    SelectionCase(name: "empty inside a line", fixture: "ab$0$0c\n", code: "X\n", expected: "abXc\n"),
    SelectionCase(
        name: "CRLF text gets CRLF lines", fixture: "a\r\n$0b\r\n$0c\r\n", code: "B1\nB2\n",
        expected: "a\r\nB1\r\nB2\r\nc\r\n"),
    SelectionCase(
        name: "from inside a line to a line start", fixture: "x = $0foo(\n  1)\n$0y\n", code: "bar()\n",
        expected: "x = bar()\ny\n"),
    SelectionCase(name: "the whole text", fixture: "$0a\nb\n$0", code: "c\n", expected: "c\n"),
    SelectionCase(name: "empty document", fixture: "$0$0", code: "x\n", expected: "x\n"),
    SelectionCase(name: "deleting the selection", fixture: "a\n$0b\n$0c\n", code: "", expected: "a\nc\n"),
])
func replacesSelections(_ testCase: SelectionCase) {
    let fixture = MarkedText(testCase.fixture)
    let (text, selection) = (fixture.text, fixture.selection)
    let replacement = FencedCodeReply.replacement(forSelection: selection, in: text, code: testCase.code)
    #expect(text.replacing(selection, with: replacement) == testCase.expected)
}
