// Reads the K2_* environment variables into the lowest layer above the built-in defaults.
enum EnvironmentLayer {
    static func assignments(
        environment: [String: String], collector: inout DiagnosticCollector
    ) -> [ConfigAssignment] {
        var assignments: [ConfigAssignment] = []
        func assign(_ keyPath: String, _ value: ConfigValue, from variable: String) {
            assignments.assign(keyPath, value, source: .environment(variable))
        }

        // K2_LOCAL_BASE_URL alone means "use my local server"; an explicit K2_PRESET says otherwise.
        if let presetName = environment.nonEmpty(EnvironmentName.preset) {
            if let preset: Preset = ConfigValueReader.choice(
                presetName, keyPath: "preset", variable: EnvironmentName.preset, collector: &collector
            ) {
                assign("preset", .preset(preset), from: EnvironmentName.preset)
            }
        } else if environment.nonEmpty(EnvironmentName.localBaseURL) != nil {
            assign("preset", .preset(.local), from: EnvironmentName.localBaseURL)
        }
        if let localURL = environment.nonEmpty(EnvironmentName.localBaseURL), !ConfigValueReader.isHTTPURL(localURL) {
            collector.error(
                "", line: nil,
                "$\(EnvironmentName.localBaseURL) must be an http:// or https:// URL such as "
                    + "\(Preset.defaultLocalBaseURL); using that default until it is fixed"
            )
        }
        if let baseURL = environment.nonEmpty(EnvironmentName.apiBaseURL) {
            if ConfigValueReader.isHTTPURL(baseURL) {
                for role in ModelRole.allCases {
                    assign(
                        ConfigSchema.providerPath(role, "base_url"), .text(ConfigValueReader.normalizedURL(baseURL)),
                        from: EnvironmentName.apiBaseURL
                    )
                }
            } else {
                collector.error(
                    "", line: nil,
                    "$\(EnvironmentName.apiBaseURL) must be an http:// or https:// URL "
                        + "such as https://api.moonshot.ai/v1"
                )
            }
        }
        if let model = environment.nonEmpty(EnvironmentName.instructModel) {
            assign(ConfigSchema.providerPath(.instruct, "model"), .text(model), from: EnvironmentName.instructModel)
        }
        if let model = environment.nonEmpty(EnvironmentName.thinkingModel) {
            assign(ConfigSchema.providerPath(.thinking, "model"), .text(model), from: EnvironmentName.thinkingModel)
        }
        if let profileName = environment.nonEmpty(EnvironmentName.profile),
            let profile: Profile = ConfigValueReader.choice(
                profileName, keyPath: "profile", variable: EnvironmentName.profile, collector: &collector
            )
        {
            assign("profile", .profile(profile), from: EnvironmentName.profile)
        }
        return assignments
    }
}
