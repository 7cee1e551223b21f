// Every key the configuration accepts: its path, its kind, who may set it, where it lands and how it is shown.

/// Who may set a key. The environment, the user file and the editor are trusted; a workspace file is not.
enum FieldTrust: Sendable {
    case anyone
    /// Decides where requests (and so the key) are sent: a workspace file needs its folder in `trusted_workspaces`.
    case trustedWorkspaceOnly
    /// A workspace file can never set it, trusted or not (a workspace cannot vouch for itself).
    case neverWorkspace
    /// A workspace file may turn it off but not on.
    case workspaceMayOnlyDisable
    /// Names programs k2lsp starts (MCP servers): a workspace file needs its folder in `trusted_workspaces`, and even
    /// then it cannot let a tool run without asking (`auto_approve`).
    case startsPrograms
}

/// One leaf key of the schema.
struct ConfigField: Sendable {
    let keyPath: String
    let kind: ConfigValueKind
    let trust: FieldTrust
    let apply: @Sendable (inout K2Configuration, ConfigValue) -> Void
    let display: @Sendable (K2Configuration) -> String
}

enum ConfigSchema {
    static let fields: [ConfigField] =
        [
            ConfigField(
                keyPath: "profile", kind: .profile, trust: .anyone,
                apply: { configuration, value in
                    if case .profile(let profile) = value { configuration.profile = profile }
                },
                display: { $0.profile.rawValue }
            ),
            ConfigField(
                keyPath: "preset", kind: .preset, trust: .trustedWorkspaceOnly,
                apply: { configuration, value in
                    if case .preset(let preset) = value { configuration.preset = preset }
                },
                display: { $0.preset?.rawValue ?? "none (moonshot endpoints)" }
            ),
        ]
        + ModelRole.allCases.flatMap(providerFields)
        + Profile.allCases.flatMap(profileFields)
        + [
            .rules("rules", \.rules),
            .textList("trusted_workspaces", \.trustedWorkspaces, extendOnly: true, trust: .neverWorkspace),
            ConfigField(
                keyPath: "mcp_servers", kind: .mcpServers, trust: .startsPrograms,
                apply: { configuration, value in
                    guard case .mcpServers(let servers) = value else { return }
                    for server in servers { configuration.mcpServers[server.name] = server }
                },
                display: { configuration in
                    let servers = configuration.mcpServers.values.sorted { $0.name < $1.name }
                    let shown = servers.map { "\($0.name) (\($0.enabled ? $0.displayTransport : "disabled"))" }
                    return shown.isEmpty ? "none" : shown.joined(separator: ", ")
                }
            ),
            ConfigField(
                keyPath: "mcp_servers_file", kind: .text, trust: .startsPrograms,
                apply: { configuration, value in
                    if case .text(let path) = value { configuration.mcpServersFile = path }
                },
                display: { $0.mcpServersFile ?? "none" }
            ),
            .optionalCount(
                "context.context_window", \.context.contextWindow, whenNull: { _ in "null (from the model)" }),
            .count("context.max_file_bytes", \.context.maxFileBytes),
            .textList("context.secret_patterns", \.context.secretPatterns, extendOnly: true),
            .textList("context.ignore_files", \.context.ignoreFiles),
            .flag("completion.enabled", \.completion.enabled),
            .count("completion.max_tokens", \.completion.maxTokens),
            .count("completion.invoked_max_tokens", \.completion.invokedMaxTokens),
            .count("agent.max_turns", \.agent.maxTurns),
            .count("agent.max_tokens_per_run", \.agent.maxTokensPerRun),
            .count("agent.tool_output_limit", \.agent.toolOutputLimit),
            .flag("agent.allow_protected_writes", \.agent.allowProtectedWrites, trust: .workspaceMayOnlyDisable),
            .count("edit.max_tokens", \.edit.maxTokens),
            .count("edit.repair_rounds", \.edit.repairRounds, minimum: 0),
            .models("models"),
            .optionalCount("provider.timeouts.connect", \.provider.timeouts.connect, whenNull: { _ in "null (10 s)" }),
            .optionalCount(
                "provider.timeouts.first_byte", \.provider.timeouts.firstByte, whenNull: { _ in "null (120 s)" }),
            .optionalCount("provider.timeouts.idle", \.provider.timeouts.idle, whenNull: { _ in "null (60 s)" }),
            .optionalCount("provider.timeouts.total", \.provider.timeouts.total, whenNull: { _ in "null (600 s)" }),
            .optionalCount(
                "provider.max_concurrent_requests", \.provider.maxConcurrentRequests,
                whenNull: { _ in "null (no limit until a 429 shows one)" }),
        ]

    static let fieldsByPath: [String: ConfigField] = Dictionary(
        uniqueKeysWithValues: fields.map { ($0.keyPath, $0) }
    )

    /// Every proper prefix of a key path, e.g. `providers` and `providers.instruct`: these must be mappings.
    static let sections: Set<String> = Set(
        fields.flatMap { field in
            let parts = field.keyPath.split(separator: ".")
            return (1..<max(parts.count, 1)).map { parts.prefix($0).joined(separator: ".") }
        }
    )

    /// The keys allowed directly under `section` ("" for the top level), for "did you mean".
    static func childKeys(of section: String) -> [String] {
        let prefix = section.isEmpty ? "" : section + "."
        var seen: Set<String> = []
        var keys: [String] = []
        for path in fields.map(\.keyPath) + sections.sorted() where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            guard let key = rest.split(separator: ".").first.map(String.init), !rest.isEmpty else { continue }
            if seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }

