// The engine's lifetime in the server: created at initialize, reconfigured on settings changes, shut down at exit.
import AnyJSON
import Foundation
import K2Config
import K2Engine
import K2Workspace
import LSP
import Synchronization

extension LanguageServer {
    /// The engine; requests only reach handlers after `initialize`, which creates it.
    var engine: Engine {
        get throws {
            guard let engine = session.withLock({ $0.engine }) else {
                throw ServerError.internalFault("The engine is not running; send 'initialize' first.")
            }
            return engine
        }
    }

    func makeEngine(workspaceFolders: [String], initializationOptions: JSONValue?) async -> Engine {
        let loaded = await loadConfiguration(workspaceFolders: workspaceFolders, editorSettings: initializationOptions)
        let engine = Engine(
            settings: EngineSettings(
                environment: options.environment, workspaceRoots: workspaceFolders,
                timeouts: options.providerTimeouts, retryPolicy: options.retryPolicy,
                toolSources: options.agentToolSources),
            configuration: loaded, documents: documents, logger: logger)
        return engine
    }

    /// Read on a thread of its own with a deadline, so that a stalled file cannot stop the message loop for long.
    func loadConfiguration(workspaceFolders: [String], editorSettings: JSONValue?) async -> LoadedConfiguration {
        let loader = ConfigurationLoader(
            environment: options.environment,
            homeDirectory: options.environment["HOME"] ?? NSHomeDirectory(),
            workspaceFolders: workspaceFolders,
            editorSettings: editorSettings.map { $0.serialized() },
            userConfigPathOverride: options.configPathOverride)
        let loaded = await loader.load(deadline: ConfigurationLoader.standardDeadline)
        for diagnostic in loaded.diagnostics {
            let type: MessageType = diagnostic.severity == .error ? .error : .warning
            logger.warning("Configuration: \(diagnostic.description)")
            showMessageOnce(type, "k2lsp configuration: \(diagnostic.description)")
        }
        return loaded
    }

    /// `workspace/didChangeConfiguration`, or a configuration file changed.
    func reloadConfiguration(editorSettings: JSONValue?? = nil) async {
        let (folders, settings) = session.withLock { state -> ([String], JSONValue?) in
            if case .some(let newSettings) = editorSettings { state.initializationOptions = newSettings }
            return (state.workspaceFolders, state.initializationOptions)
        }
        let loaded = await loadConfiguration(workspaceFolders: folders, editorSettings: settings)
        (try? engine)?.updateConfiguration(loaded)
    }

    // MARK: Messages to the user

    func showMessage(_ type: MessageType, _ message: String) {
        connection.notify(ShowMessageNotification(type: type, message: message))
    }

    /// Shows a message the first time only (configuration warnings are re-derived on every reload).
    func showMessageOnce(_ type: MessageType, _ message: String) {
        let isNew = session.withLock { $0.shownMessages.insert(message).inserted }
        if isNew { showMessage(type, message) }
    }
}
