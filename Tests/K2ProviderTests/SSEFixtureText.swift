// Literal event streams in the shapes Moonshot, OpenRouter and vLLM send (from their documented formats).

enum SSEFixtureText {
    /// Moonshot, K2 Instruct: usage inside `choices[0].usage` on the finish chunk, `cached_tokens` in usage.
    static let moonshotText = """
        data: {"id":"chatcmpl-68d1c0f2a1","object":"chat.completion.chunk","created":1758511346,"model":"kimi-k2-0905-preview","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

        data: {"id":"chatcmpl-68d1c0f2a1","object":"chat.completion.chunk","created":1758511346,"model":"kimi-k2-0905-preview","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}

        data: {"id":"chatcmpl-68d1c0f2a1","object":"chat.completion.chunk","created":1758511346,"model":"kimi-k2-0905-preview","choices":[{"index":0,"delta":{"content":"! How can"},"finish_reason":null}]}

        data: {"id":"chatcmpl-68d1c0f2a1","object":"chat.completion.chunk","created":1758511346,"model":"kimi-k2-0905-preview","choices":[{"index":0,"delta":{"content":" I help?"},"finish_reason":null}]}

        data: {"id":"chatcmpl-68d1c0f2a1","object":"chat.completion.chunk","created":1758511346,"model":"kimi-k2-0905-preview","choices":[{"index":0,"delta":{},"finish_reason":"stop","usage":{"prompt_tokens":19,"completion_tokens":8,"total_tokens":27,"cached_tokens":16}}]}

        data: [DONE]


        """

    /// Moonshot, K2 Thinking calling a tool: reasoning_content deltas, a short `read_file:0` id, argument fragments.
    static let moonshotThinkingToolCall = """
        data: {"id":"chatcmpl-7a","object":"chat.completion.chunk","created":1758511400,"model":"kimi-k2-thinking","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

        data: {"id":"chatcmpl-7a","object":"chat.completion.chunk","created":1758511400,"model":"kimi-k2-thinking","choices":[{"index":0,"delta":{"reasoning_content":"The user wants "},"finish_reason":null}]}

        data: {"id":"chatcmpl-7a","object":"chat.completion.chunk","created":1758511400,"model":"kimi-k2-thinking","choices":[{"index":0,"delta":{"reasoning_content":"the file."},"finish_reason":null}]}

        data: {"id":"chatcmpl-7a","object":"chat.completion.chunk","created":1758511400,"model":"kimi-k2-thinking","choices":[{"index":0,"delta":{"content":"Reading it."},"finish_reason":null}]}

        data: {"id":"chatcmpl-7a","object":"chat.completion.chunk","created":1758511400,"model":"kimi-k2-thinking","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"read_file:0","type":"function","function":{"name":"read_file","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-7a","object":"chat.completion.chunk","created":1758511400,"model":"kimi-k2-thinking","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"path\\": "}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-7a","object":"chat.completion.chunk","created":1758511400,"model":"kimi-k2-thinking","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"Sources/a.swift\\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-7a","object":"chat.completion.chunk","created":1758511400,"model":"kimi-k2-thinking","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"list_dir:1","type":"function","function":{"name":"list_dir","arguments":"{\\"path\\": \\".\\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-7a","object":"chat.completion.chunk","created":1758511400,"model":"kimi-k2-thinking","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls","usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160,"cached_tokens":100}}]}

        data: [DONE]


        """

    /// OpenRouter: processing comments, `reasoning` plus the same text in `reasoning_details`, usage in a final
    /// chunk with empty choices and cached tokens in `prompt_tokens_details`.
    static let openRouterReasoningStream = """
        : OPENROUTER PROCESSING

        : OPENROUTER PROCESSING

        data: {"id":"gen-1758-abc","provider":"Moonshot AI","model":"moonshotai/kimi-k2-thinking","object":"chat.completion.chunk","created":1758511500,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Greeting, ","reasoning_details":[{"type":"reasoning.text","text":"Greeting, ","format":"unknown","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

        data: {"id":"gen-1758-abc","provider":"Moonshot AI","model":"moonshotai/kimi-k2-thinking","object":"chat.completion.chunk","created":1758511500,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"answer briefly.","reasoning_details":[{"type":"reasoning.text","text":"answer briefly.","format":"unknown","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

        data: {"id":"gen-1758-abc","provider":"Moonshot AI","model":"moonshotai/kimi-k2-thinking","object":"chat.completion.chunk","created":1758511500,"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi there!"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

        : OPENROUTER PROCESSING

        data: {"id":"gen-1758-abc","provider":"Moonshot AI","model":"moonshotai/kimi-k2-thinking","object":"chat.completion.chunk","created":1758511500,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop","native_finish_reason":"stop","logprobs":null}]}

        data: {"id":"gen-1758-abc","provider":"Moonshot AI","model":"moonshotai/kimi-k2-thinking","object":"chat.completion.chunk","created":1758511500,"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":20,"total_tokens":30,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":12}}}

        data: {"id":"gen-1758-abc","provider":"Moonshot AI","model":"moonshotai/kimi-k2-thinking","object":"chat.completion.chunk","created":1758511500,"choices":[{"index":0,"delta":{},"finish_reason":null}]}

        data: [DONE]


        """

    /// OpenRouter: an error event inside a 200 stream after some content.
    static let openRouterMidStreamError = """
        : OPENROUTER PROCESSING

        data: {"id":"gen-1758-err","provider":"Moonshot AI","model":"moonshotai/kimi-k2","object":"chat.completion.chunk","created":1758511600,"choices":[{"index":0,"delta":{"role":"assistant","content":"Partial"},"finish_reason":null}]}

        data: {"id":"gen-1758-err","object":"chat.completion.chunk","created":1758511600,"model":"moonshotai/kimi-k2","provider":"Moonshot AI","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}


        """

    /// Self-hosted vLLM without `--reasoning-parser`: reasoning inline in content, tags split across chunks,
    /// and without `--tool-call-parser`: the raw tool-call section leaks into content.
    static let vLLMInlineThinkAndLeakedToolCall = """
        data: {"id":"chatcmpl-v1","object":"chat.completion.chunk","created":1758511700,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"role":"assistant","content":"<thi"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-v1","object":"chat.completion.chunk","created":1758511700,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"content":"nk>Need the file</th"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-v1","object":"chat.completion.chunk","created":1758511700,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"content":"ink>\\n\\nLet me look.<|tool_calls_sec"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-v1","object":"chat.completion.chunk","created":1758511700,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"content":"tion_begin|><|tool_call_begin|>functions.read_file:0<|tool_call_argument_begin|>{\\"path\\": \\"a.swift\\"}<|tool_call_end|>"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-v1","object":"chat.completion.chunk","created":1758511700,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"content":"<|tool_calls_section_end|><|im_end|>"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-v1","object":"chat.completion.chunk","created":1758511700,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":163586}],"usage":null}

        data: {"id":"chatcmpl-v1","object":"chat.completion.chunk","created":1758511700,"model":"moonshotai/Kimi-K2-Thinking","choices":[],"usage":{"prompt_tokens":50,"total_tokens":90,"completion_tokens":40,"prompt_tokens_details":null}}

        data: [DONE]


        """
}
