// How long a chat request may take at each stage (the connect timeout lives in `HTTPClientBox`).

public struct ProviderTimeouts: Sendable, Hashable {
    /// From sending the request to the first byte of the response body (or the head of an error response).
    /// Generous, because a long prompt takes a while to process before the first token.
    public var firstByte: Duration
    /// The longest silence between two reads of a streaming body. SSE comments count as activity.
    public var idle: Duration
    /// The whole attempt, from sending the request to the end of the stream.
    public var total: Duration

    public init(firstByte: Duration = .seconds(120), idle: Duration = .seconds(60), total: Duration = .seconds(600)) {
        self.firstByte = firstByte
        self.idle = idle
        self.total = total
    }

    public static let standard = ProviderTimeouts()
    /// For `doctor`: a healthy endpoint answers "Hello K2!" well within these.
    public static let doctor = ProviderTimeouts(firstByte: .seconds(30), idle: .seconds(30), total: .seconds(90))
}
