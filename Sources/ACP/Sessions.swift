// Session set-up: session/new, load, resume, close and list, the MCP servers an editor passes, and session modes.
import AnyJSON
import JSONRPC

public typealias SessionID = String

/// An MCP server the editor asks the agent to use for a session. stdio has no `type` member; http and sse do.
public enum MCPServer: Codable, Sendable, Hashable {
    public struct Variable: Codable, Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    case stdio(name: String, command: String, args: [String], env: [Variable])
    case http(name: String, url: String, headers: [Variable])
    case sse(name: String, url: String, headers: [Variable])

    private enum CodingKeys: String, CodingKey {
        case type, name, command, args, env, url, headers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        switch try container.decodeIfPresent(String.self, forKey: .type) {
        case nil, "stdio"?:
            self = .stdio(
                name: name, command: try container.decode(String.self, forKey: .command),
                args: try container.decodeIfPresent([String].self, forKey: .args) ?? [],
                env: try container.decodeIfPresent([Variable].self, forKey: .env) ?? [])
        case "http"?:
            self = .http(
                name: name, url: try container.decode(String.self, forKey: .url),
                headers: try container.decodeIfPresent([Variable].self, forKey: .headers) ?? [])
        case "sse"?:
            self = .sse(
                name: name, url: try container.decode(String.self, forKey: .url),
                headers: try container.decodeIfPresent([Variable].self, forKey: .headers) ?? [])
        case let other?:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown MCP transport '\(other)' (stdio, http, sse)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .stdio(let name, let command, let args, let env):
            try container.encode(name, forKey: .name)
            try container.encode(command, forKey: .command)
            try container.encode(args, forKey: .args)
            try container.encode(env, forKey: .env)
        case .http(let name, let url, let headers), .sse(let name, let url, let headers):
            try container.encode(self.isHTTP ? "http" : "sse", forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encode(url, forKey: .url)
            try container.encode(headers, forKey: .headers)
        }
    }

    private var isHTTP: Bool {
        if case .http = self { return true }
        return false
    }

    public var name: String {
        switch self {
        case .stdio(let name, _, _, _), .http(let name, _, _), .sse(let name, _, _): name
        }
    }
}

/// Where a session works and the MCP servers its editor passes: the shared params of session/new, load and resume.
public struct SessionWorkspace: Codable, Sendable, Hashable {
    /// Absolute; the base of every relative path.
    public var cwd: String
    public var mcpServers: [MCPServer]
    public var additionalDirectories: [String]?

    public init(cwd: String, mcpServers: [MCPServer] = [], additionalDirectories: [String]? = nil) {
        self.cwd = cwd
        self.mcpServers = mcpServers
        self.additionalDirectories = additionalDirectories
    }

    private enum CodingKeys: String, CodingKey { case cwd, mcpServers, additionalDirectories }

    /// `mcpServers` is required by the schema; a client that leaves it out gets none rather than an error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cwd = try container.decode(String.self, forKey: .cwd)
        mcpServers = try container.decodeIfPresent([MCPServer].self, forKey: .mcpServers) ?? []
        additionalDirectories = try container.decodeIfPresent([String].self, forKey: .additionalDirectories)
    }
}

public struct NewSessionRequest: RPCRequest {
    public static let method = "session/new"
    public typealias Response = NewSessionResponse

    public var workspace: SessionWorkspace

    public init(workspace: SessionWorkspace) { self.workspace = workspace }

    public init(from decoder: any Decoder) throws { workspace = try SessionWorkspace(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try workspace.encode(to: encoder) }
}

/// What session/new answers: the session and its choices.
public struct NewSessionResponse: Codable, Sendable, Hashable {
    public var sessionId: SessionID
    public var modes: SessionModeState?
    public var configOptions: [SessionConfigOption]?