    static func providerPath(_ role: ModelRole, _ key: String) -> String {
        "providers.\(role.rawValue).\(key)"
    }

    private static func providerFields(_ role: ModelRole) -> [ConfigField] {
        [
            .text(providerPath(role, "base_url"), \.providers[role].baseURL, kind: .url, trust: .trustedWorkspaceOnly),
            .text(providerPath(role, "model"), \.providers[role].model),
            ConfigField(
                keyPath: providerPath(role, "api_key_env"), kind: .environmentVariableName,
                trust: .trustedWorkspaceOnly,
                apply: { configuration, value in
                    if case .optionalText(let name) = value { configuration.providers[role].apiKeyEnv = name }
                },
                display: { $0.providers[role].apiKeyEnv ?? "null (no key sent)" }
            ),
            .flag(providerPath(role, "enabled"), \.providers[role].enabled),
            .optionalCount(
                providerPath(role, "context_window"), \.providers[role].contextWindow,
                whenNull: { configuration in
                    let model = configuration.providers[role].model
                    return "null (\(configuration.modelCatalog.profile(for: model).contextWindow) for \(model))"
                }
            ),
        ]
    }

    private static func profileFields(_ profile: Profile) -> [ConfigField] {
        [
            .flag("profiles.\(profile.rawValue).thinking.enabled", \.profiles[profile].thinkingEnabled),
            .rules("profiles.\(profile.rawValue).rules", \.profiles[profile].rules),
        ]
    }
}

extension ConfigField {
    typealias Property<Value> = any WritableKeyPath<K2Configuration, Value> & Sendable

    static func text(
        _ keyPath: String, _ property: Property<String>, kind: ConfigValueKind = .text, trust: FieldTrust = .anyone
    ) -> ConfigField {
        ConfigField(
            keyPath: keyPath, kind: kind, trust: trust,
            apply: { configuration, value in
                if case .text(let text) = value { configuration[keyPath: property] = text }
            },
            display: { URLDisplay.redactingCredentials($0[keyPath: property]) }
        )
    }

    static func flag(_ keyPath: String, _ property: Property<Bool>, trust: FieldTrust = .anyone) -> ConfigField {
        ConfigField(
            keyPath: keyPath, kind: .flag, trust: trust,
            apply: { configuration, value in
                if case .flag(let flag) = value { configuration[keyPath: property] = flag }
            },
            display: { String($0[keyPath: property]) }
        )
    }

    static func count(_ keyPath: String, _ property: Property<Int>, minimum: Int = 1) -> ConfigField {
        ConfigField(
            keyPath: keyPath, kind: .count(minimum: minimum), trust: .anyone,
            apply: { configuration, value in
                if case .count(let count) = value { configuration[keyPath: property] = count }
            },
            display: { String($0[keyPath: property]) }
        )
    }

    static func optionalCount(
        _ keyPath: String, _ property: Property<Int?>,
        whenNull: @escaping @Sendable (K2Configuration) -> String
    ) -> ConfigField {
        ConfigField(
            keyPath: keyPath, kind: .optionalCount(minimum: 1), trust: .anyone,
            apply: { configuration, value in
                if case .optionalCount(let count) = value { configuration[keyPath: property] = count }
            },
            display: { configuration in configuration[keyPath: property].map(String.init) ?? whenNull(configuration) }
        )
    }

    /// `extendOnly` lists gain each layer's entries and never lose one, so no layer can remove what another set.
    static func textList(
        _ keyPath: String, _ property: Property<[String]>, extendOnly: Bool = false, trust: FieldTrust = .anyone
    ) -> ConfigField {
        ConfigField(
            keyPath: keyPath, kind: .textList, trust: trust,
            apply: { configuration, value in
                guard case .textList(let list) = value else { return }
                if extendOnly {
                    let existing = configuration[keyPath: property]
                    configuration[keyPath: property] = existing + list.filter { !existing.contains($0) }
                } else {
                    configuration[keyPath: property] = list
                }
            },
            display: { "[\($0[keyPath: property].joined(separator: ", "))]" }
        )
    }

    /// Entries merge by key across layers: a later layer's fields win, fields it leaves out are kept.
    static func models(_ keyPath: String) -> ConfigField {
        ConfigField(
            keyPath: keyPath, kind: .models, trust: .anyone,
            apply: { configuration, value in
                guard case .models(let entries) = value else { return }
                for entry in entries {
                    if let index = configuration.models.firstIndex(where: { $0.key == entry.key }) {
                        configuration.models[index] = entry.merged(over: configuration.models[index])
                    } else {
                        configuration.models.append(entry)
                    }
                }
            },
            display: { configuration in
                configuration.models.isEmpty
                    ? "built-in catalog" : "built-in catalog + [\(configuration.models.map(\.key).joined(separator: ", "))]"
            }
        )
    }

    static func rules(_ keyPath: String, _ property: Property<[RoutingRule]>) -> ConfigField {
        ConfigField(
            keyPath: keyPath, kind: .rules, trust: .anyone,
            apply: { configuration, value in
                if case .rules(let rules) = value { configuration[keyPath: property] = rules }
            },
            display: { "[\($0[keyPath: property].map(\.description).joined(separator: ", "))]" }
        )
    }
}
