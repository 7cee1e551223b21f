// `k2lsp acp` (also `k2lsp --acp`): the Agent Client Protocol agent on stdin/stdout, for editors' agent panels.
import ArgumentParser
import Foundation
import K2ACPServer
import K2MCP
import K2Server

struct ACPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acp",
        abstract: "Run as an ACP agent on stdin/stdout (Zed, JetBrains, CodeCompanion, avante.nvim, agent-shell).",
        discussion: """
            Speaks the Agent Client Protocol v1: one JSON-RPC message per line. Sessions are kept under \
            $XDG_STATE_HOME/k2lsp/sessions (else ~/.local/state/k2lsp/sessions).
            """
    )

    @Option(name: .long, help: "Refuse messages larger than this many bytes.")
    var maxMessageBytes: Int = 64 << 20

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let code = await Self.serve(common: common, maxMessageBytes: maxMessageBytes)
        Foundation.exit(code)
    }

    static func serve(common: CommonOptions, maxMessageBytes: Int) async -> Int32 {
        let protocolOutput = StandardStreams.takeStdoutForProtocol()
        let logger = common.makeLogger()
        // One pool for the process: a configured server is started once for all sessions; each session's own servers
        // (from its editor) belong to its group and stop when the session closes.
        let mcpServers = MCPServerPool(
            environment: ProcessInfo.processInfo.environment, clientVersion: K2LSPVersion.current, logger: logger)
        let agent = ACPAgent(
            input: FileHandle.standardInput, output: protocolOutput,
            options: ACPAgentOptions(
                version: K2LSPVersion.current, configPathOverride: common.config, maximumMessageBytes: maxMessageBytes,
                sessionToolSources: { servers, sessionID in
                    [MCPToolSource(pool: mcpServers, additionalServers: servers, group: sessionID)]
                },
                // Streamable HTTP is supported; the old HTTP+SSE transport is not (K2MCP reports it as such).
                mcpTransports: .init(http: true, sse: false)),
            logger: logger)
        let code = await agent.run()
        await mcpServers.shutdown()
        return code
    }
}
