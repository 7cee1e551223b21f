// Request bodies built from catalog profiles, compared with literal JSON: what each model is sent for each role.
import AnyJSON
import K2Models
@testable import K2Provider
import Testing

private func endpoint(_ model: String, _ level: ReasoningLevel, window: Int? = nil) -> ProviderEndpoint {
    ProviderEndpoint(
        baseURL: "https://api.example.com/v1", model: model, apiKey: "sk-test-0123456789", contextWindow: window,
        profile: ModelCatalog.builtIn.profile(for: model), reasoning: level)
}

private let hello = ChatRequest(messages: [.user("Hello K2!")], maxTokens: 128)

private func body(_ model: String, _ level: ReasoningLevel, _ request: ChatRequest = hello, fixes: [BodyFix] = [])
    -> JSONValue
{
    ChatRequestEncoder.body(for: request, endpoint: endpoint(model, level), fixes: fixes)
}

private let streaming: [String: JSONValue] = [
    "stream": true, "stream_options": ["include_usage": true], "messages": [["role": "user", "content": "Hello K2!"]],
]

private func expected(_ fields: [String: JSONValue]) -> JSONValue {
    .object(streaming.merging(fields) { _, new in new })
}

@Suite struct ProfileBodyTests {
    @Test func hostedK26AsInstructHasThinkingOffAndNoSampling() {
        #expect(
            body("kimi-k2.6", .least)
                == expected([
                    "model": "kimi-k2.6", "thinking": ["type": "disabled"], "max_completion_tokens": 128,
                ]))
    }

    @Test func hostedK26AsThinkingTurnsThinkingOnWithRoomToReason() {
        #expect(
            body("kimi-k2.6", .full)
                == expected([
                    "model": "kimi-k2.6", "thinking": ["type": "enabled"], "max_completion_tokens": 4224,
                ]))
    }

    @Test func k27CodeIsNeverSentThinkingDisabled() {
        // `disabled` is a 400 there: Instruct work on it sends no switch and leaves room for the reasoning.
        #expect(body("kimi-k2.7-code", .least) == expected(["model": "kimi-k2.7-code", "max_completion_tokens": 4224]))
        #expect(
            body("kimi-k2.7-code", .full)
                == expected(["model": "kimi-k2.7-code", "thinking": ["type": "enabled"], "max_completion_tokens": 4224]))
    }

    @Test func k3TakesAnEffortInsteadOfASwitch() {
        #expect(
            body("kimi-k3", .least)
                == expected(["model": "kimi-k3", "reasoning_effort": "low", "max_completion_tokens": 2176]))
        #expect(
            body("kimi-k3.1-pro", .full)
                == expected(["model": "kimi-k3.1-pro", "reasoning_effort": "high", "max_completion_tokens": 2176]))
    }

    @Test func openRouterUsesItsUnifiedReasoningSwitchAndMaxTokens() {
        #expect(
            body("moonshotai/kimi-k2.6", .least)
                == expected(["model": "moonshotai/kimi-k2.6", "reasoning": ["enabled": false], "max_tokens": 128]))
    }

    @Test func selfHostedK2InstructGetsItsRecommendedTemperature() {
        #expect(
            body("moonshotai/Kimi-K2-Instruct-0905", .least)
                == expected(["model": "moonshotai/Kimi-K2-Instruct-0905", "temperature": 0.6, "max_tokens": 128]))
    }

    @Test func anUnknownModelGetsTheConservativeBody() {
        #expect(body("gemma-3-270m-it", .least) == expected(["model": "gemma-3-270m-it", "max_tokens": 128]))
        #expect(body("gemma-3-270m-it", .full) == expected(["model": "gemma-3-270m-it", "max_tokens": 128]))
    }

    @Test func theOutputLimitFitsTheWindowAfterTheAllowance() {
        var request = hello
        request.promptTokenEstimate = 250_000
        let fitted = ChatRequestEncoder.body(for: request, endpoint: endpoint("kimi-k2.6", .full))
        // 262,144 − 250,000 − (25,000 + 256) headroom leaves less than the minimum: the minimum is asked.
        #expect(fitted["max_completion_tokens"] == .int(MaxTokensFitter.minimumTokens))
        let configuredWindow = ChatRequestEncoder.body(
            for: ChatRequest(messages: [.user("x")], maxTokens: 8192, promptTokenEstimate: 1000),
            endpoint: endpoint("kimi-k3", .least, window: 4000))
        #expect(configuredWindow["max_completion_tokens"] == .int(4000 - 1000 - 356))
    }

    @Test func partialModeIsOnlySentToModelsThatContinueIt() {
        let request = ChatRequest(messages: [.user("complete"), .partialAssistant("let x")], maxTokens: 32)
        #expect(body("kimi-k2.6", .least, request)["messages"]?[1] == ["role": "assistant", "content": "let x", "partial": true])
        #expect(body("moonshotai/kimi-k2.6", .least, request)["messages"]?.arrayValue?.count == 1)
        #expect(body("kimi-k2.6", .least, request, fixes: [.noPartialMode])["messages"]?.arrayValue?.count == 1)
    }
}

