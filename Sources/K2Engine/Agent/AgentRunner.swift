// The agent loop. (Placeholder: the tool-calling loop replaces this file.)

extension Engine {
    /// Runs the agent to completion; writes nothing (its edits come back in the outcome).
    public func runAgent(_ request: AgentRequest, events: @escaping EngineEventSink) async throws -> AgentOutcome {
        throw EngineError.notConfigured("The agent is not available yet in this build of k2lsp.")
    }
}
