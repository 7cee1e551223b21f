// k2/agent: placeholder until the agent engine lands.
import LSP

extension LanguageServer {
    func runAgent(params: K2AgentParams, context: RequestContext) async throws -> K2AgentResult {
        throw ServerError.notConfigured("k2/agent is not available yet in this build of k2lsp.")
    }
}
