// How long a chat request may take at each stage; configurable as `provider.timeouts` (seconds).

public struct ProviderTimeouts: Sendable, Hashable {
    /// Establishing the TCP (and TLS) connection (`provider.timeouts.connect`); nil uses the `HTTPClientBox`'s.
    public var connect: Duration?
    /// From sending the request to the first byte of the response body (or the head of an error response).
    /// Generous, because a long prompt takes a while to process before the first token
    /// (`provider.timeouts.first_byte`).
    public var firstByte: Duration
    /// The longest silence between two reads of a streaming body. SSE comments count as activity
    /// (`provider.timeouts.idle`).
    public var idle: Duration
    /// The whole attempt, from sending the request to the end of the stream (`provider.timeouts.total`).
    public var total: Duration
    /// After a reply has its `finish_reason` and usage, how long to wait for `[DONE]` (which lets the connection
    /// be reused) before finishing without it.
    public var afterCompleteReply: Duration

    public init(
        connect: Duration? = nil, firstByte: Duration = .seconds(120), idle: Duration = .seconds(60),
        total: Duration = .seconds(600), afterCompleteReply: Duration = .seconds(1)
    ) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
        self.total = total
        self.afterCompleteReply = afterCompleteReply
    }

    public static let standard = ProviderTimeouts()
    /// For `doctor`: a healthy endpoint answers "Hello K2!" well within these.
    public static let doctor = ProviderTimeouts(firstByte: .seconds(30), idle: .seconds(30), total: .seconds(90))

    /// The configuration key that sets the limit behind a timeout error, for messages that say what to raise.
    static func settingName(for code: ProviderError.Code) -> String? {
        switch code {
        case .firstByteTimeout: "provider.timeouts.first_byte"
        case .idleTimeout: "provider.timeouts.idle"
        case .totalTimeout: "provider.timeouts.total"
        default: nil
        }
    }
}
