// Aider-style SEARCH/REPLACE replies and edit_file arguments.
import Testing
import K2Engine

struct SearchReplaceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var reply: String
    var expected: Result<[SearchReplaceBlock], ReplyFormatError>
    var testDescription: String { name }
}

private func block(_ path: String?, _ search: String, _ replace: String, _ number: Int = 1) -> SearchReplaceBlock {
    SearchReplaceBlock(path: path, search: search, replace: replace, number: number)
}

@Test(arguments: [
    SearchReplaceCase(
        name: "aider's own shape",
        reply: "Change it:\n\nsrc/a.swift\n```swift\n<<<<<<< SEARCH\nlet x = 1\n=======\nlet x = 2\n>>>>>>> REPLACE\n```\n",
        expected: .success([block("src/a.swift", "let x = 1\n", "let x = 2\n")])),
    SearchReplaceCase(
        name: "second block reuses the file",
        reply: "a.py\n<<<<<<< SEARCH\none\n=======\n1\n>>>>>>> REPLACE\n\n<<<<<<< SEARCH\ntwo\n=======\n2\n>>>>>>> REPLACE",
        expected: .success([block("a.py", "one\n", "1\n"), block("a.py", "two\n", "2\n", 2)])),
    SearchReplaceCase(
        name: "empty SEARCH creates a file",
        reply: "new/File.swift\n```\n<<<<<<< SEARCH\n=======\nstruct A {}\n>>>>>>> REPLACE\n```",
        expected: .success([block("new/File.swift", "", "struct A {}\n")])),
    SearchReplaceCase(
        name: "decorated file names",
        reply: "**src/b.py**\n```python\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n```\n`Makefile`:\n<<<<<<< SEARCH\nall:\n=======\nall: build\n>>>>>>> REPLACE",
        expected: .success([block("src/b.py", "x\n", "y\n"), block("Makefile", "all:\n", "all: build\n", 2)])),
    SearchReplaceCase(
        name: "markers of five to nine characters",
        reply: "<<<<<<<<< SEARCH\nold\n=====\nnew\n>>>>>>>>> REPLACE",
        expected: .success([block(nil, "old\n", "new\n")])),
    SearchReplaceCase(
        name: "prose before the block is no file name",
        reply: "Change this:\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE",
        expected: .success([block(nil, "a\n", "b\n")])),
    SearchReplaceCase(
        name: "empty REPLACE deletes", reply: "x.c\n<<<<<<< SEARCH\ndead();\n=======\n>>>>>>> REPLACE",
        expected: .success([block("x.c", "dead();\n", "")])),
    SearchReplaceCase(
        name: "heading underline outside blocks",
        reply: "Plan\n=======\n\nx.c\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE",
        expected: .success([block("x.c", "a\n", "b\n")])),
    SearchReplaceCase(
        name: "missing divider", reply: "<<<<<<< SEARCH\na\n>>>>>>> REPLACE",
        expected: .failure(.malformedSearchReplaceBlock(number: 1, problem: .missingDivider))),
    SearchReplaceCase(
        name: "unterminated", reply: "<<<<<<< SEARCH\na\n=======\nb\n",
        expected: .failure(.malformedSearchReplaceBlock(number: 1, problem: .missingReplaceMarker))),
    SearchReplaceCase(
        name: "second block broken",
        reply: "<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nx\n",
        expected: .failure(.malformedSearchReplaceBlock(number: 2, problem: .missingDivider))),
    SearchReplaceCase(
        name: "new block before REPLACE", reply: "<<<<<<< SEARCH\na\n=======\nb\n<<<<<<< SEARCH\n",
        expected: .failure(.malformedSearchReplaceBlock(number: 1, problem: .missingReplaceMarker))),
    SearchReplaceCase(
        name: "stray REPLACE", reply: "text\n>>>>>>> REPLACE\n",
        expected: .failure(.malformedSearchReplaceBlock(number: 1, problem: .unexpectedMarker(">>>>>>> REPLACE")))),
    SearchReplaceCase(name: "four markers are too few", reply: "<<<< SEARCH\na\n====\nb\n>>>> REPLACE",
                      expected: .failure(.noSearchReplaceBlocks)),
])
func parsesSearchReplaceReplies(_ testCase: SearchReplaceCase) {
    #expect(SearchReplaceReply.parse(testCase.reply) == testCase.expected)
}

@Test func malformedBlockMessagesNameTheBlockAndWhatIsMissing() {
    let error = ReplyFormatError.malformedSearchReplaceBlock(number: 2, problem: .missingDivider)
    #expect(error.description == "SEARCH/REPLACE block 2 has no ======= line between its SEARCH and REPLACE parts.")
    #expect(error.repairPrompt.hasSuffix("Reply again in exactly the format that was asked for, with no other changes."))
}

@Test(arguments: [
    (#"{"path": "a.swift", "old_text": "x", "new_text": "y"}"#,
     Result<EditFileCall, ReplyFormatError>.success(EditFileCall(path: "a.swift", oldText: "x", newText: "y"))),
    (#"{"path": "a.swift", "old_text": "x"}"#,
     .failure(.invalidToolArguments(tool: "edit_file", problem: "\"new_text\" is missing"))),
    (#"{"path": 3, "old_text": "x", "new_text": "y"}"#,
     .failure(.invalidToolArguments(tool: "edit_file", problem: "\"path\" must be a string"))),
    (#"{"path": "", "old_text": "x", "new_text": "y"}"#,
     .failure(.invalidToolArguments(tool: "edit_file", problem: "\"path\" is empty"))),
    (#"{"path": "a.swift", "old_text": "x", "new_"#,
     .failure(.invalidToolArguments(
        tool: "edit_file", problem: "they are not a JSON object with \"path\", \"old_text\" and \"new_text\" strings"))),
    (#"{"path":"a","old_text":"","new_text":"line\nnext\n"}"#,
     .success(EditFileCall(path: "a", oldText: "", newText: "line\nnext\n"))),
])
func parsesEditFileArguments(_ arguments: String, _ expected: Result<EditFileCall, ReplyFormatError>) {
    #expect(EditFileCall.parse(arguments: arguments) == expected)
}
