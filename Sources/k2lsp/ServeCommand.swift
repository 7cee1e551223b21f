// `k2lsp serve`: the language server on stdin/stdout.
import ArgumentParser
import Foundation
import K2MCP
import K2Server

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the language server on stdin/stdout (what editors start)."
    )

    @Flag(name: .long, help: "Accepted for editors that pass it; stdio is the transport.")
    var stdio = false

    @Flag(name: .long, help: "Speak the Agent Client Protocol instead of LSP (the same as `k2lsp acp`).")
    var acp = false

    @Option(name: .long, help: "Refuse messages larger than this many bytes.")
    var maxMessageBytes: Int = 64 << 20

    @OptionGroup var common: CommonOptions

    func run() async throws {
        if acp { Foundation.exit(await ACPCommand.serve(common: common, maxMessageBytes: maxMessageBytes)) }
        let protocolOutput = StandardStreams.takeStdoutForProtocol()
        let logger = common.makeLogger()
        // Servers start on the first agent run that uses them and stop when the engine shuts down.
        let mcpServers = MCPServerPool(
            environment: ProcessInfo.processInfo.environment, clientVersion: K2LSPVersion.current, logger: logger)
        let server = LanguageServer(
            input: FileHandle.standardInput, output: protocolOutput,
            options: ServerOptions(
                version: K2LSPVersion.current, configPathOverride: common.config,
                maximumMessageBytes: maxMessageBytes, agentToolSources: [MCPToolSource(pool: mcpServers)]),
            logger: logger)
        let code = await server.run()
        Foundation.exit(code)
    }
}
