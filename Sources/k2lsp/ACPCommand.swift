// `k2lsp acp` (also `k2lsp --acp`): the Agent Client Protocol agent on stdin/stdout, for editors' agent panels.
import ArgumentParser
import Foundation
import K2ACPServer
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
        let agent = ACPAgent(
            input: FileHandle.standardInput, output: protocolOutput,
            options: ACPAgentOptions(
                version: K2LSPVersion.current, configPathOverride: common.config, maximumMessageBytes: maxMessageBytes,
                // ADAPTER(issue-15): the MCP client plugs in here. When K2MCP lands this becomes
                // { servers, sessionID in [MCPToolSource(pool: pool, additionalServers: servers, group: sessionID)] }
                // and mcpTransports says which transports it speaks beyond stdio.
                sessionToolSources: { _, _ in [] }),
            logger: logger)
        return await agent.run()
    }
}
