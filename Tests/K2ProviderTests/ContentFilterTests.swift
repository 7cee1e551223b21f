// Inline `<think>` blocks and leaked raw markers are removed from streamed content whatever the chunking.
@testable import K2Provider
import Testing

struct ContentFilterCase: Sendable, CustomStringConvertible {
    var name: String
    var fragments: [String]
    var content: String
    var reasoning: String
    var description: String { name }
}

let contentFilterCases: [ContentFilterCase] = [
    .init(name: "plain text", fragments: ["Hello ", "world"], content: "Hello world", reasoning: ""),
    .init(name: "think block in one piece", fragments: ["<think>plan</think>\n\nAnswer"], content: "Answer", reasoning: "plan"),
    .init(name: "tags split across chunks", fragments: ["<thi", "nk>pl", "an</th", "ink>", "\n", "Answer"], content: "Answer", reasoning: "plan"),
    .init(name: "text that only looks like a tag start", fragments: ["a <b> c <", "thing> <th", "ought>"], content: "a <b> c <thing> <thought>", reasoning: ""),
    .init(name: "a dangling '<' at the end is content", fragments: ["x <"], content: "x <", reasoning: ""),
    .init(name: "stray close tag: the prefix was reasoning", fragments: ["I should greet.", "</think>", "Hi!"], content: "Hi!", reasoning: "I should greet."),
    .init(name: "unclosed think block stays reasoning", fragments: ["<think>still going"], content: "", reasoning: "still going"),
    .init(name: "template token leak", fragments: ["Done.<|im_e", "nd|>"], content: "Done.", reasoning: ""),
    .init(
        name: "leaked tool-call section split everywhere",
        fragments: ["Look.<|tool_calls_", "section_begin|><|tool_call_begin|>functions.ls:0<|tool_call_arg", "ument_begin|>{}<|tool_call_end|><|tool_calls_section_end|>"],
        content: "Look.",
        reasoning: ""
    ),
]

@Test(arguments: contentFilterCases)
func contentFilterSeparatesContentAndReasoning(_ testCase: ContentFilterCase) throws {
    var assembler = StreamAssembler(fallbackModel: "m")
    for fragment in testCase.fragments { _ = assembler.consume(ChatChunk(content: fragment)) }
    _ = assembler.consume(ChatChunk(finishReason: "stop"))
    let finished = assembler.finish()
    let turn = try #require(finished)
    #expect(turn.content == testCase.content)
    #expect((turn.reasoningContent ?? "") == testCase.reasoning)
}

@Test(arguments: contentFilterCases)
func contentFilterIsTheSameWhenTextArrivesOneCharacterAtATime(_ testCase: ContentFilterCase) throws {
    var assembler = StreamAssembler(fallbackModel: "m")
    for character in testCase.fragments.joined() { _ = assembler.consume(ChatChunk(content: String(character))) }
    _ = assembler.consume(ChatChunk(finishReason: "stop"))
    let finished = assembler.finish()
    let turn = try #require(finished)
    #expect(turn.content == testCase.content)
    #expect((turn.reasoningContent ?? "") == testCase.reasoning)
}

@Test func leakedToolCallsAreRecoveredOnlyWhenNoStructuredCallsCame() throws {
    var assembler = StreamAssembler(fallbackModel: "m")
    _ = assembler.consume(
        ChatChunk(
            content: "<|tool_calls_section_begin|><|tool_call_begin|>functions.grep:3<|tool_call_argument_begin|>{\"q\":1}<|tool_call_end|><|tool_call_begin|>functions.ls:4<|tool_call_argument_begin|>{}<|tool_call_end|><|tool_calls_section_end|>"
        )
    )
    _ = assembler.consume(ChatChunk(finishReason: "stop"))
    let finished = assembler.finish()
    let turn = try #require(finished)
    #expect(
        turn.toolCalls == [
            ToolCall(id: "functions.grep:3", name: "grep", arguments: "{\"q\":1}"),
            ToolCall(id: "functions.ls:4", name: "ls", arguments: "{}"),
        ]
    )
    #expect(turn.content.isEmpty)
}

@Test func contentDeltasNeverShowTagsOrMarkers() {
    var assembler = StreamAssembler(fallbackModel: "m")
    var shown = ""
    for fragment in ["<thi", "nk>x</thi", "nk>Hi <|im_", "end|>"] {
        for event in assembler.consume(ChatChunk(content: fragment)) {
            if case .contentDelta(let text) = event { shown += text }
        }
    }
    #expect(shown == "Hi ")
}
