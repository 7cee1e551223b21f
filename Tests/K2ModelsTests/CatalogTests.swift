// The catalog as data: which family each id falls in, the profile it gets, retirements, user overrides.
import AnyJSON
import K2Models
import Testing

@Suite struct CatalogMatchingTests {
    let catalog = ModelCatalog.builtIn

    @Test(arguments: [
        ("kimi-k2.6", "kimi-k2.6"),
        ("kimi-k2.7-code", "kimi-k2.7-code"),
        ("kimi-k2.7-code-highspeed", "kimi-k2.7-code"),
        ("kimi-k3", "kimi-k3"),
        ("kimi-k3.1-pro-highspeed", "kimi-k3"),
        ("moonshotai/kimi-k2.6", "openrouter-kimi-k2.6"),
        ("moonshotai/kimi-k2.7-code", "openrouter-kimi-k2.7-code"),
        ("moonshotai/kimi-k3", "openrouter-kimi-k3"),
        ("moonshotai/kimi-k2-0905", "openrouter-kimi-k2-0905"),
        ("moonshotai/Kimi-K2-Instruct-0905", "kimi-k2-instruct-0905"),
        ("/models/Kimi-K2-Instruct-0905-FP8", "kimi-k2-instruct-0905"),
        ("kimi-k2-instruct-0905", "kimi-k2-instruct-0905"),
        ("moonshotai/Kimi-K2-Instruct", "kimi-k2-instruct"),
        ("moonshotai/Kimi-K2-Thinking", "kimi-k2-thinking"),
        ("moonshotai/Kimi-K2.7-Code", "kimi-k2.7-code-open"),
    ])
    func idFallsInItsFamily(id: String, family: String) {
        #expect(catalog.family(for: id)?.name == family)
    }

    @Test func unknownIdsGetTheConservativeProfile() {
        #expect(catalog.family(for: "gemma-3-270m") == nil)
        let profile = catalog.profile(for: "gemma-3-270m")
        #expect(profile == .conservative)
        #expect(profile.sampling == .serverDefault)
        #expect(profile.outputLimitField == "max_tokens")
        #expect(profile.reasoningReplay == .whenKnown)
        #expect(!profile.thinking.reasons(at: .least))
    }

    @Test func hostedModelsSendNoSamplingAndTheNewOutputField() {
        for id in ["kimi-k2.6", "kimi-k2.7-code", "kimi-k3", "kimi-k3.1-pro"] {
            let profile = catalog.profile(for: id)
            #expect(profile.sampling == .serverDefault, "\(id)")
            #expect(profile.outputLimitField == "max_completion_tokens", "\(id)")
        }
        #expect(catalog.profile(for: "moonshotai/Kimi-K2-Instruct-0905").sampling == .temperature(0.6))
        #expect(catalog.profile(for: "moonshotai/Kimi-K2-Thinking").sampling == .temperature(1.0))
    }

    @Test func thinkingSwitchesPerFamily() {
        let k26 = catalog.profile(for: "kimi-k2.6").thinking
        #expect(k26.value(at: .least) == ["type": "disabled"])
        #expect(k26.value(at: .full) == ["type": "enabled"])
        #expect(!k26.reasons(at: .least))
        let code = catalog.profile(for: "kimi-k2.7-code").thinking
        #expect(code.value(at: .least) == nil)  // `disabled` is a 400 there: send nothing
        #expect(code.value(at: .full) == ["type": "enabled"])
        #expect(code.reasons(at: .least))
        let k3 = catalog.profile(for: "kimi-k3").thinking
        #expect(k3.field == "reasoning_effort")
        #expect(k3.value(at: .least) == "low")
        #expect(k3.value(at: .full) == "high")
        #expect(catalog.profile(for: "moonshotai/Kimi-K2-Instruct-0905").thinking == .never)
    }

    @Test func summariesNameHowARequestIsShaped() {
        #expect(catalog.profile(for: "kimi-k2.6").requestSummary(at: .least) == "thinking off")
        #expect(catalog.profile(for: "kimi-k2.6").requestSummary(at: .full) == "thinking on")
        #expect(catalog.profile(for: "kimi-k3").requestSummary(at: .least) == "reasoning_effort low")
        #expect(catalog.profile(for: "moonshotai/kimi-k3").requestSummary(at: .least) == "reasoning effort low")
    }

