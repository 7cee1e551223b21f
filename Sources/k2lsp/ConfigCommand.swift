// `k2lsp config`: the resolved configuration, where each value came from, and what is wrong with it.
import ArgumentParser
import K2Config

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the resolved configuration with the source of every value (API keys only as set/missing).",
        discussion: "Exits 2 when the configuration has errors, after listing them."
    )

    @Flag(name: .long, help: "Print {userFile, workspaceFiles, values: [{key, value, source}], problems} as JSON.")
    var json = false

    @OptionGroup var options: SharedOptions

    private struct Output: Encodable {
        struct Value: Encodable {
            var key: String
            var value: String
            var source: String
        }
        struct Problem: Encodable {
            var severity: String
            var message: String
        }
        var userFile: String?
        var workspaceFiles: [String]
        var values: [Value]
        var problems: [Problem]
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let context = try CLIContext.make(options, allowConfigurationErrors: true)
            let loaded = context.loaded
            if json {
                JSONOutput.print(
                    Output(
                        userFile: loaded.userConfigPath, workspaceFiles: loaded.workspaceConfigPaths,
                        values: loaded.describe(environment: context.environment).map {
                            Output.Value(
                                key: $0.keyPath, value: $0.value, source: CLIContext.commandLineWording($0.source))
                        },
                        problems: loaded.diagnostics.map {
                            Output.Problem(
                                severity: $0.severity.rawValue, message: CLIContext.commandLineWording($0.description))
                        }))
            } else {
                StandardStreams.writeOutput(
                    CLIContext.commandLineWording(loaded.renderText(environment: context.environment)))
            }
            if !loaded.errors.isEmpty {
                throw CLIFailure(.usage, "The configuration has errors (listed above); fix them and run `k2lsp config` again.")
            }
        }
    }
}
