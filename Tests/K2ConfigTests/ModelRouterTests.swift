// Instruct or Thinking, from profile, task, rules, provider health and the context estimate.
import K2Config
import Testing

struct ModelRouterTests {
    struct RouteCase: Sendable, CustomStringConvertible {
        var description: String
        var profile: Profile
        var task: K2Task
        var rules: [RoutingRule] = []
        var tokens: Int? = nil
        var thinkingProviderEnabled = true
        var thinkingHealthy = true
        var expected: ModelRole
        /// A fragment of the expected notice; nil means no notice.
        var notice: String? = nil
    }

    static let heavyTasks: [K2Task] = [.agent, .edit, .fix, .refactor, .tests, .explain]

    /// Every task under every profile with default rules and a healthy provider.
    static let profileCases: [RouteCase] = Profile.allCases.flatMap { profile in
        K2Task.allCases.map { task in
            RouteCase(
                description: "\(profile) \(task)", profile: profile, task: task,
                expected: profile == .enterprise && heavyTasks.contains(task) ? .thinking : .instruct
            )
        }
    }

    static let ruleAndHealthCases: [RouteCase] = [
        RouteCase(
            description: "completion ignores rules", profile: .enterprise, task: .completion,
            rules: [RoutingRule(use: .thinking)], expected: .instruct
        ),
        RouteCase(
            description: "document is not in enterprise's rule", profile: .enterprise, task: .document,
            expected: .instruct
        ),
        RouteCase(
            description: "extra rule before the profile's", profile: .enterprise, task: .explain,
            rules: [RoutingRule(tasks: [.explain], use: .instruct)], expected: .instruct
        ),
        RouteCase(
            description: "extra rule adds a task", profile: .enterprise, task: .document,
            rules: [RoutingRule(tasks: [.document], use: .thinking)], expected: .thinking
        ),
        RouteCase(
            description: "min_context_tokens reached", profile: .enterprise, task: .document,
            rules: [RoutingRule(minContextTokens: 50_000, use: .thinking)], tokens: 50_000, expected: .thinking
        ),
        RouteCase(
            description: "min_context_tokens not reached", profile: .enterprise, task: .document,
            rules: [RoutingRule(minContextTokens: 50_000, use: .thinking)], tokens: 49_999, expected: .instruct
        ),
        RouteCase(
            description: "min_context_tokens with unknown estimate", profile: .enterprise, task: .document,
            rules: [RoutingRule(minContextTokens: 1, use: .thinking)], tokens: nil, expected: .instruct
        ),
        RouteCase(
            description: "tasks and min_context_tokens both needed", profile: .enterprise, task: .edit,
            rules: [RoutingRule(tasks: [.edit], minContextTokens: 100_000, use: .instruct)], tokens: 20_000,
            expected: .thinking
        ),
        RouteCase(
            description: "small edits stay on Instruct", profile: .enterprise, task: .edit,
            rules: [RoutingRule(tasks: [.edit], minContextTokens: 0, use: .instruct)], tokens: 20_000,
            expected: .instruct
        ),
        RouteCase(
            description: "user profile rule asks for Thinking", profile: .user, task: .agent,
            rules: [RoutingRule(tasks: [.agent], use: .thinking)], expected: .instruct,
            notice: "K2 Thinking is disabled for profile 'user' (profiles.user.thinking.enabled)"
        ),
        RouteCase(
            description: "provider disabled", profile: .enterprise, task: .agent, thinkingProviderEnabled: false,
            expected: .instruct, notice: "K2 Thinking is disabled (providers.thinking.enabled: false)"
        ),
        RouteCase(
            description: "thinking failing", profile: .enterprise, task: .fix, thinkingHealthy: false,
            expected: .instruct,
            notice:
                "K2 Thinking (kimi-k2.7-code at https://api.moonshot.ai/v1) is unavailable: 404 model not found; using K2 Instruct (kimi-k2.6) instead"
        ),
        RouteCase(
            description: "failing thinking does not matter for instruct tasks", profile: .pro, task: .fix,
            thinkingHealthy: false, expected: .instruct
        ),
    ]

    @Test(arguments: profileCases + ruleAndHealthCases)
    func route(testCase: RouteCase) {
        var configuration = K2Configuration.defaults
        configuration.profile = testCase.profile
        configuration.rules = testCase.rules
        configuration.providers.thinking.enabled = testCase.thinkingProviderEnabled
        var health = ProviderHealth.healthy
        if !testCase.thinkingHealthy { health.markUnavailable(.thinking, reason: "404 model not found") }

        let choice = ModelRouter.choose(
            task: testCase.task, configuration: configuration, health: health,
            estimatedContextTokens: testCase.tokens
        )

        #expect(choice.role == testCase.expected)
        #expect(choice.provider == configuration.providers[testCase.expected])
        #expect(!choice.reason.isEmpty)
        if let notice = testCase.notice {
            #expect(choice.notice?.contains(notice) == true, "\(choice.notice ?? "no notice")")
            #expect(choice.notice?.contains("\n") == false)
        } else {
            #expect(choice.notice == nil)
        }
    }

    /// The notice is the same text for every task, so the server can show it once.
    @Test func noticeIsStableAcrossTasks() {
        var configuration = K2Configuration.defaults
        configuration.profile = .enterprise
        var health = ProviderHealth()
        health.markUnavailable(.thinking, reason: "404")
        let notices = Set(
            Self.heavyTasks.compactMap {
                ModelRouter.choose(task: $0, configuration: configuration, health: health, estimatedContextTokens: 10)
                    .notice
            }
        )
        #expect(notices.count == 1)
        health.markAvailable(.thinking)
        #expect(
            ModelRouter.choose(task: .agent, configuration: configuration, health: health, estimatedContextTokens: nil)
                .role == .thinking)
    }

    @Test(arguments: [ModelRole.instruct, .thinking])
    func reasoningAndWindow(role: ModelRole) {
        var configuration = K2Configuration.defaults
        configuration.profile = .enterprise
        let task: K2Task = role == .thinking ? .agent : .completion
        let choice = ModelRouter.choose(task: task, configuration: configuration, estimatedContextTokens: nil)
        #expect(choice.role == role)
        #expect(choice.reasoningLevel == (role == .thinking ? .full : .least))
        #expect(choice.contextWindow == 262_144)
        configuration.context.contextWindow = 64_000
        #expect(
            ModelRouter.choose(task: task, configuration: configuration, estimatedContextTokens: nil).contextWindow
                == 64_000)
    }
}
