// Sessions on disk: one JSON Lines file per session under $XDG_STATE_HOME/k2lsp/sessions/, readable by the user only.
import ACP
import AnyJSON
import Foundation
import K2Config
import K2Provider
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line of a session file. The file starts with `header`; the rest is appended as the session goes.
enum SessionRecord: Sendable {
    struct Header: Sendable, Hashable {
        var sessionID: SessionID
        var cwd: String
        var additionalDirectories: [String]
        var createdAt: String
    }

    case header(Header)
    /// What the user sent, as the editor showed it (embedded resources kept as links).
    case prompt([ContentBlock])
    /// A message of the conversation the model sees (the engine's instruction, each turn, each tool result).
    case message(ChatMessage)
    /// A finished tool call as the editor showed it, for replay.
    case toolCall(ToolCallInfo)
    case choices(SessionChoices)
    case title(String)
    /// Words the agent showed that are not part of the model's conversation (a notice, why a turn stopped).
    case agentText(String)
}

/// The session files of this user. Without `$XDG_STATE_HOME` and `$HOME` nothing is kept (sessions live as long as
/// the process).
final class SessionStore: Sendable {
    static let version = 1
    /// Entries per `session/list` page.
    static let pageSize = 50

    let directory: String?
    private let logger: Logger

    init(environment: [String: String], logger: Logger) {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            directory = state + "/k2lsp/sessions"
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            directory = home + "/.local/state/k2lsp/sessions"
        } else {
            directory = nil
        }
        self.logger = logger
    }

    /// Session ids name files, so only these characters are accepted (no `/`, no `..`).
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 128
            && id.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            }
    }

    private func path(of id: SessionID) -> String? {
        guard let directory, Self.isValidID(id) else { return nil }
        return directory + "/" + id + ".jsonl"
    }

    /// A new session's file, with its header written. Nil (and a warning) when it cannot be created: the session
    /// then works without being kept.
    func create(_ header: SessionRecord.Header) -> SessionFile? {
        guard let path = path(of: header.sessionID), let directory else { return nil }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let file = try SessionFile(path: path, logger: logger)
            file.append(.header(header))
            return file
        } catch {
            logger.warning("Could not create the session file \(path): \(error); this session will not be kept.")
            return nil
        }
    }

    /// A stored session: its records in order (corrupt lines skipped with a warning) and its file, to append to.
    func open(_ id: SessionID) throws(ACPFailure) -> (records: [SessionRecord], file: SessionFile?) {
        guard let path = path(of: id), let data = FileManager.default.contents(atPath: path) else {
            throw .unknownSession(id)
        }
        let records = parse(data, path: path)
        guard case .header? = records.first else {
            logger.warning("\(path) does not start with a session header; it cannot be loaded.")
            throw .unknownSession(id)
        }
        return (records, try? SessionFile(path: path, logger: logger))
    }

    /// Stored sessions that have had a prompt, most recently updated first, optionally only those working in
    /// `cwd`; a page of them.
    func list(cwd: String?, cursor: String?) throws(ACPFailure) -> ListSessionsResponse {
        let start: Int
        if let cursor {
            guard let offset = Int(cursor), offset >= 0 else {
                throw .invalidParams("The cursor '\(cursor)' is not one session/list gave out; start again without it.")
            }
            start = offset
        } else {
            start = 0
        }
        guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return ListSessionsResponse(sessions: [], nextCursor: nil)
        }
        var found: [(info: SessionInfo, modified: Date)] = []
        for name in names where name.hasSuffix(".jsonl") {
            let path = directory + "/" + name
            // A session nobody prompted has nothing to go back to.
            guard let summary = summary(ofFileAt: path), summary.info.title != nil else { continue }
            if let cwd, summary.info.cwd != cwd { continue }
            found.append(summary)
        }
        found.sort { $0.modified > $1.modified || ($0.modified == $1.modified && $0.info.sessionId < $1.info.sessionId) }
        let page = found.dropFirst(start).prefix(Self.pageSize).map(\.info)
        let next = start + Self.pageSize < found.count ? String(start + Self.pageSize) : nil
        return ListSessionsResponse(sessions: Array(page), nextCursor: next)
    }

    /// The header and title of a session file (read from its first part only) and when it last changed.
    private func summary(ofFileAt path: String) -> (info: SessionInfo, modified: Date)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: 256 << 10)) ?? Data()
        var header: SessionRecord.Header?
        var title: String?
        for line in prefix.split(separator: UInt8(ascii: "\n")) {
            switch Self.record(fromLine: Data(line)) {
            case .header(let value)?: header = header ?? value
            case .title(let value)?: title = title ?? value
            default: continue
            }
            if header != nil, title != nil { break }
        }
        guard let header else { return nil }
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        let info = SessionInfo(
            sessionId: header.sessionID, cwd: header.cwd,
            additionalDirectories: header.additionalDirectories.isEmpty ? nil : header.additionalDirectories,
            title: title, updatedAt: Self.timestamp(modified))
        return (info, modified)
    }

    private func parse(_ data: Data, path: String) -> [SessionRecord] {
        var records: [SessionRecord] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { continue }
            if let record = Self.record(fromLine: Data(line)) {
                records.append(record)
            } else {
                logger.warning("Line \(number + 1) of \(path) is not a session record k2lsp can read; it was skipped.")
            }
        }
        return records
    }

    static func timestamp(_ date: Date = Date()) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    // MARK: Lines

    static func line(for record: SessionRecord) -> JSONValue {
        var object: [String: JSONValue] = ["at": .string(timestamp())]
        switch record {
        case .header(let header):
            object["type"] = "session"
            object["version"] = .int(version)
            object["sessionId"] = .string(header.sessionID)
            object["cwd"] = .string(header.cwd)
            object["additionalDirectories"] = .array(header.additionalDirectories.map(JSONValue.string))
            object["createdAt"] = .string(header.createdAt)
        case .prompt(let blocks):
            object["type"] = "prompt"
            object["content"] = (try? JSONValue(encoding: blocks)) ?? .array([])
        case .message(let message):
            object["type"] = "message"
            object["message"] = Self.json(message)
        case .toolCall(let call):
            object["type"] = "tool_call"
            object["toolCall"] = (try? JSONValue(encoding: call)) ?? .null
        case .choices(let choices):
            object["type"] = "choices"
            object["model"] = .string(choices.model.rawValue)
            object["mode"] = .string(choices.mode.rawValue)
        case .title(let title):
            object["type"] = "title"
            object["title"] = .string(title)
        case .agentText(let text):
            object["type"] = "agent_text"
            object["text"] = .string(text)
        }
        return .object(object)
    }

    static func record(fromLine line: Data) -> SessionRecord? {
        guard let value = try? JSONValue(parsing: line) else { return nil }
        switch value["type"]?.stringValue {
        case "session":
            guard let id = value["sessionId"]?.stringValue, let cwd = value["cwd"]?.stringValue else { return nil }
            return .header(
                SessionRecord.Header(
                    sessionID: id, cwd: cwd,
                    additionalDirectories: value["additionalDirectories"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    createdAt: value["createdAt"]?.stringValue ?? ""))
        case "prompt":
            return (try? value["content"]?.decode([ContentBlock].self)).map(SessionRecord.prompt)
        case "message":
            return value["message"].flatMap(Self.message(from:)).map(SessionRecord.message)
        case "tool_call":
            return (try? value["toolCall"]?.decode(ToolCallInfo.self)).map(SessionRecord.toolCall)
        case "choices":
            guard let model = value["model"]?.stringValue.flatMap(ModelRole.init(rawValue:)),
                let mode = value["mode"]?.stringValue.flatMap(SessionMode.init(rawValue:))
            else { return nil }
            return .choices(SessionChoices(model: model, mode: mode))
        case "title":
            return value["title"]?.stringValue.map(SessionRecord.title)
        case "agent_text":
            return value["text"]?.stringValue.map(SessionRecord.agentText)
        default:
            return nil
        }
    }

    /// A chat message in the OpenAI wire shape (`reasoning_content`, `tool_calls`, `tool_call_id`).
    static func json(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
        if let reasoning = message.reasoningContent { object["reasoning_content"] = .string(reasoning) }
        if !message.toolCalls.isEmpty {
            object["tool_calls"] = .array(
                message.toolCalls.map { ["id": .string($0.id), "name": .string($0.name), "arguments": .string($0.arguments)] })
        }
        if let id = message.toolCallID { object["tool_call_id"] = .string(id) }
        if let name = message.name { object["name"] = .string(name) }
        return .object(object)
    }

    static func message(from value: JSONValue) -> ChatMessage? {
        guard let role = value["role"]?.stringValue.flatMap(ChatMessage.Role.init(rawValue:)),
            let content = value["content"]?.stringValue
        else { return nil }
        var calls: [ToolCall] = []
        for call in value["tool_calls"]?.arrayValue ?? [] {
            guard let id = call["id"]?.stringValue, let name = call["name"]?.stringValue else { return nil }
            calls.append(ToolCall(id: id, name: name, arguments: call["arguments"]?.stringValue ?? "{}"))
        }
        return ChatMessage(
            role: role, content: content, reasoningContent: value["reasoning_content"]?.stringValue, toolCalls: calls,
            toolCallID: value["tool_call_id"]?.stringValue, name: value["name"]?.stringValue)
    }
}

/// An open session file, appended to one line at a time (mode 0600; a line is one write).
final class SessionFile: Sendable {
    let path: String
    private let descriptor: Mutex<Int32>
    private let logger: Logger

    init(path: String, logger: Logger) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileAccessFailure(path: path, code: errno) }
        fchmod(descriptor, 0o600)
        self.path = path
        self.descriptor = Mutex(descriptor)
        self.logger = logger
    }

    deinit {
        descriptor.withLock { _ = close($0) }
    }

    func append(_ record: SessionRecord) {
        var bytes = SessionStore.line(for: record).jsonBytes()
        bytes.append(UInt8(ascii: "\n"))
        let failed = descriptor.withLock { descriptor -> Bool in
            bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return false }
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, base + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return true
                    }
                    offset += written
                }
                return false
            }
        }
        if failed { logger.warning("Could not append to \(path): \(String(cString: strerror(errno))).") }
    }
}

struct FileAccessFailure: Error, CustomStringConvertible {
    var path: String
    var code: Int32
    var description: String { "\(path): \(String(cString: strerror(code)))" }
}
