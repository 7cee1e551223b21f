// Whole streams in the shapes real servers send become the right turn and events, whatever the byte split.
import AnyJSON
import Foundation
@testable import K2Provider
import Testing

let readerEndpoint = ProviderEndpoint(baseURL: "https://api.moonshot.ai/v1", model: "kimi-k2-0905-preview")

/// Feeds `stream` to a reader in the given split; returns the turn (or error) and every event.
func readStream(_ stream: String, split: ByteSplit = .allAtOnce) -> (Result<ChatTurn, ProviderError>, [ChatStreamEvent]) {
    var reader = ChatStreamReader(endpoint: readerEndpoint)
    var events: [ChatStreamEvent] = []
    do {
        for piece in split.pieces(of: Array(stream.utf8)) { try reader.feed(piece, emit: { events.append($0) }) }
        let turn = try reader.finish(emit: { events.append($0) })
        return (.success(turn), events)
    } catch let error as ProviderError {
        return (.failure(error), events)
    } catch {
        Issue.record("unexpected error \(error)")
        return (.failure(ProviderError(code: .unexpectedResponse, origin: .init(readerEndpoint))), events)
    }
}

/// Joins consecutive deltas, so event lists compare independent of how text was chunked.
func mergedDeltas(_ events: [ChatStreamEvent]) -> [ChatStreamEvent] {
    var merged: [ChatStreamEvent] = []
    for event in events {
        switch (merged.last, event) {
        case (.contentDelta(let a)?, .contentDelta(let b)): merged[merged.count - 1] = .contentDelta(a + b)
        case (.reasoningDelta(let a)?, .reasoningDelta(let b)): merged[merged.count - 1] = .reasoningDelta(a + b)
        case (.toolCallArgumentsDelta(let i, let a)?, .toolCallArgumentsDelta(let j, let b)) where i == j:
            merged[merged.count - 1] = .toolCallArgumentsDelta(index: i, fragment: a + b)
        default: merged.append(event)
        }
    }
    return merged
}

struct StreamCase: Sendable, CustomStringConvertible {
    var name: String
    var stream: String
    var expected: ChatTurn
    var description: String { name }
}

let streamCases: [StreamCase] = [
    StreamCase(
        name: "Moonshot text with usage in the choice",
        stream: SSEFixtureText.moonshotText,
        expected: ChatTurn(
            content: "Hello! How can I help?",
            finishReason: "stop",
            usage: TokenUsage(promptTokens: 19, completionTokens: 8, cachedTokens: 16),
            model: "kimi-k2-0905-preview"
        )
    ),
    StreamCase(
        name: "Moonshot Thinking with two tool calls",
        stream: SSEFixtureText.moonshotThinkingToolCall,
        expected: ChatTurn(
            content: "Reading it.",
            reasoningContent: "The user wants the file.",
            toolCalls: [
                ToolCall(id: "read_file:0", name: "read_file", arguments: "{\"path\": \"Sources/a.swift\"}"),
                ToolCall(id: "list_dir:1", name: "list_dir", arguments: "{\"path\": \".\"}"),
            ],
            finishReason: "tool_calls",
            usage: TokenUsage(promptTokens: 120, completionTokens: 40, cachedTokens: 100),
            model: "kimi-k2-thinking"
        )
    ),
    StreamCase(
        name: "OpenRouter reasoning, comments and usage after the finish",
        stream: SSEFixtureText.openRouterReasoningStream,
        expected: ChatTurn(
            content: "Hi there!",
            reasoningContent: "Greeting, answer briefly.",
            finishReason: "stop",
            usage: TokenUsage(promptTokens: 10, completionTokens: 20, cachedTokens: 4, reasoningTokens: 12),
            model: "moonshotai/kimi-k2-thinking"
        )
    ),
    StreamCase(
        name: "vLLM inline think tags and a leaked tool-call section",
        stream: SSEFixtureText.vLLMInlineThinkAndLeakedToolCall,
        expected: ChatTurn(
            content: "Let me look.",
            reasoningContent: "Need the file",
            toolCalls: [ToolCall(id: "functions.read_file:0", name: "read_file", arguments: "{\"path\": \"a.swift\"}")],
            finishReason: "stop",
            usage: TokenUsage(promptTokens: 50, completionTokens: 40),
            model: "moonshotai/Kimi-K2-Thinking"
        )
    ),
]

@Test(arguments: streamCases, ByteSplit.allCases)
func recordedStreamsAssembleToTheSameTurnForAnySplit(_ testCase: StreamCase, split: ByteSplit) throws {
    let (result, events) = readStream(testCase.stream, split: split)
    let turn = try #require(result.success)
    #expect(turn == testCase.expected)
    #expect(turn.isToolTurn == !testCase.expected.toolCalls.isEmpty)
    let (_, referenceEvents) = readStream(testCase.stream, split: .allAtOnce)
    #expect(mergedDeltas(events) == mergedDeltas(referenceEvents))
}

