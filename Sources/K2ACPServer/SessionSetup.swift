// session/new, load, resume, list and close, the choices (set_config_option, set_mode), and session/cancel.
import ACP
import Foundation
import JSONRPC
import K2Config
import K2Engine
import K2Provider
import K2Workspace

extension ACPAgent {
    func newSession(_ request: NewSessionRequest) async throws -> (response: NewSessionResponse, session: ACPSession) {
        let workspace = try checked(request.workspace)
        let id = "sess_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let engine = makeEngine(for: workspace, sessionID: id)
        let file = store.create(
            SessionRecord.Header(
                sessionID: id, cwd: workspace.cwd, additionalDirectories: workspace.additionalDirectories ?? [],
                createdAt: SessionStore.timestamp()))
        let choices = SessionChoices(model: engine.chooseModel(for: .agent).role, mode: .ask)
        let session = ACPSession(
            id: id, cwd: workspace.cwd, additionalDirectories: workspace.additionalDirectories ?? [], engine: engine,
            conversation: ConversationLog(messages: [], file: file),
            choices: choices, titled: false)
        session.conversation.record(.choices(choices))
        register(session)
        logger.info("Session \(id) in \(workspace.cwd)\(file.map { ", kept in \($0.path)" } ?? ", not kept on disk").")
        return (
            NewSessionResponse(sessionId: id, modes: choices.modes, configOptions: await configOptions(of: session)),
            session
        )
    }

    /// After the editor has the session id: the slash commands it may offer.
    func announceCommands(of session: ACPSession) {
        send(.availableCommands(SlashCommand.available), in: session.id)
    }

    /// session/load (`replay`: the stored conversation is sent as session updates first) and session/resume.
    func reopenSession(_ id: SessionID, workspace given: SessionWorkspace, replay: Bool) async throws
        -> SessionSetupResponse
    {
        let workspace = try checked(given)
        let (records, file) = try store.open(id)
        var history: [ChatMessage] = []
        var choices: SessionChoices?
        var titled = false
        for record in records {
            switch record {
            case .header(let header) where header.cwd != workspace.cwd:
                logger.info("Session \(id) was started in \(header.cwd); it continues in \(workspace.cwd).")
            case .message(let message): history.append(message)
            case .choices(let stored): choices = stored
            case .title: titled = true
            default: break
            }
            if replay { self.replay(record, in: id) }
        }
        let engine = makeEngine(for: workspace, sessionID: id)
        let session = ACPSession(
            id: id, cwd: workspace.cwd, additionalDirectories: workspace.additionalDirectories ?? [], engine: engine,
            conversation: ConversationLog(messages: history, file: file),
            choices: choices ?? SessionChoices(model: engine.chooseModel(for: .agent).role, mode: .ask), titled: titled)
        register(session)
        announceCommands(of: session)
        let current = session.choices
        return SessionSetupResponse(modes: current.modes, configOptions: await configOptions(of: session))
    }

    /// One stored record as the updates that show it: the user's prompts, K2's thoughts and replies, tool calls.
    private func replay(_ record: SessionRecord, in id: SessionID) {
        switch record {
        case .prompt(let blocks):
            for block in blocks { send(.userMessageChunk(block), in: id) }
        case .message(let message) where message.role == .assistant:
            if let reasoning = message.reasoningContent, !reasoning.isEmpty { send(.agentThoughtChunk(.text(reasoning)), in: id) }
            if !message.content.isEmpty { send(.agentMessageChunk(.text(message.content)), in: id) }
        case .toolCall(let call):
            send(.toolCall(call), in: id)
        case .agentText(let text):
            send(.agentMessageChunk(.text(text)), in: id)
        case .header, .message, .choices, .title:
            break
        }
    }

    func closeSession(_ id: SessionID) async throws(ACPFailure) {
        guard let session = remove(id) else { throw .unknownSession(id) }
        await session.close()
    }

