// What a headless command starts from: the environment, the workspace, the loaded configuration, and the engine.
import Foundation
import K2Config
import K2Engine
import K2MCP
import K2Server
import K2Workspace
import Logging

struct CLIContext: Sendable {
    let environment: [String: String]
    let workspace: CLIWorkspace
    let loaded: LoadedConfiguration
    let logger: Logger

    /// Locates the workspace and loads the configuration with the command line's overrides on top.
    /// - Parameter allowConfigurationErrors: `k2lsp config` shows a broken configuration instead of refusing it.
    static func make(_ options: SharedOptions, allowConfigurationErrors: Bool = false) throws(CLIFailure) -> CLIContext {
        let environment = ProcessInfo.processInfo.environment
        let workspace = try CLIWorkspace.locate(
            explicit: options.workspace, currentDirectory: FileManager.default.currentDirectoryPath)
        let loader = ConfigurationLoader(
            environment: environment, homeDirectory: environment["HOME"] ?? NSHomeDirectory(),
            workspaceFolders: [workspace.root], editorSettings: options.overrideSettingsJSON,
            userConfigPathOverride: options.common.config)
        let loaded = loader.load()
        let context = CLIContext(
            environment: environment, workspace: workspace, loaded: loaded, logger: options.common.makeLogger())
        if !allowConfigurationErrors {
            for warning in loaded.diagnostics where warning.severity == .warning {
                StandardStreams.writeError("k2lsp: configuration warning: \(CLIContext.commandLineWording(warning.description))\n")
            }
            if !loaded.errors.isEmpty {
                let problems = loaded.errors.map { CLIContext.commandLineWording($0.description) }
                throw CLIFailure(
                    .usage,
                    "The configuration has errors, so nothing was sent to K2:\n  " + problems.joined(separator: "\n  ")
                        + "\nFix them (`k2lsp config` shows every value and where it came from).")
            }
        }
        return context
    }

    /// The secret list with the configuration's extra patterns.
    var secretFilter: SecretFilter { SecretFilter(extraPatterns: loaded.configuration.context.secretPatterns) }

    /// The configuration layer editors fill is the command line's `--profile`/`--model` here; say so.
    static func commandLineWording(_ text: String) -> String {
        text.replacingOccurrences(of: "editor settings", with: "command line")
    }

    /// An engine over the workspace, shut down (HTTP connections closed) when `body` returns or throws.
    /// - Parameters:
    ///   - task: the task the command will send to K2; its API key is checked before anything else happens.
    ///   - indexing: whether `body` gathers wide context; then the symbol index is completed first (a one-shot
    ///     command has no editor session during which it could fill in the background). The file listing is always
    ///     started: even a completion resolves imports against it.
    ///   - workspaceIndex: false for commands that read no files (`models`, `doctor`).
    func withEngine<Result: Sendable>(
        task: K2Task?, indexing: Bool, workspaceIndex: Bool = true, progress: ProgressReporter? = nil,
        _ body: (Engine) async throws -> Result
    ) async throws -> Result {
        let engine = Engine(
            settings: EngineSettings(
                environment: environment, workspaceRoots: [workspace.root],
                toolSources: [MCPToolSource(pool: makeMCPPool())]),
            configuration: loaded, documents: DocumentStore(), logger: logger)
        do {
            if let task { try requireAPIKey(engine.chooseModel(for: task)) }
            if workspaceIndex { await engine.index.startIndexing() }
            if indexing {
                progress?.handle(.stage(.gatheringContext, detail: "indexing the workspace"))
                await engine.index.waitUntilSymbolsIndexed()
            }
            let result = try await body(engine)
            await engine.shutdown()
            return result
        } catch {
            await engine.shutdown()
            throw error
        }
    }

    /// The MCP servers of this process; none starts until an agent run (or `k2lsp mcp list`) needs it.
    func makeMCPPool(logger: Logger? = nil) -> MCPServerPool {
        MCPServerPool(environment: environment, clientVersion: K2LSPVersion.current, logger: logger ?? self.logger)
    }

    /// Fails, before anything is sent, when a role's API key variable is not set.
    func requireAPIKeys(for roles: [ModelRole]) throws(CLIFailure) {
        let configuration = loaded.configuration
        for role in roles {
            let provider = configuration.providers[role]
            try requireAPIKey(
                ModelChoice(
                    role: role, provider: provider, reason: "key check", notice: nil,
                    contextWindow: configuration.contextWindow(forModel: provider.model, provider: provider)))
        }
    }

    /// Fails, before any work, when the chosen model's API key variable is not set.
    func requireAPIKey(_ choice: ModelChoice) throws(CLIFailure) {
        let provider = choice.provider
        guard let variable = provider.apiKeyEnv, provider.apiKey(in: environment) == nil else { return }
        throw CLIFailure(
            .usage,
            "\(variable) is not set, so k2lsp cannot call \(choice.role.displayName) at \(provider.baseURL). Export it (export \(variable)=…), or point K2_LOCAL_BASE_URL at a local OpenAI-compatible server; then run `k2lsp doctor`.")
    }

    /// A document for the engine from a file read for editing (or from its text as edited so far in this run).
    func document(path: String, text: String) -> DocumentSnapshot {
        DocumentSnapshot(uri: FileURI.uri(fromPath: path), languageID: LanguageIdentifier.forPath(path), version: 0, text: text)
    }
}
