// The result of loading: the configuration, where each value came from, what went wrong, and `k2lsp config`'s table.

/// One line of `k2lsp config`.
public struct ConfigRow: Sendable, Hashable {
    public var keyPath: String
    /// Keys show as `set`, `missing` or `not required`, never their value.
    public var value: String
    public var source: String

    public init(keyPath: String, value: String, source: String) {
        self.keyPath = keyPath
        self.value = value
        self.source = source
    }
}

public struct LoadedConfiguration: Sendable {
    public var configuration: K2Configuration
    /// Key path (`providers.instruct.model`) to the layer that set it; keys no layer set are built-in.
    public var sources: [String: ConfigSource]
    /// In layer order: environment, user file, workspace files, editor settings.
    public var diagnostics: [ConfigDiagnostic]
    /// The user file that was read; nil when none exists.
    public var userConfigPath: String?
    /// Where the user file was looked for (shown by `k2lsp config` when it does not exist).
    public var searchedUserConfigPath: String
    /// The `.k2lsp.yaml` files that exist, in workspace-folder order.
    public var workspaceConfigPaths: [String]
    let homeDirectory: String

    public func source(of keyPath: String) -> ConfigSource {
        sources[keyPath] ?? .builtIn
    }

    /// The id someone set for `role` and where, or nil when the built-in or preset default is in effect: then the
    /// role's model is discovered from the key's `GET /models` listing.
    public func configuredModel(for role: ModelRole) -> (id: String, source: String)? {
        let keyPath = ConfigSchema.providerPath(role, "model")
        let source = source(of: keyPath)
        guard !source.isPresetOrBuiltIn else { return nil }
        return (configuration.providers[role].model, Self.display(source, homeDirectory: homeDirectory))
    }

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }

    /// Every key with its value and source, in schema order; after each provider's `api_key_env` a row says whether
    /// that variable is set.
    public func describe(environment: [String: String]) -> [ConfigRow] {
        var rows: [ConfigRow] = []
        for field in ConfigSchema.fields {
            rows.append(
                ConfigRow(
                    keyPath: field.keyPath, value: field.display(configuration),
                    source: Self.display(source(of: field.keyPath), homeDirectory: homeDirectory)
                )
            )
            for role in ModelRole.allCases where field.keyPath == ConfigSchema.providerPath(role, "api_key_env") {
                rows.append(apiKeyRow(role: role, environment: environment))
            }
        }
        return rows
    }

    /// `describe` as aligned columns, preceded by the files read and followed by the diagnostics.
    public func renderText(environment: [String: String]) -> String {
        var lines: [String] = []
        let userFile = userConfigPath.map(displayPath) ?? "\(displayPath(searchedUserConfigPath)) (not found)"
        lines.append("user file: \(userFile)")
        let workspaceFiles = workspaceConfigPaths.map(displayPath).joined(separator: ", ")
        lines.append("workspace files: \(workspaceFiles.isEmpty ? "none" : workspaceFiles)")
        lines.append("")
        let rows = [ConfigRow(keyPath: "KEY", value: "VALUE", source: "SOURCE")] + describe(environment: environment)
        let keyWidth = rows.map(\.keyPath.count).max() ?? 0
        let valueWidth = min(rows.map(\.value.count).max() ?? 0, 60)
        for row in rows {
            lines.append(
                "\(padded(row.keyPath, to: keyWidth))  \(padded(row.value, to: valueWidth))  \(row.source)"
            )
        }
        if !diagnostics.isEmpty {
            lines.append("")
            lines.append("problems:")
            lines += diagnostics.map { "  \($0.severity.rawValue): \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func display(_ source: ConfigSource, homeDirectory: String) -> String {
        switch source {
        case .userFile(let path): "user file \(ConfigPaths.abbreviated(path, homeDirectory: homeDirectory))"
        case .workspaceFile(let path): "workspace file \(ConfigPaths.abbreviated(path, homeDirectory: homeDirectory))"
        default: source.description
        }
    }

    private func apiKeyRow(role: ModelRole, environment: [String: String]) -> ConfigRow {
        let provider = configuration.providers[role]
        let keyPath = ConfigSchema.providerPath(role, "api_key")
        guard let variable = provider.apiKeyEnv else {
            return ConfigRow(keyPath: keyPath, value: "not required", source: "no api_key_env")
        }
        var state = provider.apiKey(in: environment) == nil ? "missing" : "set"
        if provider.apiKeyProblem(in: environment) != nil { state = "set, but unusable (see problems)" }
        if state == "set", [EnvironmentName.moonshotAPIKey, EnvironmentName.kimiAPIKey].contains(variable),
            environment.nonEmpty(EnvironmentName.apiKey) == nil,
            source(of: ConfigSchema.providerPath(role, "api_key_env")).isPresetOrBuiltIn
        {
            state = "set (\(EnvironmentName.apiKey) is not set, so \(variable) is used)"
        }
        return ConfigRow(keyPath: keyPath, value: state, source: ConfigSource.environment(variable).description)
    }

    private func displayPath(_ path: String) -> String {
        ConfigPaths.abbreviated(path, homeDirectory: homeDirectory)
    }

    private func padded(_ text: String, to width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
