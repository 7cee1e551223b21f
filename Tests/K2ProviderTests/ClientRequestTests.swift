// What the client sends over a real socket: path, headers and body as K2 expects them.
import AnyJSON
import Foundation
import K2Provider
import K2TestSupport
import Testing

@Suite struct ClientRequestTests {
    @Test func requestBodyAndHeadersAreWhatK2Expects() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.text("Hi!"))
            let request = ChatRequest(
                messages: [
                    .system("sys"),
                    .user("read a"),
                    .assistant("", toolCalls: [ToolCall(id: "call_x1", name: "read_file", arguments: "{\"path\":\"a\"}")]),
                    .tool(callID: "call_x1", name: "read_file", content: "contents"),
                ],
                tools: [readFileTool],
                maxTokens: 1500
            )
            let (result, _) = await ProviderHarness.complete(client, request)
            #expect(result.success?.content == "Hi!")

            let recorded = try #require(server.chatRequests.first)
            #expect(recorded.path == "/v1/chat/completions")
            #expect(recorded.header("Authorization") == "Bearer \(ProviderHarness.apiKey)")
            #expect(recorded.header("Content-Type") == "application/json")
            #expect(recorded.header("Accept") == "text/event-stream")
            let body = try #require(recorded.json)
            #expect(body["model"] == "kimi-k2.6")
            #expect(body["stream"] == true)
            #expect(body["stream_options"] == ["include_usage": true])
            // Hosted K2.6 as K2 Instruct: fixed sampling (nothing sent), thinking off, the new output-limit field.
            #expect(body["temperature"] == nil)
            #expect(body["thinking"] == ["type": "disabled"])
            #expect(body["max_completion_tokens"] == 1500)
            #expect(body["max_tokens"] == nil)
            #expect(body["tool_choice"] == nil)
            #expect(body["tools"]?[0]?["function"]?["name"] == "read_file")
            let assistant = try #require(body["messages"]?[2])
            #expect(assistant["reasoning_content"] == .string(ChatRequestEncoder.reasoningPlaceholder))
            #expect(assistant["tool_calls"]?[0]?["id"] == "functions.read_file:0")
            #expect(body["messages"]?[3]?["tool_call_id"] == "functions.read_file:0")
        }
    }

    @Test func noAuthorizationHeaderWithoutAKey() async throws {
        try await ProviderHarness.run(editEndpoint: { $0.apiKey = nil }) { server, client in
            server.enqueue(.text("ok"))
            let (result, _) = await ProviderHarness.complete(client)
            #expect(result.success != nil)
            #expect(server.chatRequests.first?.header("Authorization") == nil)
        }
    }

    @Test func extraHeadersAreSentButNeverReplaceAuthorization() async throws {
        let headers = ["HTTP-Referer": "https://k2lsp.dev", "X-Title": "k2lsp", "Authorization": "Bearer wrong"]
        try await ProviderHarness.run(editEndpoint: { $0.extraHeaders = headers }) { server, client in
            server.enqueue(.text("ok"))
            _ = await ProviderHarness.complete(client)
            let recorded = try #require(server.chatRequests.first)
            #expect(recorded.header("X-Title") == "k2lsp")
            #expect(recorded.headers.filter { $0.name.lowercased() == "authorization" }.map(\.value) == ["Bearer \(ProviderHarness.apiKey)"])
        }
    }

    @Test func listModelsReadsTheListing() async throws {
        try await ProviderHarness.run { server, client in
            server.setModels(["kimi-k2-0905-preview", "kimi-k2-thinking"])
            let models = try await client.listModels()
            #expect(models == ["kimi-k2-0905-preview", "kimi-k2-thinking"])
            #expect(server.recordedRequests.first?.path == "/v1/models")
            #expect(server.recordedRequests.first?.header("Authorization") == "Bearer \(ProviderHarness.apiKey)")
        }
    }

    @Test func repliesCanBeRoutedByModel() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(.text("for someone else"), forModel: "other-model")
            server.enqueue(.text("for me"), forModel: "kimi-k2.6")
            let (result, _) = await ProviderHarness.complete(client)
            #expect(result.success?.content == "for me")
            #expect(server.pendingReplyCount == 1)
        }
    }

    @Test func anEmptyScriptFailsLoudly() async throws {
        try await ProviderHarness.run(retries: .none) { _, client in
            let (result, _) = await ProviderHarness.complete(client)
            #expect(result.failure?.userMessage.contains("no scripted reply queued") == true)
        }
    }
}
