// Requests the agent sends the editor: permission for a tool call, and reading and writing text files.
import AnyJSON
import JSONRPC

public struct PermissionOption: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable {
        case allowOnce = "allow_once"
        case allowAlways = "allow_always"
        case rejectOnce = "reject_once"
        case rejectAlways = "reject_always"
    }

    public var optionId: String
    public var name: String
    public var kind: Kind

    public init(optionId: String, name: String, kind: Kind) {
        self.optionId = optionId
        self.name = name
        self.kind = kind
    }
}

public struct RequestPermissionRequest: RPCRequest {
    public static let method = "session/request_permission"
    public typealias Response = RequestPermissionResponse

    public var sessionId: SessionID
    public var toolCall: ToolCallInfo
    public var options: [PermissionOption]

    public init(sessionId: SessionID, toolCall: ToolCallInfo, options: [PermissionOption]) {
        self.sessionId = sessionId
        self.toolCall = toolCall
        self.options = options
    }
}

public struct RequestPermissionResponse: Codable, Sendable, Hashable {
    /// `{"outcome": "selected", "optionId": …}`, or `{"outcome": "cancelled"}` when the turn was cancelled.
    public enum Outcome: Codable, Sendable, Hashable {
        case selected(optionId: String)
        case cancelled

        private enum CodingKeys: String, CodingKey { case outcome, optionId }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decode(String.self, forKey: .outcome) {
            case "selected": self = .selected(optionId: try container.decode(String.self, forKey: .optionId))
            case "cancelled": self = .cancelled
            case let other:
                throw DecodingError.dataCorruptedError(
                    forKey: .outcome, in: container, debugDescription: "unknown outcome '\(other)' (selected, cancelled)")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .selected(let optionId):
                try container.encode("selected", forKey: .outcome)
                try container.encode(optionId, forKey: .optionId)
            case .cancelled:
                try container.encode("cancelled", forKey: .outcome)
            }
        }
    }

    public var outcome: Outcome

    public init(outcome: Outcome) { self.outcome = outcome }
}

public struct ReadTextFileRequest: RPCRequest {
    public static let method = "fs/read_text_file"
    public typealias Response = ReadTextFileResponse

    public var sessionId: SessionID
    /// Absolute.
    public var path: String
    /// 1-based first line, and how many lines (both optional: the whole file).
    public var line: Int?
    public var limit: Int?

    public init(sessionId: SessionID, path: String, line: Int? = nil, limit: Int? = nil) {
        self.sessionId = sessionId
        self.path = path
        self.line = line
        self.limit = limit
    }
}

public struct ReadTextFileResponse: Codable, Sendable, Hashable {
    public var content: String

    public init(content: String) { self.content = content }
}

public struct WriteTextFileRequest: RPCRequest {
    public static let method = "fs/write_text_file"
    public typealias Response = WriteTextFileResponse

    public var sessionId: SessionID
    /// Absolute.
    public var path: String
    public var content: String

    public init(sessionId: SessionID, path: String, content: String) {
        self.sessionId = sessionId
        self.path = path
        self.content = content
    }
}

/// `{}`, or `null` from clients that answer with nothing.
public struct WriteTextFileResponse: Codable, Sendable, Hashable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: NoKeys.self)
    }
    private enum NoKeys: CodingKey {}
}
