// The request body: exactly the fields K2 needs, history in the shape K2 accepts, ids normalised.
import AnyJSON
@testable import K2Provider
import K2Models
import Testing

/// Self-hosted K2 Thinking: free sampling (1.0), `max_tokens`, reasoning replayed on tool-call messages.
let encoderEndpoint = ProviderEndpoint(
    baseURL: "https://api.moonshot.ai/v1/",
    model: "kimi-k2-thinking",
    apiKey: "sk-never-in-a-body-123456",
    apiKeyEnvName: "K2_API_KEY",
    label: "Thinking",
    contextWindow: 262_144,
    profile: ModelCatalog.builtIn.profile(for: "moonshotai/Kimi-K2-Thinking"),
    reasoning: .full
)

let readFileTool = ToolDefinition(
    name: "read_file",
    description: "Read a file",
    parameters: ["type": "object", "properties": ["path": ["type": "string"]], "required": ["path"]]
)

@Test func bodyHasStreamingUsageToolsAndNoToolChoice() {
    let request = ChatRequest(
        messages: [.system("sys"), .user("hi")],
        tools: [readFileTool],
        maxTokens: 2048,
        stop: ["\n\n"]
    )
    let body = ChatRequestEncoder.body(for: request, endpoint: encoderEndpoint)
    let expected: JSONValue = [
        "model": "kimi-k2-thinking",
        "stream": true,
        "stream_options": ["include_usage": true],
        "max_tokens": 6144,  // the task's 2048 plus the reasoning allowance
        "temperature": 1.0,
        "stop": ["\n\n"],
        "messages": [["role": "system", "content": "sys"], ["role": "user", "content": "hi"]],
        "tools": [[
            "type": "function",
            "function": [
                "name": "read_file", "description": "Read a file",
                "parameters": ["type": "object", "properties": ["path": ["type": "string"]], "required": ["path"]],
            ],
        ]],
    ]
    #expect(body == expected)
    #expect(body["tool_choice"] == nil)
    #expect(!body.serialized().contains("sk-never-in-a-body"))
}

@Test func noToolsMeansNoToolsField() {
    let body = ChatRequestEncoder.body(for: ChatRequest(messages: [.user("x")], maxTokens: 10), endpoint: encoderEndpoint)
    #expect(body["tools"] == nil)
    #expect(body["stop"] == nil)
    #expect(body["max_tokens"] == 4106)  // the task's 10, plus the reasoning allowance
}

@Test func toolCallHistoryCarriesReasoningAndNormalisedIds() throws {
    let request = ChatRequest(
        messages: [
            .user("read two files"),
            .assistant("", reasoning: nil, toolCalls: [
                ToolCall(id: "call_abc", name: "read_file", arguments: "{\"path\":\"a\"}"),
                ToolCall(id: "call_def", name: "read_file", arguments: ""),
            ]),
            .tool(callID: "call_def", name: "read_file", content: "B"),
            .tool(callID: "call_abc", name: "read_file", content: ""),
            .assistant("", reasoning: "now list", toolCalls: [ToolCall(id: "read_file:0", name: "list_dir", arguments: "{}")]),
            .tool(callID: "read_file:0", name: "list_dir", content: "a b"),
            .assistant("done", reasoning: "final thoughts"),
        ],
        maxTokens: 100
    )
    let messages = try #require(ChatRequestEncoder.body(for: request, endpoint: encoderEndpoint)["messages"]?.arrayValue)
    #expect(messages[1] == [
        "role": "assistant", "content": "", "reasoning_content": .string(ChatRequestEncoder.reasoningPlaceholder),
        "tool_calls": [
            ["id": "functions.read_file:0", "type": "function", "function": ["name": "read_file", "arguments": "{\"path\":\"a\"}"]],
            ["id": "functions.read_file:1", "type": "function", "function": ["name": "read_file", "arguments": "{}"]],
        ],
    ])
    #expect(messages[2] == ["role": "tool", "tool_call_id": "functions.read_file:1", "name": "read_file", "content": "B"])
    #expect(messages[3]["tool_call_id"] == "functions.read_file:0")
    #expect(messages[3]["content"] == .string(ChatRequestEncoder.emptyToolResultPlaceholder))
    #expect(messages[4]["reasoning_content"] == "now list")
    #expect(messages[4]["tool_calls"]?[0]?["id"] == "functions.list_dir:2")
    #expect(messages[5]["tool_call_id"] == "functions.list_dir:2")
    // Reasoning of a plain answer is not sent back.
    #expect(messages[6] == ["role": "assistant", "content": "done"])
}

