// THE model catalog: every model fact k2lsp knows (ids, thinking switches, sampling, limits, retirements) in one table.
//
// Sources: Moonshot's platform docs and cookbook, MoonshotAI/Kimi-K2 and kimi-cli, OpenRouter's model pages, as
// summarised in k2-notes.md ("Hosted Kimi as of December 2026"). Several facts are second-hand: when one is wrong
// the client heals itself (a 400 naming a field drops or fixes it and is remembered), and a user's `models:`
// section overrides any field without a release. Reasoning allowances are estimates.
import AnyJSON

extension ModelCatalog {
    public static let builtIn = ModelCatalog(
        families: [
            // MARK: Moonshot (api.moonshot.ai / api.moonshot.cn)
            ModelFamily(
                name: "kimi-k2.6", series: .k2, surface: .moonshot, matches: ["kimi-k2.6"],
                profile: ModelProfile(
                    contextWindow: 262_144, sampling: .serverDefault, outputLimitField: "max_completion_tokens",
                    thinking: ThinkingControl(
                        thinksByDefault: true, field: "thinking", off: ["type": "disabled"], on: ["type": "enabled"]),
                    reasoningReplay: .toolCallMessages, reasoningAllowance: 4096, partialMode: true)),
            ModelFamily(
                name: "kimi-k2.7-code", series: .k2, surface: .moonshot,
                matches: ["kimi-k2.7-code", "kimi-k2.7-code-highspeed"],
                profile: ModelProfile(
                    contextWindow: 262_144, sampling: .serverDefault, outputLimitField: "max_completion_tokens",
                    thinking: ThinkingControl(thinksByDefault: true, field: "thinking", on: ["type": "enabled"]),
                    reasoningReplay: .everyMessage, reasoningAllowance: 4096)),
            ModelFamily(
                name: "kimi-k3", series: .k3, surface: .moonshot,
                matches: ["kimi-k3", "kimi-k3.1-pro", "kimi-k3.1-pro-highspeed"],
                profile: ModelProfile(
                    contextWindow: 1_048_576, sampling: .serverDefault, outputLimitField: "max_completion_tokens",
                    thinking: ThinkingControl(thinksByDefault: true, field: "reasoning_effort", low: "low", on: "high"),
                    reasoningReplay: .everyMessage, reasoningAllowance: 2048, allowsRequiredToolChoice: true)),

            // MARK: OpenRouter (openrouter.ai/api/v1): its unified `reasoning` switch and `max_tokens`
            ModelFamily(
                name: "openrouter-kimi-k2.6", series: .k2, surface: .openRouter, matches: ["moonshotai/kimi-k2.6"],
                profile: ModelProfile(
                    contextWindow: 262_144, sampling: .serverDefault, outputLimitField: "max_tokens",
                    thinking: ThinkingControl(
                        thinksByDefault: true, field: "reasoning", off: ["enabled": false], on: ["enabled": true]),
                    reasoningReplay: .toolCallMessages, reasoningAllowance: 4096)),
            ModelFamily(
                name: "openrouter-kimi-k2.7-code", series: .k2, surface: .openRouter,
                matches: ["moonshotai/kimi-k2.7-code"],
                profile: ModelProfile(
                    contextWindow: 262_144, sampling: .serverDefault, outputLimitField: "max_tokens",
                    thinking: ThinkingControl(thinksByDefault: true, field: "reasoning", on: ["enabled": true]),
                    reasoningReplay: .everyMessage, reasoningAllowance: 4096)),
            ModelFamily(
                name: "openrouter-kimi-k3", series: .k3, surface: .openRouter, matches: ["moonshotai/kimi-k3*"],
                profile: ModelProfile(
                    contextWindow: 1_048_576, sampling: .serverDefault, outputLimitField: "max_tokens",
                    thinking: ThinkingControl(
                        thinksByDefault: true, field: "reasoning", low: ["effort": "low"], on: ["effort": "high"]),
                    reasoningReplay: .everyMessage, reasoningAllowance: 2048, allowsRequiredToolChoice: true)),
            // Older ids OpenRouter may still route to third-party hosts, which take OpenAI-style sampling.
            ModelFamily(
                name: "openrouter-kimi-k2-0905", series: .k2, surface: .openRouter, matches: ["moonshotai/kimi-k2-0905"],
                profile: ModelProfile(
                    contextWindow: 262_144, sampling: .temperature(0.6), outputLimitField: "max_tokens",
                    thinking: .never, reasoningReplay: .whenKnown)),
            ModelFamily(
                name: "openrouter-kimi-k2", series: .k2, surface: .openRouter, matches: ["moonshotai/kimi-k2"],
                profile: ModelProfile(
                    contextWindow: 131_072, sampling: .temperature(0.6), outputLimitField: "max_tokens",
                    thinking: .never, reasoningReplay: .whenKnown)),

            // MARK: Self-hosted open weights (vLLM, SGLang, llama.cpp): names as --served-model-name gives them
            ModelFamily(
                name: "kimi-k2-instruct-0905", series: .k2, surface: .selfHosted,
                matches: ["moonshotai/Kimi-K2-Instruct-0905", "*kimi-k2-instruct-0905*"],
                profile: ModelProfile(
                    contextWindow: 262_144, sampling: .temperature(0.6), outputLimitField: "max_tokens",
                    thinking: .never, reasoningReplay: .whenKnown)),
            ModelFamily(
                name: "kimi-k2-instruct", series: .k2, surface: .selfHosted,
                matches: ["moonshotai/Kimi-K2-Instruct", "*kimi-k2-instruct"],
                profile: ModelProfile(
                    contextWindow: 131_072, sampling: .temperature(0.6), outputLimitField: "max_tokens",
                    thinking: .never, reasoningReplay: .whenKnown)),
            ModelFamily(
                name: "kimi-k2.7-code-open", series: .k2, surface: .selfHosted,
                matches: ["moonshotai/Kimi-K2.7-Code", "*kimi-k2.7-code*"],
                profile: ModelProfile(
                    contextWindow: 262_144, sampling: .temperature(1.0), outputLimitField: "max_tokens",
                    thinking: .always, reasoningReplay: .everyMessage, reasoningAllowance: 4096)),
            ModelFamily(
                name: "kimi-k2-thinking", series: .k2, surface: .selfHosted,
                matches: ["moonshotai/Kimi-K2-Thinking", "*kimi-k2-thinking*"],
                profile: ModelProfile(
                    contextWindow: 262_144, sampling: .temperature(1.0), outputLimitField: "max_tokens",
                    thinking: .always, reasoningReplay: .toolCallMessages, reasoningAllowance: 4096)),
        ],
        retired: [
            RetiredModel(id: "kimi-k2-0711-preview", role: .instruct, retiredBy: "Moonshot", date: "2026-05-25"),
            RetiredModel(id: "kimi-k2-0905-preview", role: .instruct, retiredBy: "Moonshot", date: "2026-05-25"),
            RetiredModel(id: "kimi-k2-turbo-preview", role: .instruct, retiredBy: "Moonshot", date: "2026-05-25"),
            RetiredModel(id: "kimi-k2-thinking", role: .thinking, retiredBy: "Moonshot", date: "2026-05-25"),
            RetiredModel(id: "kimi-k2-thinking-turbo", role: .thinking, retiredBy: "Moonshot", date: "2026-05-25"),
            RetiredModel(id: "kimi-k2.5", role: .instruct, retiredBy: "Moonshot", date: "2026-08-31"),
            RetiredModel(id: "moonshot-v1-*", role: .instruct, retiredBy: "Moonshot", date: "2026-08-31"),
            RetiredModel(id: "kimi-latest", role: .instruct, retiredBy: "Moonshot", date: "2026"),
        ],
        preferences: RolePreferences(
            // A K2 model that can answer without thinking; a thinking-only K2 beats no K2.
            instruct: [
                "kimi-k2.6", "moonshotai/kimi-k2.6", "moonshotai/Kimi-K2-Instruct-0905", "moonshotai/Kimi-K2-Instruct",
                "moonshotai/kimi-k2-0905", "moonshotai/kimi-k2", "kimi-k2.7-code", "moonshotai/kimi-k2.7-code",
                "moonshotai/Kimi-K2.7-Code",
            ],
            // The K2 coding model, then K2.6 with thinking on.
            thinking: [
                "kimi-k2.7-code", "moonshotai/kimi-k2.7-code", "moonshotai/Kimi-K2.7-Code", "moonshotai/Kimi-K2-Thinking",
                "kimi-k2.6", "moonshotai/kimi-k2.6",
            ],
            // Accounts created after the K2 series left Moonshot's platform list only K3 models.
            withoutK2: ["kimi-k3", "kimi-k3.1-pro", "moonshotai/kimi-k3", "kimi-k3.1-pro-highspeed"]
        ),
        hosts: [
            HostFacts(
                hostSuffixes: ["moonshot.ai"], name: "Moonshot", billingPage: "https://platform.moonshot.ai/console/pay",
                rateLimitAdvice: moonshotRateLimitAdvice("https://platform.moonshot.ai/console/pay"),
                rateLimitErrorType: "rate_limit_reached_error"),
            HostFacts(
                hostSuffixes: ["moonshot.cn"], name: "Moonshot", billingPage: "https://platform.moonshot.cn/console/pay",
                rateLimitAdvice: moonshotRateLimitAdvice("https://platform.moonshot.cn/console/pay")),
            HostFacts(
                hostSuffixes: ["openrouter.ai"], name: "OpenRouter", billingPage: "https://openrouter.ai/settings/credits",
                rateLimitAdvice: "OpenRouter limits free and low-balance accounts; add credits at "
                    + "https://openrouter.ai/settings/credits, or use a local model (K2_LOCAL_BASE_URL)."),
        ]
    )

    private static func moonshotRateLimitAdvice(_ billingPage: String) -> String {
        "New Moonshot accounts (Tier 0, after the first $1) may run one request at a time and 3 a minute, too few for "
            + "as-you-type completion: k2lsp pauses automatic completion until the wait is over and queues commands. "
            + "Tier 1 ($10 cumulative top-up at \(billingPage)) allows 50 at a time and 200 a minute; or use a local "
            + "model (K2_LOCAL_BASE_URL)."
    }
}
