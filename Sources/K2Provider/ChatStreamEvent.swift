// Progress a provider reports while a turn streams, for live display; the returned `ChatTurn` is what counts.

/// One step of progress. Deltas are already cleaned (no `<think>` tags, no raw markers). When a call throws,
/// whatever deltas it reported must be discarded.
public enum ChatStreamEvent: Sendable, Hashable {
    /// The first byte of a response body arrived, this long after the attempt's request was sent.
    case firstByte(latency: Duration)
    case contentDelta(String)
    case reasoningDelta(String)
    /// A tool call began; `id` is as the server sent it (empty when it sent none yet).
    case toolCallStarted(index: Int, id: String, name: String)
    case toolCallArgumentsDelta(index: Int, fragment: String)
    /// Token counts arrived.
    case usage(TokenUsage)
    /// An attempt failed before any output; attempt number `attempt` starts after `after`.
    case retrying(attempt: Int, after: Duration, reason: String)
    /// The server answered 429 (whether or not the request is retried): the caller may explain the limit.
    case rateLimited(ProviderError)
}