@Test func idsAreKeptWhenNormalisationIsOff() throws {
    var endpoint = encoderEndpoint
    endpoint.normalizesToolCallIDs = false
    let request = ChatRequest(
        messages: [
            .assistant("", toolCalls: [ToolCall(id: "call_abc", name: "ping", arguments: "{}")]),
            .tool(callID: "call_abc", name: "ping", content: "pong"),
        ],
        maxTokens: 100
    )
    let messages = try #require(ChatRequestEncoder.body(for: request, endpoint: endpoint)["messages"]?.arrayValue)
    #expect(messages[0]["tool_calls"]?[0]?["id"] == "call_abc")
    #expect(messages[1]["tool_call_id"] == "call_abc")
}

@Test func normalisationRepeatedShortIdsPairByTurnAndOrder() {
    // Moonshot reuses `ping:0` every turn; an engine may repeat one id within a turn.
    let history: [ChatMessage] = [
        .assistant("", toolCalls: [ToolCall(id: "ping:0", name: "ping", arguments: "{}")]),
        .tool(callID: "ping:0", name: "ping", content: "1"),
        .assistant("", toolCalls: [
            ToolCall(id: "ping:0", name: "ping", arguments: "{}"), ToolCall(id: "ping:0", name: "ping", arguments: "{}"),
        ]),
        .tool(callID: "ping:0", name: "ping", content: "2"),
        .tool(callID: "ping:0", name: "ping", content: "3"),
    ]
    let normalized = ToolCallIDNormalizer.normalize(history)
    #expect(normalized[1].toolCallID == "functions.ping:0")
    #expect(normalized[2].toolCalls.map(\.id) == ["functions.ping:1", "functions.ping:2"])
    #expect(normalized[3].toolCallID == "functions.ping:1")
    #expect(normalized[4].toolCallID == "functions.ping:2")
    #expect(ToolCallIDNormalizer.normalize(history) == normalized)
}

@Test(arguments: [
    ("functions.read_file:0", "read_file"), ("read_file:12", "read_file"), ("functions.a.b:3", "a.b"),
    ("call_abc", nil), ("functions.x:", nil), (":1", nil),
] as [(String, String?)])
func functionNameFromNativeIds(_ id: String, _ name: String?) {
    #expect(ToolCallIDNormalizer.functionName(fromNativeID: id) == name)
}

@Test func partialModeAndExtrasAreEncodedWithoutOverridingOwnedFields() {
    var endpoint = encoderEndpoint
    endpoint.profile.partialMode = true
    endpoint.extraBody = ["provider": ["order": ["moonshotai"]], "model": "evil", "stream": false]
    let request = ChatRequest(
        messages: [.user("complete this"), .partialAssistant("func ")],
        maxTokens: 64,
        stop: ["a", "b", "c", "d", "e", ""],
        extraBody: ["top_p": 0.9]
    )
    let body = ChatRequestEncoder.body(for: request, endpoint: endpoint)
    #expect(body["model"] == "kimi-k2-thinking")
    #expect(body["stream"] == true)
    #expect(body["provider"] == ["order": ["moonshotai"]])
    #expect(body["top_p"] == 0.9)
    #expect(body["temperature"] == 1.0)
    #expect(body["stop"] == ["a", "b", "c", "d"])
    #expect(body["messages"]?[1] == ["role": "assistant", "content": "func ", "partial": true])
}

struct FitCase: Sendable {
    var requested: Int
    var prompt: Int?
    var window: Int?
    var expected: Int
}

@Test(arguments: [
    FitCase(requested: 1024, prompt: nil, window: 262_144, expected: 1024),
    FitCase(requested: 1024, prompt: 1000, window: nil, expected: 1024),
    FitCase(requested: 32_000, prompt: 100_000, window: 131_072, expected: 20_816),
    FitCase(requested: 32_000, prompt: 130_000, window: 131_072, expected: 16),
    FitCase(requested: 0, prompt: nil, window: nil, expected: 16),
])
func maxTokensFitTheWindow(_ fit: FitCase) {
    #expect(MaxTokensFitter.fit(requested: fit.requested, promptTokenEstimate: fit.prompt, contextWindow: fit.window) == fit.expected)
}

@Test func endpointTextNeverShowsTheKey() {
    let texts = [
        "\(encoderEndpoint)", String(describing: encoderEndpoint), String(reflecting: encoderEndpoint),
        { var out = ""; dump(encoderEndpoint, to: &out); return out }(),
    ]
    for text in texts {
        #expect(!text.contains("sk-never-in-a-body"), "\(text)")
    }
    #expect(encoderEndpoint.chatCompletionsURL == "https://api.moonshot.ai/v1/chat/completions")
    #expect(encoderEndpoint.host == "api.moonshot.ai")
}
