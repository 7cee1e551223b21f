// session/update: what the agent streams to the editor during a turn (and when it replays a loaded session).
import AnyJSON
import JSONRPC

public enum ToolKind: String, Codable, Sendable, Hashable, CaseIterable {
    case read, edit, delete, move, search, execute, think, fetch
    case switchMode = "switch_mode"
    case other
}

public enum ToolCallStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case pending
    case inProgress = "in_progress"
    case completed
    case failed
}

/// A file a tool call works on, absolute, with a line when one is known.
public struct ToolCallLocation: Codable, Sendable, Hashable {
    public var path: String
    /// 1-based, as the schema's examples use.
    public var line: Int?

    public init(path: String, line: Int? = nil) {
        self.path = path
        self.line = line
    }
}

/// What a tool call shows: content blocks, or a file diff (`oldText` null for a new file).
public enum ToolCallContent: Codable, Sendable, Hashable {
    case content(ContentBlock)
    case diff(path: String, oldText: String?, newText: String)

    private enum CodingKeys: String, CodingKey { case type, content, path, oldText, newText }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "diff":
            self = .diff(
                path: try container.decode(String.self, forKey: .path),
                oldText: try container.decodeIfPresent(String.self, forKey: .oldText),
                newText: try container.decode(String.self, forKey: .newText))
        default:
            self = .content(try container.decode(ContentBlock.self, forKey: .content))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .content(let block):
            try container.encode("content", forKey: .type)
            try container.encode(block, forKey: .content)
        case .diff(let path, let oldText, let newText):
            try container.encode("diff", forKey: .type)
            try container.encode(path, forKey: .path)
            // Explicitly null for a file the call creates.
            try container.encode(oldText, forKey: .oldText)
            try container.encode(newText, forKey: .newText)
        }
    }
}

/// A tool call as first reported (`tool_call`: title required) or updated (`tool_call_update`, and the call a
/// permission request is about: only what changed).
public struct ToolCallInfo: Codable, Sendable, Hashable {
    public var toolCallId: String
    public var title: String?
    public var kind: ToolKind?
    public var status: ToolCallStatus?
    public var content: [ToolCallContent]?
    public var locations: [ToolCallLocation]?
    public var rawInput: JSONValue?
    public var rawOutput: JSONValue?

    public init(
        toolCallId: String, title: String? = nil, kind: ToolKind? = nil, status: ToolCallStatus? = nil,
        content: [ToolCallContent]? = nil, locations: [ToolCallLocation]? = nil, rawInput: JSONValue? = nil,
        rawOutput: JSONValue? = nil
    ) {
        self.toolCallId = toolCallId
        self.title = title
        self.kind = kind
        self.status = status
        self.content = content
        self.locations = locations
        self.rawInput = rawInput
        self.rawOutput = rawOutput
    }
}

public struct PlanEntry: Codable, Sendable, Hashable {
    public enum Priority: String, Codable, Sendable, Hashable { case high, medium, low }
    public enum Status: String, Codable, Sendable, Hashable {
        case pending
        case inProgress = "in_progress"
        case completed
    }

    public var content: String
    public var priority: Priority
    public var status: Status

    public init(content: String, priority: Priority, status: Status) {
        self.content = content
        self.priority = priority
        self.status = status
    }
}

/// A slash command the editor offers in its prompt box.
public struct AvailableCommand: Codable, Sendable, Hashable {
    public struct Input: Codable, Sendable, Hashable {
        public var hint: String

        public init(hint: String) { self.hint = hint }
    }

    public var name: String
    public var description: String
    public var input: Input?

    public init(name: String, description: String, input: Input?) {
        self.name = name
        self.description = description
        self.input = input
    }
}

