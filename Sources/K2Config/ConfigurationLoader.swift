// Loads every layer (defaults, environment, user file, workspace files, editor settings) into one configuration.
import Foundation
import Yams

/// Reads files each time `load()` is called; call it again after a file or the editor's settings change.
public struct ConfigurationLoader: Sendable {
    public var environment: [String: String]
    public var homeDirectory: String
    /// Absolute paths, in the editor's order; on a conflict the first folder's file wins.
    public var workspaceFolders: [String]
    /// JSON text of `initializationOptions` or of `workspace/didChangeConfiguration` settings: the settings object
    /// itself, or that object under `k2lsp` or `k2`.
    public var editorSettings: String?
    /// The CLI's `--config`; wins over `$K2_CONFIG`.
    public var userConfigPathOverride: String?
    /// False after a deadline passed: only the environment and the editor's settings are used.
    var readsFiles = true

    public init(
        environment: [String: String], homeDirectory: String, workspaceFolders: [String] = [],
        editorSettings: String? = nil, userConfigPathOverride: String? = nil
    ) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.workspaceFolders = workspaceFolders
        self.editorSettings = editorSettings
        self.userConfigPathOverride = userConfigPathOverride
    }

    /// This process's environment and home directory.
    public static func forCurrentProcess(
        workspaceFolders: [String] = [], editorSettings: String? = nil, userConfigPathOverride: String? = nil
    ) -> ConfigurationLoader {
        ConfigurationLoader(
            environment: ProcessInfo.processInfo.environment, homeDirectory: NSHomeDirectory(),
            workspaceFolders: workspaceFolders, editorSettings: editorSettings,
            userConfigPathOverride: userConfigPathOverride
        )
    }

    public func load() -> LoadedConfiguration {
        var diagnostics: [ConfigDiagnostic] = []

        var environmentCollector = DiagnosticCollector(origin: "environment")
        let environmentLayer = EnvironmentLayer.assignments(
            environment: environment, collector: &environmentCollector
        )
        diagnostics += environmentCollector.diagnostics

        let userConfig = ConfigPaths.userConfig(
            override: userConfigPathOverride, environment: environment, homeDirectory: homeDirectory
        )
        let userFileExists = readsFiles && FileManager.default.fileExists(atPath: userConfig.path)
        var userCollector = DiagnosticCollector(origin: display(userConfig.path))
        var userLayer: [ConfigAssignment] = []
        if userFileExists {
            userLayer = readFile(
                at: userConfig.path, source: .userFile(path: userConfig.path), collector: &userCollector)
            userLayer = WorkspaceTrust.expandingTrustedPaths(
                userLayer, homeDirectory: homeDirectory, collector: &userCollector
            )
        } else if readsFiles, let namedBy = userConfig.namedBy {
            userCollector.error(
                "", line: nil, "the config file named by \(namedBy) does not exist; create it or correct the path"
            )
        }

        var editorCollector = DiagnosticCollector(origin: "editor settings")
        var editorLayer = editorSettings.map { readEditorSettings($0, collector: &editorCollector) } ?? []
        editorLayer = WorkspaceTrust.expandingTrustedPaths(
            editorLayer, homeDirectory: homeDirectory, collector: &editorCollector
        )

        let trustedFolders = WorkspaceTrust.trustedFolders(in: userLayer + editorLayer)
        var workspaceLayers: [[ConfigAssignment]] = []
        var workspaceConfigPaths: [String] = []
        var workspaceDiagnostics: [ConfigDiagnostic] = []
        for folder in workspaceFolders where readsFiles {
            let path = ConfigPaths.workspaceFile(in: folder)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            workspaceConfigPaths.append(path)
            var collector = DiagnosticCollector(origin: display(path))
            let read = readFile(at: path, source: .workspaceFile(path: path), collector: &collector)
            workspaceLayers.append(
                WorkspaceTrust.filter(
                    read, folder: folder, isTrusted: trustedFolders.contains(ConfigPaths.canonical(folder)),
                    userConfigDisplayPath: display(userConfig.path), collector: &collector
                )
            )
            workspaceDiagnostics += collector.diagnostics
        }
        diagnostics += userCollector.diagnostics + workspaceDiagnostics + editorCollector.diagnostics

        var configuration = K2Configuration.defaults(environment: environment)
        var sources: [String: ConfigSource] = [:]
        // Later layers override earlier ones; workspace files go last-folder-first so the first folder wins.
        for layer in [environmentLayer, userLayer] + workspaceLayers.reversed() + [editorLayer] {
            apply(layer, to: &configuration, sources: &sources)
        }
        diagnostics += addServersFromFile(to: &configuration, namedBy: sources["mcp_servers_file"])
        if !configuration.providers.instruct.enabled {
            let source = sources[ConfigSchema.providerPath(.instruct, "enabled")].map(displaySource) ?? "configuration"
            diagnostics.append(
                ConfigDiagnostic(
                    severity: .warning, origin: source, line: nil,
                    keyPath: ConfigSchema.providerPath(.instruct, "enabled"),
                    message: "'providers.instruct.enabled: false' has no effect: Instruct answers every task Thinking "
                        + "does not; remove the line"
                )
            )
        }
        var keyCollector = DiagnosticCollector(origin: "environment")
        var checkedVariables: Set<String> = []
        for role in ModelRole.allCases {
            let provider = configuration.providers[role]
            guard let variable = provider.apiKeyEnv, checkedVariables.insert(variable).inserted,
                let problem = provider.apiKeyProblem(in: environment)
            else { continue }
            keyCollector.error(ConfigSchema.providerPath(role, "api_key_env"), line: nil, problem)
        }
        diagnostics += keyCollector.diagnostics
        let secrets = secretValues(configuration: configuration)
        return LoadedConfiguration(
            configuration: configuration, sources: sources, diagnostics: diagnostics.map { $0.redacting(secrets) },
            userConfigPath: userFileExists ? userConfig.path : nil, searchedUserConfigPath: userConfig.path,
            workspaceConfigPaths: workspaceConfigPaths, homeDirectory: homeDirectory
        )
    }

    /// A preset goes first within its layer, so the same layer's explicit keys override what it filled in.
    private func apply(
        _ layer: [ConfigAssignment], to configuration: inout K2Configuration, sources: inout [String: ConfigSource]
    ) {
        var ordered: [ConfigAssignment] = []
        for assignment in layer where assignment.field.keyPath == "preset" {
            ordered.append(assignment)
            if case .preset(let preset) = assignment.value {
                ordered += preset.assignments(environment: environment)
            }
        }
        ordered += layer.filter { $0.field.keyPath != "preset" }
        for assignment in ordered {
            assignment.field.apply(&configuration, assignment.value)
            sources[assignment.field.keyPath] = assignment.source
        }
    }

    private func readFile(
        at path: String, source: ConfigSource, collector: inout DiagnosticCollector
    ) -> [ConfigAssignment] {
        let text: String
        switch ConfigFileReader.read(path) {
        case .success(let read): text = read
        case .failure(let refusal):
            collector.error("", line: nil, ConfigFileReader.message(refusal))
            return []
        }
        guard let root = ConfigDocument.parse(text, collector: &collector) else { return [] }
        return ConfigDocument.assignments(from: root, source: source, collector: &collector)
    }

    /// Editors nest their settings under a section name; accept `k2lsp`, `k2` or none.
    private func readEditorSettings(_ json: String, collector: inout DiagnosticCollector) -> [ConfigAssignment] {
        guard let root = ConfigDocument.parse(json, collector: &collector) else { return [] }
        var settings = root
        if case .mapping(let mapping) = root {
            if let section = mapping["k2lsp"] ?? mapping["k2"] { settings = section }
        }
        return ConfigDocument.assignments(from: settings, source: .editor, collector: &collector)
    }

    /// The servers of `mcp_servers_file`, under those `mcp_servers` defines by the same name. Problems in that file are
    /// warnings: it is often another tool's file, and the rest of the configuration does not depend on it.
    private func addServersFromFile(
        to configuration: inout K2Configuration, namedBy source: ConfigSource?
    ) -> [ConfigDiagnostic] {
        guard let named = configuration.mcpServersFile, !named.isEmpty else { return [] }
        let path = ConfigPaths.expandingTilde(named, homeDirectory: homeDirectory)
        var collector = DiagnosticCollector(origin: display(path))
        if !path.hasPrefix("/") {
            collector.warning(
                "mcp_servers_file", line: nil,
                "'mcp_servers_file' must be an absolute path or start with ~/; the file is not read")
        } else if let text = try? String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) {
            if let root = ConfigDocument.parse(text, collector: &collector) {
                for var server in MCPServerSettingsReader.readFile(root, collector: &collector)
                where configuration.mcpServers[server.name] == nil {
                    // A (trusted) workspace that names the file cannot approve tools through it.
                    if case .workspaceFile = source, server.autoApprove != .none {
                        server.autoApprove = .none
                        collector.warning(
                            "mcp_servers_file", line: nil,
                            "ignored the auto_approve of '\(server.name)': the file was named by a workspace file, and only your user file or editor settings may let MCP tools run without asking")
                    }
                    configuration.mcpServers[server.name] = server
                }
            }
        } else {
            collector.warning(
                "mcp_servers_file", line: nil,
                "the MCP servers file named by 'mcp_servers_file' cannot be read; check that it exists and is UTF-8")
        }
        return collector.diagnostics.map { diagnostic in
            var warning = diagnostic
            warning.severity = .warning
            return warning
        }
    }

    /// The values of every variable that holds (or by default would hold) an API key. Short values are left alone:
    /// they are not real keys, and replacing them would garble messages.
    private func secretValues(configuration: K2Configuration) -> [String] {
        let names =
            [EnvironmentName.apiKey, EnvironmentName.openRouterAPIKey, EnvironmentName.moonshotAPIKey, EnvironmentName.kimiAPIKey]
            + ModelRole.allCases.compactMap { configuration.providers[$0].apiKeyEnv }
        return Set(names.compactMap { environment.nonEmpty($0) }).filter { $0.count >= 8 }.sorted {
            $0.count > $1.count
        }
    }

    private func display(_ path: String) -> String {
        ConfigPaths.abbreviated(path, homeDirectory: homeDirectory)
    }

    private func displaySource(_ source: ConfigSource) -> String {
        LoadedConfiguration.display(source, homeDirectory: homeDirectory)
    }
}
