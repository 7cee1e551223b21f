// The settings hosted Kimi needs: a `models:` section, `provider.timeouts`, key names users already have, sane keys.
import AnyJSON
import K2Config
import K2Models
import Testing

struct ModelsSectionTests {
    @Test func entriesOverrideAFamilyOrAddAnId() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(
            """
            models:
              kimi-k2.6:
                temperature: 0.6
                output_limit_field: max_tokens
              corp/kimi-internal:
                like: kimi-k2.7-code
                context_window: 65536
                reasoning_replay: tool_calls
              my-llama:
                thinking: { by_default: false, field: chat_template_kwargs, off: { thinking: false }, on: { thinking: true } }
                partial_mode: false
            """)
        let loaded = fixture.load()
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
        let catalog = loaded.configuration.modelCatalog
        let k26 = catalog.profile(for: "kimi-k2.6")
        #expect(k26.sampling == .temperature(0.6))
        #expect(k26.outputLimitField == "max_tokens")
        #expect(k26.thinking.field == "thinking")
        let corp = catalog.profile(for: "corp/kimi-internal")
        #expect(corp.contextWindow == 65_536)
        #expect(corp.reasoningReplay == .toolCallMessages)
        #expect(corp.thinking.value(at: .full) == ["type": "enabled"])
        #expect(catalog.family(for: "corp/kimi-internal")?.series == .k2)
        let llama = catalog.profile(for: "my-llama").thinking
        #expect(llama.value(at: .least) == ["thinking": false])
        #expect(!llama.thinksByDefault)
    }

    @Test func laterLayersMergeFieldByField() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("models:\n  kimi-k2.6:\n    context_window: 100000\n")
        let loaded = fixture.load(editor: #"{"models": {"kimi-k2.6": {"temperature": "fixed", "partial_mode": false}}}"#)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
        let profile = loaded.configuration.modelCatalog.profile(for: "kimi-k2.6")
        #expect(profile.contextWindow == 100_000)
        #expect(profile.sampling == .serverDefault)
        #expect(profile.partialMode == false)
    }

    @Test(arguments: [
        ("models:\n  x:\n    temperature: hot\n", "'models.x.temperature' must be a number from 0 to 2, or 'fixed'"),
        ("models:\n  x:\n    reasoning_replay: sometimes\n", "'models.x.reasoning_replay' must be one of every_message, tool_calls, when_known"),
        ("models:\n  x:\n    thinking: maybe\n", "'models.x.thinking' must be never, always, or a mapping"),
        ("models:\n  x:\n    thinking: { on: { type: enabled } }\n", "gives values but no 'field'"),
        ("models: [kimi-k2.6]\n", "'models' must be a mapping from a model id"),
        ("models:\n  x:\n    contxt_window: 5\n", "did you mean 'context_window'?"),
    ])
    func mistakesAreReportedWithTheKey(yaml: String, expected: String) throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(yaml)
        let lines = fixture.load().diagnosticLines
        #expect(lines.contains { $0.contains(expected) }, "\(lines)")
    }

    @Test func aBadEntryDoesNotDropTheOthers() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("models:\n  bad:\n    context_window: -1\n  good:\n    context_window: 4096\n")
        let loaded = fixture.load()
        #expect(loaded.errors.count == 1)
        #expect(loaded.configuration.modelCatalog.profile(for: "good").contextWindow == 4096)
        #expect(loaded.configuration.modelCatalog.family(for: "bad") == nil)
    }
}

struct ProviderSectionTests {
    @Test func timeoutsAndConcurrencyAreRead() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile(
            "provider:\n  timeouts: { connect: 5, first_byte: 300, idle: 90, total: 1200 }\n  max_concurrent_requests: 1\n")
        let loaded = fixture.load()
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnosticLines)")
        let provider = loaded.configuration.provider
        #expect(provider.timeouts == TimeoutSettings(connect: 5, firstByte: 300, idle: 90, total: 1200))
        #expect(provider.maxConcurrentRequests == 1)
        let rows = loaded.describe(environment: [:])
        #expect(rows.contains { $0.keyPath == "provider.timeouts.first_byte" && $0.value == "300" })
    }

    @Test func unsetTimeoutsShowTheBuiltInValue() throws {
        let rows = try ConfigFixture().load().describe(environment: [:])
        #expect(rows.contains { $0.keyPath == "provider.timeouts.first_byte" && $0.value == "null (120 s)" })
        #expect(rows.contains { $0.keyPath == "models" && $0.value == "built-in catalog" })
    }

    @Test func aZeroTimeoutIsAnError() throws {
        let fixture = try ConfigFixture()
        try fixture.writeUserFile("provider:\n  timeouts:\n    idle: 0\n")
        #expect(fixture.load().errors.first?.keyPath == "provider.timeouts.idle")
    }
}

struct APIKeyTests {
    @Test(arguments: ["sk-abc123456789\n", "sk-abc123\r\n456789", "\rsk-abc123456789"])
    func aKeyWithALineBreakIsAnErrorThatNeverShowsTheKey(key: String) throws {
        let loaded = try ConfigFixture().load(environment: ["K2_API_KEY": key])
        let error = try #require(loaded.errors.first)
        #expect(error.message.hasPrefix("K2_API_KEY contains a line break"))
        #expect(!error.description.contains("abc123"))
        #expect(loaded.configuration.providers.instruct.apiKeyProblem(in: ["K2_API_KEY": key]) != nil)
    }

    @Test func aFallbackKeyIsCheckedToo() throws {
        let loaded = try ConfigFixture().load(environment: ["MOONSHOT_API_KEY": "sk-abc\n123456789"])
        #expect(loaded.errors.first?.message.hasPrefix("MOONSHOT_API_KEY contains a line break") == true)
    }

    @Test func configSaysWhichVariableTheKeyCameFrom() throws {
        let environment = ["MOONSHOT_API_KEY": "sk-moonshot-0123456789"]
        let loaded = try ConfigFixture().load(environment: environment)
        let row = try #require(loaded.describe(environment: environment).first { $0.keyPath == "providers.instruct.api_key" })
        #expect(row.value == "set (K2_API_KEY is not set, so MOONSHOT_API_KEY is used)")
        #expect(row.source == "environment $MOONSHOT_API_KEY")
    }

    @Test func discoveryAppliesOnlyWhenNobodySetAnId() throws {
        let fixture = try ConfigFixture()
        #expect(fixture.load().configuredModel(for: .instruct) == nil)
        #expect(fixture.load(environment: ["K2_PRESET": "openrouter"]).configuredModel(for: .thinking) == nil)
        let configured = fixture.load(environment: ["K2_INSTRUCT_MODEL_ID": "kimi-k2-0905-preview"])
        #expect(configured.configuredModel(for: .instruct)?.id == "kimi-k2-0905-preview")
        #expect(configured.configuredModel(for: .instruct)?.source == "environment $K2_INSTRUCT_MODEL_ID")
        #expect(configured.configuredModel(for: .thinking) == nil)
    }

    @Test func presetsKnowTheOtherRegion() {
        #expect(Preset.named(byBaseURL: "https://api.moonshot.ai/v1/")?.otherRegion == .moonshotCN)
        #expect(Preset.moonshotCN.otherRegion?.baseURL == "https://api.moonshot.ai/v1")
        #expect(Preset.named(byBaseURL: "http://127.0.0.1:8000/v1") == nil)
    }
}