    @Test(arguments: [
        ("kimi-k2-0905-preview", ModelRole.instruct), ("kimi-k2-0711-preview", .instruct),
        ("kimi-k2-turbo-preview", .instruct), ("kimi-k2-thinking", .thinking), ("kimi-k2-thinking-turbo", .thinking),
        ("kimi-k2.5", .instruct), ("moonshot-v1-128k", .instruct), ("kimi-latest", .instruct),
    ])
    func retiredIdsNameTheRoleTheyServed(id: String, role: ModelRole) {
        #expect(catalog.retirement(of: id)?.role == role)
        #expect(catalog.retirement(of: id)?.retiredBy == "Moonshot")
    }

    @Test func liveIdsAreNotRetired() {
        for id in ["kimi-k2.6", "kimi-k2.7-code", "kimi-k3", "moonshotai/Kimi-K2-Thinking"] {
            #expect(catalog.retirement(of: id) == nil, "\(id)")
        }
    }

    @Test func presetDefaultsComeFromThePreferences() {
        #expect(catalog.defaultID(for: .instruct, on: .moonshot) == "kimi-k2.6")
        #expect(catalog.defaultID(for: .thinking, on: .moonshot) == "kimi-k2.7-code")
        #expect(catalog.defaultID(for: .instruct, on: .openRouter) == "moonshotai/kimi-k2.6")
        #expect(catalog.defaultID(for: .thinking, on: .openRouter) == "moonshotai/kimi-k2.7-code")
        #expect(catalog.defaultID(for: .instruct, on: .selfHosted) == "moonshotai/Kimi-K2-Instruct-0905")
        // No preference names a retired id.
        for id in catalog.preferences.instruct + catalog.preferences.thinking + catalog.preferences.withoutK2 {
            #expect(catalog.retirement(of: id) == nil, "\(id)")
            #expect(catalog.family(for: id) != nil, "\(id) has no family")
        }
    }

    /// OpenRouter's ids are lower case; Hugging Face names, as vLLM serves them, are not: exact ids keep them apart.
    @Test func exactIdsAreCaseSensitiveAndPatternsAreNot() {
        #expect(catalog.family(for: "moonshotai/kimi-k2.7-code")?.surface == .openRouter)
        #expect(catalog.family(for: "moonshotai/Kimi-K2.7-Code")?.surface == .selfHosted)
        #expect(catalog.family(for: "KIMI-K2-THINKING")?.name == "kimi-k2-thinking")
    }

    @Test func patternsMatchLikeGlobs() {
        #expect(ModelIDPattern.matches("moonshot-v1-*", "moonshot-v1-8k"))
        #expect(!ModelIDPattern.matches("moonshot-v1-*", "moonshot-v2-8k"))
        #expect(ModelIDPattern.matches("*kimi-k2-instruct*", "org/Kimi-K2-Instruct-GGUF"))
        #expect(ModelIDPattern.matches("a*b*c", "aXXbYYc"))
        #expect(!ModelIDPattern.matches("a*b*c", "aXXbYY"))
        #expect(ModelIDPattern.matches("*", ""))
    }
}

@Suite struct CatalogOverrideTests {
    @Test func anEntryNamedLikeAFamilyChangesOnlyTheFieldsItGives() {
        var override = ModelOverride(key: "kimi-k2.6")
        override.contextWindow = 131_072
        let catalog = ModelCatalog.builtIn.applying([override])
        let profile = catalog.profile(for: "kimi-k2.6")
        #expect(profile.contextWindow == 131_072)
        #expect(profile.outputLimitField == "max_completion_tokens")
        #expect(profile.thinking == ModelCatalog.builtIn.profile(for: "kimi-k2.6").thinking)
    }

    @Test func anEntryForANewIdStartsFromItsLikeFamilyAndWinsOverPatterns() {
        var override = ModelOverride(key: "corp/kimi-k2-instruct-0905-internal")
        override.like = "kimi-k2.6"
        override.sampling = .temperature(0.3)
        let catalog = ModelCatalog.builtIn.applying([override])
        let family = catalog.family(for: "corp/kimi-k2-instruct-0905-internal")
        #expect(family?.name == "corp/kimi-k2-instruct-0905-internal")
        #expect(family?.series == .k2)
        #expect(family?.profile.sampling == .temperature(0.3))
        #expect(family?.profile.thinking.field == "thinking")
    }

    @Test func anEntryForOneIdOfAFamilyStartsFromThatFamily() {
        var override = ModelOverride(key: "kimi-k2.7-code-highspeed")
        override.contextWindow = 100_000
        let catalog = ModelCatalog.builtIn.applying([override])
        let profile = catalog.profile(for: "kimi-k2.7-code-highspeed")
        #expect(profile.contextWindow == 100_000)
        #expect(profile.thinking == ModelCatalog.builtIn.profile(for: "kimi-k2.7-code").thinking)
        #expect(catalog.profile(for: "kimi-k2.7-code").contextWindow == 262_144)
    }

