// The `k2lsp` command line: the root command and the options its subcommands share.
import ArgumentParser
import Foundation
import K2Server
import Logging

struct K2LSPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k2lsp",
        abstract: "A language server that brings Kimi K2 into every editor.",
        discussion: """
            Editors start `k2lsp serve` (or `k2lsp --stdio`) and speak LSP over stdin/stdout. From a shell, \
            `k2lsp edit FILE… -m "what to change"` prints a diff; --write applies it. Set K2_API_KEY, then run \
            `k2lsp doctor` to check the connection to K2.

            Exit status: 0 success; 1 K2's reply gave no valid edit; 2 usage or configuration error (nothing \
            was sent); 3 provider error (authentication, network, rate limit).
            """,
        version: K2LSPVersion.current,
        subcommands: [
            ServeCommand.self, EditCommand.self, AgentCommand.self, CompleteCommand.self, ContextCommand.self,
            DoctorCommand.self, ModelsCommand.self, ConfigCommand.self, MCPCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}

/// Options every subcommand accepts.
struct CommonOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Log level: trace, debug, info, notice, warning, error, critical. Default: $K2LSP_LOG or warning.")
    var logLevel: String?

    @Option(name: .long, help: "Also append logs to this file.")
    var logFile: String?

    @Option(name: .long, help: "Read the user configuration from this file instead of ~/.config/k2lsp/config.yaml.")
    var config: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel.lowercased()) == nil {
            throw ValidationError(
                "Unknown log level '\(logLevel)'. Use one of: trace, debug, info, notice, warning, error, critical.")
        }
    }

    var resolvedLogLevel: Logger.Level {
        let environmentLevel = ProcessInfo.processInfo.environment["K2LSP_LOG"].flatMap {
            Logger.Level(rawValue: $0.lowercased())
        }
        return logLevel.flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? environmentLevel ?? .warning
    }

    /// A logger that writes to stderr, and to `--log-file` when given. stdout is never used for logs.
    func makeLogger(label: String = "k2lsp") -> Logger {
        let level = resolvedLogLevel
        let logFile = self.logFile
        var logger = Logger(label: label) { label in
            var handlers: [any LogHandler] = [StreamLogHandler.standardError(label: label)]
            if let logFile { handlers.append(FileLogHandler(label: label, path: logFile, level: level)) }
            return MultiplexLogHandler(handlers)
        }
        logger.logLevel = level
        return logger
    }
}
