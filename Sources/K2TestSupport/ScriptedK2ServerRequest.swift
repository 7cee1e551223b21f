// A request the scripted K2 server received, kept for the test to inspect.
import AnyJSON
import Foundation

public struct RecordedRequest: Sendable {
    /// Position among all requests the server received, from 0.
    public var index: Int
    public var method: String
    /// The path with any query, e.g. `/v1/chat/completions`.
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Which TCP connection carried it (connections are reused).
    public var connectionID: Int
    public var receivedAt: ContinuousClock.Instant
    /// The status the server answered with (nil for a dropped connection).
    public var replyStatus: Int?

    /// The body parsed as JSON, when it is JSON.
    public var json: JSONValue? { try? JSONValue(parsing: body) }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var isChatCompletion: Bool { method == "POST" && path.hasSuffix("/chat/completions") }

    /// The body's `model`.
    public var model: String? { json?["model"]?.stringValue }
}
