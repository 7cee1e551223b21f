// One MCP server tool as an agent tool: the model-facing name and schema, and a call that maps back to the server.
import AnyJSON
import K2Engine
import K2Provider

struct MCPAgentTool: AgentTool {
    /// Descriptions longer than this are cut: the tool list is sent with every request.
    static let descriptionLimit = 1024

    let definition: ToolDefinition
    let traits: ToolTraits
    let server: String
    let listed: MCPListedTool
    let connection: MCPServerConnection

    var tool: String { listed.name }

    init(modelName: String, listed: MCPListedTool, server: String, preapproved: Bool, connection: MCPServerConnection) {
        var description = listed.description.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.count > Self.descriptionLimit { description = String(description.prefix(Self.descriptionLimit)) + "…" }
        let origin = "Tool '\(listed.name)' of MCP server '\(server)'"
        self.definition = ToolDefinition(
            name: modelName, description: description.isEmpty ? origin + "." : "\(origin): \(description)",
            parameters: MCPSchemaSimplifier.simplify(listed.inputSchema))
        self.traits = ToolTraits(kind: .external, origin: .mcp(server: server, tool: listed.name), preapproved: preapproved)
        self.server = server
        self.listed = listed
        self.connection = connection
    }

    var outputCutAdvice: String {
        "Ask the tool for less: a narrower query, fewer results, or one page at a time."
    }

    func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
        guard case .object(let object) = arguments else {
            throw ToolError("\(definition.name) takes a JSON object of arguments, as its schema says.")
        }
        let result: CallToolOutcome
        do {
            let answer = try await connection.call(tool, arguments: object)
            result = CallToolOutcome(text: MCPResultText.render(answer), isError: answer.isError == true)
        } catch let failure as MCPCallFailure {
            throw ToolError(failure.description)
        }
        if result.isError {
            throw ToolError("MCP server '\(server)' reports that \(tool) failed: \(result.text)")
        }
        return result.text
    }

    private struct CallToolOutcome {
        var text: String
        var isError: Bool
    }
}
