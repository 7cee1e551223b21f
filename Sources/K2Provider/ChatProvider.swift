// The one abstraction the engine uses to talk to a chat model.

/// Something that completes chat turns. `OpenAICompatibleClient` is the real one; tests may script their own.
public protocol ChatProvider: Sendable {
    /// Streams one turn, reporting progress through `onEvent`, and returns it once the stream ended properly.
    /// Throws `ProviderError`; cancelling the calling task closes the HTTP connection.
    func complete(_ request: ChatRequest, onEvent: @escaping @Sendable (ChatStreamEvent) -> Void) async throws -> ChatTurn
}

extension ChatProvider {
    /// Completes a turn without watching its progress.
    public func complete(_ request: ChatRequest) async throws -> ChatTurn {
        try await complete(request, onEvent: { _ in })
    }
}
