// initialize: the protocol version and what each side can do (ACP v1, schema/v1/schema.json).
import AnyJSON
import JSONRPC

/// ACP's only stable protocol version is the integer 1.
public enum ProtocolVersion {
    public static let current = 1
}

/// Name and version of a client or an agent.
public struct Implementation: Codable, Sendable, Hashable {
    public var name: String
    public var title: String?
    public var version: String

    public init(name: String, title: String? = nil, version: String) {
        self.name = name
        self.title = title
        self.version = version
    }
}

public struct InitializeRequest: RPCRequest {
    public static let method = "initialize"
    public typealias Response = InitializeResponse

    public var protocolVersion: Int
    public var clientCapabilities: ClientCapabilities?
    public var clientInfo: Implementation?

    public init(protocolVersion: Int, clientCapabilities: ClientCapabilities? = nil, clientInfo: Implementation? = nil) {
        self.protocolVersion = protocolVersion
        self.clientCapabilities = clientCapabilities
        self.clientInfo = clientInfo
    }
}

/// What the editor can do for the agent. Unknown members are ignored.
public struct ClientCapabilities: Codable, Sendable, Hashable {
    public struct FileSystem: Codable, Sendable, Hashable {
        public var readTextFile: Bool?
        public var writeTextFile: Bool?

        public init(readTextFile: Bool? = nil, writeTextFile: Bool? = nil) {
            self.readTextFile = readTextFile
            self.writeTextFile = writeTextFile
        }
    }

    public var fs: FileSystem?
    public var terminal: Bool?

    public init(fs: FileSystem? = nil, terminal: Bool? = nil) {
        self.fs = fs
        self.terminal = terminal
    }

    public var readsTextFiles: Bool { fs?.readTextFile == true }
    public var writesTextFiles: Bool { fs?.writeTextFile == true }
}

public struct InitializeResponse: Codable, Sendable, Hashable {
    public var protocolVersion: Int
    public var agentCapabilities: AgentCapabilities
    /// Always present; empty when the agent needs no sign-in step (k2lsp reads its key from the environment).
    public var authMethods: [JSONValue]
    public var agentInfo: Implementation?

    public init(
        protocolVersion: Int, agentCapabilities: AgentCapabilities, authMethods: [JSONValue] = [],
        agentInfo: Implementation?
    ) {
        self.protocolVersion = protocolVersion
        self.agentCapabilities = agentCapabilities
        self.authMethods = authMethods
        self.agentInfo = agentInfo
    }
}

/// An empty object whose presence says "supported" (`sessionCapabilities.list: {}`).
public struct Supported: Codable, Sendable, Hashable {
    public init() {}
}

public struct AgentCapabilities: Codable, Sendable, Hashable {
    public struct Prompt: Codable, Sendable, Hashable {
        public var image: Bool
        public var audio: Bool
        public var embeddedContext: Bool

        public init(image: Bool = false, audio: Bool = false, embeddedContext: Bool) {
            self.image = image
            self.audio = audio
            self.embeddedContext = embeddedContext
        }
    }

    /// MCP transports beyond stdio (which every agent must support).
    public struct MCP: Codable, Sendable, Hashable {
        public var http: Bool
        public var sse: Bool

        public init(http: Bool, sse: Bool) {
            self.http = http
            self.sse = sse
        }
    }

    public struct Sessions: Codable, Sendable, Hashable {
        public var list: Supported?
        public var resume: Supported?
        public var close: Supported?
        public var additionalDirectories: Supported?

        public init(
            list: Supported? = nil, resume: Supported? = nil, close: Supported? = nil,
            additionalDirectories: Supported? = nil
        ) {
            self.list = list
            self.resume = resume
            self.close = close
            self.additionalDirectories = additionalDirectories
        }
    }

    public var loadSession: Bool
    public var promptCapabilities: Prompt
    public var mcpCapabilities: MCP
    public var sessionCapabilities: Sessions

    public init(loadSession: Bool, promptCapabilities: Prompt, mcpCapabilities: MCP, sessionCapabilities: Sessions) {
        self.loadSession = loadSession
        self.promptCapabilities = promptCapabilities
        self.mcpCapabilities = mcpCapabilities
        self.sessionCapabilities = sessionCapabilities
    }
}