/// One update, tagged by `sessionUpdate`.
public enum SessionUpdate: Codable, Sendable, Hashable {
    case userMessageChunk(ContentBlock)
    case agentMessageChunk(ContentBlock)
    case agentThoughtChunk(ContentBlock)
    case toolCall(ToolCallInfo)
    case toolCallUpdate(ToolCallInfo)
    case plan([PlanEntry])
    case availableCommands([AvailableCommand])
    case currentMode(String)
    case configOptions([SessionConfigOption])
    case sessionInfo(title: String?, updatedAt: String?)
    /// Tokens in the context now, and the model's window.
    case usage(used: Int, size: Int)

    private enum CodingKeys: String, CodingKey {
        case sessionUpdate, content, entries, availableCommands, currentModeId, configOptions, title, updatedAt, used
        case size
    }

    public var tag: String {
        switch self {
        case .userMessageChunk: "user_message_chunk"
        case .agentMessageChunk: "agent_message_chunk"
        case .agentThoughtChunk: "agent_thought_chunk"
        case .toolCall: "tool_call"
        case .toolCallUpdate: "tool_call_update"
        case .plan: "plan"
        case .availableCommands: "available_commands_update"
        case .currentMode: "current_mode_update"
        case .configOptions: "config_option_update"
        case .sessionInfo: "session_info_update"
        case .usage: "usage_update"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let tag = try container.decode(String.self, forKey: .sessionUpdate)
        switch tag {
        case "user_message_chunk": self = .userMessageChunk(try container.decode(ContentBlock.self, forKey: .content))
        case "agent_message_chunk": self = .agentMessageChunk(try container.decode(ContentBlock.self, forKey: .content))
        case "agent_thought_chunk": self = .agentThoughtChunk(try container.decode(ContentBlock.self, forKey: .content))
        case "tool_call": self = .toolCall(try ToolCallInfo(from: decoder))
        case "tool_call_update": self = .toolCallUpdate(try ToolCallInfo(from: decoder))
        case "plan": self = .plan(try container.decode([PlanEntry].self, forKey: .entries))
        case "available_commands_update":
            self = .availableCommands(try container.decode([AvailableCommand].self, forKey: .availableCommands))
        case "current_mode_update": self = .currentMode(try container.decode(String.self, forKey: .currentModeId))
        case "config_option_update":
            self = .configOptions(try container.decode([SessionConfigOption].self, forKey: .configOptions))
        case "session_info_update":
            self = .sessionInfo(
                title: try container.decodeIfPresent(String.self, forKey: .title),
                updatedAt: try container.decodeIfPresent(String.self, forKey: .updatedAt))
        case "usage_update":
            self = .usage(used: try container.decode(Int.self, forKey: .used), size: try container.decode(Int.self, forKey: .size))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .sessionUpdate, in: container, debugDescription: "unknown session update '\(tag)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tag, forKey: .sessionUpdate)
        switch self {
        case .userMessageChunk(let block), .agentMessageChunk(let block), .agentThoughtChunk(let block):
            try container.encode(block, forKey: .content)
        case .toolCall(let call), .toolCallUpdate(let call):
            try call.encode(to: encoder)
        case .plan(let entries):
            try container.encode(entries, forKey: .entries)
        case .availableCommands(let commands):
            try container.encode(commands, forKey: .availableCommands)
        case .currentMode(let mode):
            try container.encode(mode, forKey: .currentModeId)
        case .configOptions(let options):
            try container.encode(options, forKey: .configOptions)
        case .sessionInfo(let title, let updatedAt):
            try container.encodeIfPresent(title, forKey: .title)
            try container.encodeIfPresent(updatedAt, forKey: .updatedAt)
        case .usage(let used, let size):
            try container.encode(used, forKey: .used)
            try container.encode(size, forKey: .size)
        }
    }
}

/// `session/update`.
public struct SessionNotification: RPCNotification {
    public static let method = "session/update"

    public var sessionId: SessionID
    public var update: SessionUpdate

    public init(sessionId: SessionID, update: SessionUpdate) {
        self.sessionId = sessionId
        self.update = update
    }
}
