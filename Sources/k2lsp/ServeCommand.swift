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

    @Option(name: .long, help: "Refuse messages larger than this many bytes.")
    var maxMessageBytes: Int = 64 << 20

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let protocolOutput = Self.takeStdoutForProtocol()
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

    /// Keeps the real stdout for protocol bytes and points fd 1 at stderr, so a stray print cannot corrupt the stream.
    private static func takeStdoutForProtocol() -> FileHandle {
        let protocolDescriptor = dup(STDOUT_FILENO)
        guard protocolDescriptor >= 0 else { return FileHandle.standardOutput }
        dup2(STDERR_FILENO, STDOUT_FILENO)
        return FileHandle(fileDescriptor: protocolDescriptor, closeOnDealloc: true)
    }
}
