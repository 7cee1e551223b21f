// `k2lsp mcp list`: each configured MCP server, whether it started, its protocol revision, and its tools as K2 sees them.
import ArgumentParser
import Foundation
import K2MCP

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Inspect the MCP servers the agent uses.",
        subcommands: [MCPListCommand.self],
        defaultSubcommand: MCPListCommand.self
    )
}

struct MCPListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Start each configured MCP server and list its tools under the names K2 sees.",
        discussion: """
            Servers come from mcp_servers (and mcp_servers_file) in the configuration; each is started as an agent \
            run would start it, then stopped. A server that fails says why; one k2lsp cannot speak to says \
            "not supported" and why. Exits 0 once every server has been tried, 2 when the configuration has errors.
            """
    )

    @Flag(name: .long, help: "Print [{name, transport, state, reason, protocolRevision, autoApprove, tools}] as JSON.")
    var json = false

    @OptionGroup var options: SharedOptions

    private struct Output: Encodable {
        struct Tool: Encodable {
            var modelName: String
            var name: String
            var summary: String
            var autoApproved: Bool
            var readOnlyHint: Bool
        }
        var name: String
        var transport: String
        /// started, failed, not-supported or disabled.
        var state: String
        var reason: String?
        var protocolRevision: String?
        var serverName: String?
        var autoApprove: String
        var tools: [Tool]
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let context = try CLIContext.make(options)
            // The listing says why a server failed; the same warnings in the log would only repeat it.
            var logger = context.logger
            if options.common.logLevel == nil, ProcessInfo.processInfo.environment["K2LSP_LOG"] == nil {
                logger.logLevel = .error
            }
            let pool = context.makeMCPPool(logger: logger)
            let reports = await MCPToolSource(pool: pool).report(
                configuration: context.loaded.configuration, workspaceRoot: context.workspace.root)
            await pool.shutdown()
            if json {
                JSONOutput.print(reports.map(Self.output))
            } else {
                StandardStreams.writeOutput(Self.text(reports))
            }
        }
    }

    private static func output(_ report: MCPServerReport) -> Output {
        var output = Output(
            name: report.name, transport: report.transport, state: "disabled", autoApprove: report.autoApprove,
            tools: report.tools.map {
                Output.Tool(
                    modelName: $0.modelName, name: $0.name, summary: $0.summary, autoApproved: $0.autoApproved,
                    readOnlyHint: $0.readOnlyHint)
            })
        switch report.state {
        case .started(let revision, let serverName):
            (output.state, output.protocolRevision, output.serverName) = ("started", revision, serverName)
        case .failed(let reason):
            (output.state, output.reason) = ("failed", reason)
        case .notSupported(let reason):
            (output.state, output.reason) = ("not-supported", reason)
        case .disabled:
            break
        }
        return output
    }

    static func text(_ reports: [MCPServerReport]) -> String {
        guard !reports.isEmpty else {
            return "No MCP servers are configured. Add them under mcp_servers in your k2lsp configuration (see README, \"MCP servers\").\n"
        }
        var lines: [String] = []
        for report in reports {
            var head = "\(report.name) (\(report.transport)): "
            switch report.state {
            case .started(let revision, _):
                head += "started, MCP \(revision), \(report.tools.count) tools, auto-approve: \(report.autoApprove)"
            case .failed(let reason):
                head += "failed: \(reason)"
            case .notSupported(let reason):
                head += reason.hasPrefix("not supported") ? reason : "not supported: \(reason)"
            case .disabled:
                head += "disabled (enabled: false)"
            }
            lines.append(head)
            let width = report.tools.map(\.modelName.count).max() ?? 0
            for tool in report.tools {
                let padded = tool.modelName + String(repeating: " ", count: width - tool.modelName.count)
                let approval = tool.autoApproved ? "runs without asking" : "refused unless approved"
                lines.append("  \(padded)  \(tool.name) (\(approval))\(tool.summary.isEmpty ? "" : ": \(tool.summary)")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