@Test func toolCallEventsAnnounceEachCallThenItsFragments() {
    let (_, events) = readStream(SSEFixtureText.moonshotThinkingToolCall)
    let toolEvents = events.filter {
        if case .toolCallStarted = $0 { return true }
        if case .toolCallArgumentsDelta = $0 { return true }
        return false
    }
    #expect(
        toolEvents == [
            .toolCallStarted(index: 0, id: "read_file:0", name: "read_file"),
            .toolCallArgumentsDelta(index: 0, fragment: "{\"path\": "),
            .toolCallArgumentsDelta(index: 0, fragment: "\"Sources/a.swift\"}"),
            .toolCallStarted(index: 1, id: "list_dir:1", name: "list_dir"),
            .toolCallArgumentsDelta(index: 1, fragment: "{\"path\": \".\"}"),
        ]
    )
}

@Test func anErrorEventInsideA200StreamThrowsWithTheServersMessage() throws {
    let (result, events) = readStream(SSEFixtureText.openRouterMidStreamError)
    let error = try #require(result.failure)
    #expect(error.code == .streamError)
    #expect(error.kind == .server)
    #expect(error.userMessage.contains("Provider disconnected unexpectedly"))
    #expect(events.contains(.contentDelta("Partial")))
}

struct TruncationCase: Sendable, CustomStringConvertible {
    var name: String
    var stream: String
    var description: String { name }
}

let truncationCases: [TruncationCase] = [
    .init(name: "content but no finish and no [DONE]", stream: "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"),
    .init(name: "only comments", stream: ": OPENROUTER PROCESSING\n\n"),
    .init(name: "nothing at all", stream: ""),
    .init(
        name: "tool call without finish",
        stream: "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"ping\",\"arguments\":\"{\"}}]}}]}\n\n"
    ),
]

@Test(arguments: truncationCases)
func aStreamWithoutTerminalIsAnErrorAndYieldsNoTurn(_ testCase: TruncationCase) throws {
    let error = try #require(readStream(testCase.stream).0.failure)
    #expect(error.code == .truncatedStream)
    #expect(error.userMessage.contains("ended without a final chunk"))
}

@Test func finishReasonWithoutDoneIsATerminal() throws {
    let stream = """
        data: {"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":null}]}

        data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}


        """
    let turn = try #require(readStream(stream).0.success)
    #expect(turn.content == "ok")
    #expect(turn.wasTruncatedByLength)
    #expect(turn.model == readerEndpoint.model)
}

@Test func doneWithoutFinishReasonIsATerminalAndToolTurnComesFromCollectedCalls() throws {
    // Some engines end a tool turn with finish_reason "stop" or none at all.
    let stream = """
        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"ping","arguments":"{}"}}]}}]}

        data: [DONE]


        """
    let turn = try #require(readStream(stream).0.success)
    #expect(turn.isToolTurn)
    #expect(turn.finishReason == nil)
    #expect(turn.toolCalls == [ToolCall(id: "call_1", name: "ping", arguments: "{}")])
}

@Test func toolCallDeltasWithoutIndexOrIdAreAssembledInOrder() throws {
    let stream = """
        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"id":"a","function":{"name":"first","arguments":"{\\"x\\""}}]}}]}

        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":": 1}"}}]}}]}

        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"id":"b","function":{"name":"second","arguments":"{}"}}]}}]}

        data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}


        """
    let turn = try #require(readStream(stream).0.success)
    #expect(
        turn.toolCalls == [
            ToolCall(id: "a", name: "first", arguments: "{\"x\": 1}"),
            ToolCall(id: "b", name: "second", arguments: "{}"),
        ]
    )
}

@Test func aCallWithoutIdGetsANativeIdFromItsIndex() throws {
    let stream = """
        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":2,"function":{"name":"ping","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}


        """
    let turn = try #require(readStream(stream).0.success)
    #expect(turn.toolCalls == [ToolCall(id: "functions.ping:2", name: "ping", arguments: "{}")])
}

@Test func assistantMessageCarriesReasoningAndCalls() throws {
    let turn = try #require(readStream(SSEFixtureText.moonshotThinkingToolCall).0.success)
    let message = turn.assistantMessage
    #expect(message.role == .assistant)
    #expect(message.reasoningContent == "The user wants the file.")
    #expect(message.toolCalls.count == 2)
    #expect(message.content == "Reading it.")
}

@Test func aNonStreamedCompletionIsReadAsOneChunk() throws {
    let body = """
        {"id":"x","object":"chat.completion","model":"kimi-k2","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","reasoning_content":"r","tool_calls":[{"id":"functions.ping:0","type":"function","function":{"name":"ping","arguments":"{}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}
        """
    guard case .chunk(let chunk) = ChatChunkDecoder.decodeCompletion(Data(body.utf8)) else {
        Issue.record("not decoded")
        return
    }
    var assembler = StreamAssembler(fallbackModel: "m")
    _ = assembler.consume(chunk)
    let finished = assembler.finish(streamed: false)
    let turn = try #require(finished)
    #expect(turn.content == "Hi")
    #expect(turn.reasoningContent == "r")
    #expect(turn.toolCalls == [ToolCall(id: "functions.ping:0", name: "ping", arguments: "{}")])
    #expect(turn.usage == TokenUsage(promptTokens: 3, completionTokens: 2))
    #expect(!turn.streamed)
}
