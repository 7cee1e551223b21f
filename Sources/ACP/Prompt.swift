// session/prompt and what a prompt holds (content blocks), its stop reasons, and the two cancellations.
import AnyJSON
import JSONRPC

/// A piece of a prompt or of a message: text, a link to a resource, an embedded resource; images and audio are
/// kept as their type only (k2lsp does not advertise them).
public enum ContentBlock: Codable, Sendable, Hashable {
    public enum EmbeddedResource: Codable, Sendable, Hashable {
        case text(uri: String, text: String, mimeType: String?)
        case blob(uri: String, mimeType: String?)

        private enum CodingKeys: String, CodingKey { case uri, text, blob, mimeType }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let uri = try container.decode(String.self, forKey: .uri)
            let mimeType = try container.decodeIfPresent(String.self, forKey: .mimeType)
            if let text = try container.decodeIfPresent(String.self, forKey: .text) {
                self = .text(uri: uri, text: text, mimeType: mimeType)
            } else {
                _ = try container.decode(String.self, forKey: .blob)
                self = .blob(uri: uri, mimeType: mimeType)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .text(let uri, let text, let mimeType):
                try container.encode(uri, forKey: .uri)
                try container.encode(text, forKey: .text)
                try container.encodeIfPresent(mimeType, forKey: .mimeType)
            case .blob(let uri, let mimeType):
                // The bytes are not kept; an empty blob stands for them.
                try container.encode(uri, forKey: .uri)
                try container.encode("", forKey: .blob)
                try container.encodeIfPresent(mimeType, forKey: .mimeType)
            }
        }

        public var uri: String {
            switch self {
            case .text(let uri, _, _), .blob(let uri, _): uri
            }
        }
    }

    case text(String)
    case resourceLink(uri: String, name: String, mimeType: String?)
    case resource(EmbeddedResource)
    /// `image`, `audio` or a type this version does not know.
    case unsupported(type: String)

    private enum CodingKeys: String, CodingKey { case type, text, uri, name, mimeType, resource }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "text":
            self = .text(try container.decode(String.self, forKey: .text))
        case "resource_link":
            self = .resourceLink(
                uri: try container.decode(String.self, forKey: .uri), name: try container.decode(String.self, forKey: .name),
                mimeType: try container.decodeIfPresent(String.self, forKey: .mimeType))
        case "resource":
            self = .resource(try container.decode(EmbeddedResource.self, forKey: .resource))
        default:
            self = .unsupported(type: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text):
            try container.encode("text", forKey: .type)
            try container.encode(text, forKey: .text)
        case .resourceLink(let uri, let name, let mimeType):
            try container.encode("resource_link", forKey: .type)
            try container.encode(uri, forKey: .uri)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(mimeType, forKey: .mimeType)
        case .resource(let resource):
            try container.encode("resource", forKey: .type)
            try container.encode(resource, forKey: .resource)
        case .unsupported(let type):
            try container.encode(type, forKey: .type)
        }
    }
}

public struct PromptRequest: RPCRequest {
    public static let method = "session/prompt"
    public typealias Response = PromptResponse

    public var sessionId: SessionID
    public var prompt: [ContentBlock]

    public init(sessionId: SessionID, prompt: [ContentBlock]) {
        self.sessionId = sessionId
        self.prompt = prompt
    }
}

/// Why a prompt turn ended. A cancelled turn is `cancelled`, never an error.
public enum StopReason: String, Codable, Sendable, Hashable, CaseIterable {
    case endTurn = "end_turn"
    case maxTokens = "max_tokens"
    case maxTurnRequests = "max_turn_requests"
    case refusal
    case cancelled
}

public struct PromptResponse: Codable, Sendable, Hashable {
    public var stopReason: StopReason

    public init(stopReason: StopReason) { self.stopReason = stopReason }
}

/// `session/cancel`: stop the session's prompt turn; the turn answers `cancelled`.
public struct CancelNotification: RPCNotification {
    public static let method = "session/cancel"

    public var sessionId: SessionID

    public init(sessionId: SessionID) { self.sessionId = sessionId }
}

/// `$/cancel_request`: cancel one request by id (either direction).
public struct CancelRequestNotification: RequestCancellation {
    public static let method = "$/cancel_request"

    public var requestId: JSONValue

    public init(requestId: RequestID) { self.requestId = requestId.jsonValue }

    public var cancelledRequestID: RequestID? { RequestID(jsonValue: requestId) }
}