    func setConfigOption(_ request: SetSessionConfigOptionRequest) async throws -> SetSessionConfigOptionResponse {
        let session = try session(request.sessionId)
        guard let value = request.value.stringValue else {
            throw ACPFailure.invalidParams("'\(request.configId)' is a select option: its value is a string.")
        }
        let before = session.choices
        let after = try session.updateChoices { choices throws(ACPFailure) in try choices.set(request.configId, to: value) }
        if after.mode != before.mode { send(.currentMode(after.mode.rawValue), in: session.id) }
        return SetSessionConfigOptionResponse(configOptions: await configOptions(of: session))
    }

    func setMode(_ request: SetSessionModeRequest) async throws {
        let session = try session(request.sessionId)
        try session.updateChoices { choices throws(ACPFailure) in try choices.setMode(request.modeId) }
        // Clients that use config options see the change there.
        send(.configOptions(await configOptions(of: session)), in: session.id)
    }

    func configOptions(of session: ACPSession) async -> [SessionConfigOption] {
        session.choices.configOptions(models: await resolvedModels(session.engine))
    }

    // MARK: Engines

    /// cwd must be an absolute folder that exists; additional directories must be absolute.
    private func checked(_ workspace: SessionWorkspace) throws(ACPFailure) -> SessionWorkspace {
        var isDirectory: ObjCBool = false
        guard workspace.cwd.hasPrefix("/"),
            FileManager.default.fileExists(atPath: workspace.cwd, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw .invalidParams("cwd must be the absolute path of an existing folder, not '\(workspace.cwd)'.")
        }
        for directory in workspace.additionalDirectories ?? [] where !directory.hasPrefix("/") {
            throw .invalidParams("additionalDirectories must be absolute paths, not '\(directory)'.")
        }
        var trimmed = workspace
        if trimmed.cwd.count > 1, trimmed.cwd.hasSuffix("/") { trimmed.cwd.removeLast() }
        return trimmed
    }

    /// The session's engine: its configuration read for its folders, like the language server's for its workspace.
    /// The agent's tools work in `cwd`; additional directories are indexed for context only. Its tool sources (the
    /// configured MCP servers and the editor's) stop when the session closes.
    private func makeEngine(for workspace: SessionWorkspace, sessionID: SessionID) -> Engine {
        let roots = [workspace.cwd] + (workspace.additionalDirectories ?? [])
        let loaded = ConfigurationLoader(
            environment: options.environment, homeDirectory: options.environment["HOME"] ?? NSHomeDirectory(),
            workspaceFolders: roots, editorSettings: nil, userConfigPathOverride: options.configPathOverride
        ).load()
        for diagnostic in loaded.diagnostics { logger.warning("Configuration: \(diagnostic.description)") }
        let engine = Engine(
            settings: EngineSettings(
                environment: options.environment, workspaceRoots: roots, timeouts: options.providerTimeouts,
                retryPolicy: options.retryPolicy,
                toolSources: options.sessionToolSources(Self.mcpSettings(workspace.mcpServers), sessionID)),
            configuration: loaded, documents: DocumentStore(), logger: logger)
        // Editors tell ACP agents nothing about file changes: the index is listed now and again when it is old.
        engine.setIndexMaxAge(.seconds(30))
        Task { await engine.index.startIndexing() }
        return engine
    }

    /// The model id each role resolves to: the configured id, else the one discovered from the key's model listing
    /// (asked once per base URL and key, and cached).
    func resolvedModels(_ engine: Engine) async -> SessionChoices.ResolvedModels {
        var models: SessionChoices.ResolvedModels = [:]
        for role in ModelRole.allCases { models[role] = await engine.resolveModel(role: role).provider.model }
        return models
    }

    /// The editor's MCP servers in the configuration's form. Nothing the editor sends is pre-approved: each call asks.
    static func mcpSettings(_ servers: [MCPServer]) -> [MCPServerSettings] {
        servers.map { server in
            func values(_ variables: [MCPServer.Variable]) -> [String: String] {
                Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
            }
            let transport: MCPServerSettings.Transport
            switch server {
            case .stdio(_, let command, let args, let env):
                transport = .stdio(command: command, arguments: args, environment: values(env), workingDirectory: nil)
            case .http(_, let url, let headers):
                transport = .http(url: url, headers: values(headers))
            case .sse(_, let url, let headers):
                transport = .legacySSE(url: url, headers: values(headers))
            }
            return MCPServerSettings(name: server.name, transport: transport)
        }
    }
}