@Suite struct ReasoningReplayTests {
    let history = ChatRequest(
        messages: [
            .user("go"),
            .assistant("", reasoning: "look first", toolCalls: [ToolCall(id: "a", name: "read_file", arguments: "{}")]),
            .tool(callID: "a", name: "read_file", content: "x"),
            .assistant("plain answer", reasoning: "explained"),
            .assistant("no reasoning kept"),
            .user("again"),
        ],
        maxTokens: 64)

    func replayed(_ model: String, fixes: [BodyFix] = []) -> [JSONValue?] {
        let messages = body(model, .full, history, fixes: fixes)["messages"]?.arrayValue ?? []
        return messages.map { $0["reasoning_content"] }
    }

    @Test func k27CodeAndK3ReplayEveryAssistantMessage() {
        let placeholder = JSONValue.string(ChatRequestEncoder.reasoningPlaceholder)
        for model in ["kimi-k2.7-code", "kimi-k3"] {
            #expect(replayed(model) == [nil, "look first", nil, "explained", placeholder, nil], "\(model)")
        }
    }

    @Test func k26ReplaysOnlyToolCallMessages() {
        #expect(replayed("kimi-k2.6") == [nil, "look first", nil, nil, nil, nil])
    }

    @Test func unknownModelsReplayWhateverArrived() {
        #expect(replayed("some-model") == [nil, "look first", nil, "explained", nil, nil])
    }

    @Test func aLearnedFixReplaysEverywhere() {
        let placeholder = JSONValue.string(ChatRequestEncoder.reasoningPlaceholder)
        #expect(replayed("kimi-k2.6", fixes: [.replayReasoningEverywhere]) == [nil, "look first", nil, "explained", placeholder, nil])
    }
}

@Suite struct BodyHealerTests {
    let sent: JSONValue = [
        "model": "m", "messages": [["role": "user", "content": "x"]], "stream": true, "temperature": 0.6,
        "max_tokens": 100, "thinking": ["type": "disabled"], "top_p": 0.9,
    ]

    @Test(arguments: [
        ("invalid temperature: only 1 is allowed for this model", [BodyFix.drop("temperature")]),
        ("Invalid value for 'top_p'", [.drop("top_p")]),
        ("max_tokens is deprecated, please use max_completion_tokens", [.renameOutputLimit(to: "max_completion_tokens")]),
        ("max_tokens must be at most 16384", [.capOutputLimit(16384)]),
        ("invalid thinking type: disabled is not supported for this model", [.drop("thinking")]),
        ("thinking is enabled but reasoning_content is missing in assistant tool call message at index 3", [.replayReasoningEverywhere]),
        ("invalid reasoning_effort", []),  // not in the body: nothing to change
        ("the request is malformed", []),
        ("exceeded the maximum temperatures", []),  // a different word
    ])
    func messagesThatNameAFieldGetAFix(message: String, fixes: [BodyFix]) {
        #expect(BodyHealer.fixes(forMessage: message, sentBody: sent) == fixes)
    }

    @Test func theModelAndMessagesAreNeverDropped() {
        #expect(BodyHealer.fixes(forMessage: "invalid model: messages must not be empty", sentBody: sent).isEmpty)
    }

    @Test func partialIsHealedByLeavingThePrefillOut() {
        let withPartial: JSONValue = [
            "model": "m", "messages": [["role": "assistant", "content": "x", "partial": true]], "max_tokens": 10,
        ]
        #expect(BodyHealer.fixes(forMessage: "partial mode is not supported", sentBody: withPartial) == [.noPartialMode])
    }

    @Test func fixesAreAppliedToTheBody() {
        let fixed = body(
            "moonshotai/Kimi-K2-Instruct-0905", .least, fixes: [.drop("temperature"), .renameOutputLimit(to: "max_completion_tokens"), .capOutputLimit(100)])
        #expect(fixed == expected(["model": "moonshotai/Kimi-K2-Instruct-0905", "max_completion_tokens": 100]))
    }
}
