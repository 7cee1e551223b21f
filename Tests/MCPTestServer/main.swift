// `k2-test-mcp-server`: the test MCP server of K2TestSupport as a program (tests start it as k2lsp starts servers).
import K2TestSupport

try await TestMCPServer.main(arguments: Array(CommandLine.arguments.dropFirst()))
