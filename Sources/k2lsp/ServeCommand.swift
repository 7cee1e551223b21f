// `k2lsp serve`: the language server on stdin/stdout.
import ArgumentParser
import Foundation
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
        let server = LanguageServer(
            input: FileHandle.standardInput, output: protocolOutput,
            options: ServerOptions(
                version: K2LSPVersion.current, configPathOverride: common.config,
                maximumMessageBytes: maxMessageBytes),
            logger: logger)
        let code = await server.run()
        Foundation.exit(code)
    }
}