    @Test func anEntryWithoutLikeStartsConservative() {
        var override = ModelOverride(key: "my-*")
        override.contextWindow = 32_768
        let profile = ModelCatalog.builtIn.applying([override]).profile(for: "my-model")
        #expect(profile.contextWindow == 32_768)
        #expect(profile.sampling == .serverDefault)
    }

    @Test func laterLayersWinFieldByField() {
        var user = ModelOverride(key: "x")
        user.contextWindow = 1000
        user.partialMode = true
        var editor = ModelOverride(key: "x")
        editor.contextWindow = 2000
        let merged = editor.merged(over: user)
        #expect(merged.contextWindow == 2000)
        #expect(merged.partialMode == true)
    }
}

@Suite struct RoleResolutionTests {
    let catalog = ModelCatalog.builtIn

    func resolve(_ role: ModelRole, listing: [String]?, configured: String? = nil) -> RoleResolution {
        RoleResolver.resolve(
            role: role, configured: configured.map { ($0, "K2_INSTRUCT_MODEL_ID") }, fallbackID: "kimi-k2.6",
            listing: listing.map { .success($0) } ?? .failure(ListingUnavailable("HTTP 404")), catalog: catalog)
    }

    @Test func aConfiguredIdAlwaysWins() {
        let resolution = resolve(.instruct, listing: ["kimi-k2.6"], configured: "kimi-k2-0905-preview")
        #expect(resolution.modelID == "kimi-k2-0905-preview")
        #expect(resolution.explanation == "set by K2_INSTRUCT_MODEL_ID")
    }

    @Test func moonshotListingResolvesBothRolesToK2() {
        let listing = ["kimi-k3", "kimi-k2.7-code-highspeed", "kimi-k2.7-code", "kimi-k2.6", "kimi-k3.1-pro"]
        #expect(resolve(.instruct, listing: listing).modelID == "kimi-k2.6")
        #expect(resolve(.thinking, listing: listing).modelID == "kimi-k2.7-code")
        #expect(resolve(.thinking, listing: ["kimi-k2.6", "kimi-k3"]).modelID == "kimi-k2.6")
    }

    @Test func anAccountWithoutK2FallsBackToK3() {
        let instruct = resolve(.instruct, listing: ["kimi-k3.1-pro", "kimi-k3"])
        #expect(instruct.modelID == "kimi-k3")
        #expect(instruct.reason == .withoutK2)
        #expect(resolve(.thinking, listing: ["kimi-k3.1-pro"]).modelID == "kimi-k3.1-pro")
    }

    @Test func aSingleModelLocalServerServesBothRoles() {
        for role in ModelRole.allCases {
            let resolution = resolve(role, listing: ["gemma-3-270m-it"])
            #expect(resolution.modelID == "gemma-3-270m-it")
            #expect(resolution.reason == .onlyListed)
        }
    }

    @Test func openRouterAndSelfHostedListingsResolveByTheirOwnNames() {
        let openRouter = ["openai/gpt-x", "moonshotai/kimi-k3", "moonshotai/kimi-k2.7-code", "moonshotai/kimi-k2.6"]
        #expect(resolve(.instruct, listing: openRouter).modelID == "moonshotai/kimi-k2.6")
        #expect(resolve(.thinking, listing: openRouter).modelID == "moonshotai/kimi-k2.7-code")
        let vllm = ["moonshotai/Kimi-K2-Instruct-0905", "moonshotai/Kimi-K2-Thinking"]
        #expect(resolve(.instruct, listing: vllm).modelID == "moonshotai/Kimi-K2-Instruct-0905")
        #expect(resolve(.thinking, listing: vllm).modelID == "moonshotai/Kimi-K2-Thinking")
    }

    @Test func noListingKeepsThePresetDefault() {
        let resolution = resolve(.instruct, listing: nil)
        #expect(resolution.modelID == "kimi-k2.6")
        #expect(resolution.explanation.contains("HTTP 404"))
        #expect(!resolution.cameFromListing)
    }

    @Test func unknownListingsTakeAnyK2ThenTheFirstId() {
        #expect(resolve(.instruct, listing: ["a", "org/kimi-k2-instruct-0905-awq"]).modelID == "org/kimi-k2-instruct-0905-awq")
        #expect(resolve(.instruct, listing: ["a", "b"]).modelID == "a")
    }
}
