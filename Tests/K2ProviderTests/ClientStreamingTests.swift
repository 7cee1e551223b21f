// Turns streamed over a real socket: deltas, tool calls, reasoning, think tags, usage, non-streamed replies.
import AnyJSON
import Foundation
import K2Provider
import K2TestSupport
import Testing

@Suite struct ClientStreamingTests {
    @Test func toolCallsStreamedInFragmentsAreAssembled() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(
                .text(
                    "Let me check.",
                    reasoning: "Two files are needed.",
                    toolCalls: [
                        ScriptedToolCall(id: "functions.read_file:0", name: "read_file", arguments: #"{"path": "Sources/main.swift"}"#),
                        ScriptedToolCall(id: "functions.list_dir:1", name: "list_dir", arguments: #"{"path": "Tests"}"#),
                    ],
                    usage: (prompt: 300, completion: 50, cached: 256)
                )
            )
            let (result, events) = await ProviderHarness.complete(client, ProviderHarness.simpleRequest(tools: [readFileTool]))
            let turn = try #require(result.success)
            #expect(turn.content == "Let me check.")
            #expect(turn.reasoningContent == "Two files are needed.")
            #expect(turn.isToolTurn)
            #expect(turn.finishReason == "tool_calls")
            #expect(
                turn.toolCalls == [
                    ToolCall(id: "functions.read_file:0", name: "read_file", arguments: #"{"path": "Sources/main.swift"}"#),
                    ToolCall(id: "functions.list_dir:1", name: "list_dir", arguments: #"{"path": "Tests"}"#),
                ]
            )
            #expect(turn.usage == TokenUsage(promptTokens: 300, completionTokens: 50, cachedTokens: 256))
            #expect(turn.model == SSEFixtures.model)
            #expect(events.contains(.toolCallStarted(index: 1, id: "functions.list_dir:1", name: "list_dir")))
            #expect(events.filter { if case .contentDelta = $0 { return true } else { return false } }.count > 1)
            guard case .firstByte(let latency)? = events.first else {
                Issue.record("first event should be firstByte: \(events.first.map { "\($0)" } ?? "none")")
                return
            }
            #expect(latency < .seconds(15))  // measured, not timed: only sanity on a loaded machine
        }
    }

    @Test func thinkTagsSplitAcrossChunksAreStripped() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(
                .stream(
                    [.roleDelta, .content("<thi"), .content("nk>I should "), .content("greet.</th"), .content("ink>\n\nHel"),
                     .content("lo!"), .finish("stop"), .done],
                    chunkDelay: .milliseconds(2)
                )
            )
            let (result, events) = await ProviderHarness.complete(client)
            let turn = try #require(result.success)
            #expect(turn.content == "Hello!")
            #expect(turn.reasoningContent == "I should greet.")
            let shown = events.compactMap { if case .contentDelta(let text) = $0 { return text } else { return nil } }.joined()
            #expect(shown == "Hello!")
        }
    }

    @Test func openRouterCommentsAndReasoningFieldsWork() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(
                .stream([
                    .comment("OPENROUTER PROCESSING"), .openRouterReasoning("Hmm."), .comment("OPENROUTER PROCESSING"),
                    .content("Hi"), .finish("stop"), .usage(prompt: 5, completion: 3, cached: 2), .done,
                ])
            )
            let turn = try #require(await ProviderHarness.complete(client).0.success)
            #expect(turn.content == "Hi")
            #expect(turn.reasoningContent == "Hmm.")
            #expect(turn.usage?.cachedTokens == 2)
        }
    }

    @Test func moonshotUsageInsideTheChoiceIsRead() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.stream([.content("Hi"), .usage(prompt: 9, completion: 1, cached: 8, moonshotStyleFinish: "stop"), .done]))
            let turn = try #require(await ProviderHarness.complete(client).0.success)
            #expect(turn.usage == TokenUsage(promptTokens: 9, completionTokens: 1, cachedTokens: 8))
            #expect(turn.finishReason == "stop")
        }
    }

    @Test func aServerThatIgnoresStreamingStillGivesATurn() async throws {
        try await ProviderHarness.run { server, client in
            let completion: JSONValue = [
                "id": "x", "object": "chat.completion", "model": "local",
                "choices": [["index": 0, "message": ["role": "assistant", "content": "whole"], "finish_reason": "stop"]],
            ]
            server.enqueue(.status(200, body: completion.serialized()))
            let turn = try #require(await ProviderHarness.complete(client).0.success)
            #expect(turn.content == "whole")
            #expect(!turn.streamed)
        }
    }
}