    public init(sessionId: SessionID, modes: SessionModeState?, configOptions: [SessionConfigOption]?) {
        self.sessionId = sessionId
        self.modes = modes
        self.configOptions = configOptions
    }
}

/// The session's choices, as session/load and session/resume answer them.
public struct SessionSetupResponse: Codable, Sendable, Hashable {
    public var modes: SessionModeState?
    public var configOptions: [SessionConfigOption]?

    public init(modes: SessionModeState?, configOptions: [SessionConfigOption]?) {
        self.modes = modes
        self.configOptions = configOptions
    }
}

/// The two ways back into a stored session: session/load replays its history first, session/resume does not.
public protocol SessionReopening: Sendable {
    static var method: String { get }
}

public enum LoadsHistory: SessionReopening {
    public static let method = "session/load"
}

public enum ResumesQuietly: SessionReopening {
    public static let method = "session/resume"
}

/// session/load and session/resume: the session id and where it works now.
public struct ReopenSessionRequest<Reopening: SessionReopening>: RPCRequest {
    public static var method: String { Reopening.method }
    public typealias Response = SessionSetupResponse

    public var sessionId: SessionID
    public var workspace: SessionWorkspace

    public init(sessionId: SessionID, workspace: SessionWorkspace) {
        self.sessionId = sessionId
        self.workspace = workspace
    }

    private enum CodingKeys: String, CodingKey { case sessionId }

    public init(from decoder: any Decoder) throws {
        sessionId = try decoder.container(keyedBy: CodingKeys.self).decode(SessionID.self, forKey: .sessionId)
        workspace = try SessionWorkspace(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sessionId, forKey: .sessionId)
        try workspace.encode(to: encoder)
    }
}

public typealias LoadSessionRequest = ReopenSessionRequest<LoadsHistory>
public typealias ResumeSessionRequest = ReopenSessionRequest<ResumesQuietly>

/// An empty result object (`{}`).
public struct EmptyResult: Codable, Sendable, Hashable {
    public init() {}
}

public struct CloseSessionRequest: RPCRequest {
    public static let method = "session/close"
    public typealias Response = EmptyResult

    public var sessionId: SessionID

    public init(sessionId: SessionID) { self.sessionId = sessionId }
}

public struct ListSessionsRequest: RPCRequest {
    public static let method = "session/list"
    public typealias Response = ListSessionsResponse

    public var cwd: String?
    public var cursor: String?

    public init(cwd: String? = nil, cursor: String? = nil) {
        self.cwd = cwd
        self.cursor = cursor
    }
}

public struct SessionInfo: Codable, Sendable, Hashable {
    public var sessionId: SessionID
    public var cwd: String
    public var additionalDirectories: [String]?
    public var title: String?
    /// ISO 8601.
    public var updatedAt: String?

    public init(sessionId: SessionID, cwd: String, additionalDirectories: [String]?, title: String?, updatedAt: String?) {
        self.sessionId = sessionId
        self.cwd = cwd
        self.additionalDirectories = additionalDirectories
        self.title = title
        self.updatedAt = updatedAt
    }
}

public struct ListSessionsResponse: Codable, Sendable, Hashable {
    public var sessions: [SessionInfo]
    public var nextCursor: String?

    public init(sessions: [SessionInfo], nextCursor: String?) {
        self.sessions = sessions
        self.nextCursor = nextCursor
    }
}

// MARK: Modes (the older API; config options supersede it)

public struct SessionMode: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var description: String?

    public init(id: String, name: String, description: String?) {
        self.id = id
        self.name = name
        self.description = description
    }
}

public struct SessionModeState: Codable, Sendable, Hashable {
    public var currentModeId: String
    public var availableModes: [SessionMode]

    public init(currentModeId: String, availableModes: [SessionMode]) {
        self.currentModeId = currentModeId
        self.availableModes = availableModes
    }
}

public struct SetSessionModeRequest: RPCRequest {
    public static let method = "session/set_mode"
    public typealias Response = EmptyResult

    public var sessionId: SessionID
    public var modeId: String

    public init(sessionId: SessionID, modeId: String) {
        self.sessionId = sessionId
        self.modeId = modeId
    }
}
