// Reads protocol-docs/*.md into replayable sessions: files, scripted model replies, messages to send and expect.
import AnyJSON
import Foundation

/// One example conversation in a protocol document.
///
/// Markup (invisible or natural when rendered):
/// - `<!-- session {...} -->` starts a session; the optional JSON may hold `env` (environment variables),
///   `capabilities` (`"full"`, the default, `"minimal"`, or an object), `initializationOptions`, and
///   `"initialize": false` to send `initialize` by hand.
/// - A fenced block whose info string has `file=PATH` is written into the workspace before the server starts.
/// - ```` ```json model ```` queues a scripted K2 reply: `{"content", "reasoning"?, "toolCalls"? [{id,name,arguments}]}`
///   or `{"error": {"status", "type", "message"}}`.
/// - ```` ```json send ```` is a message the editor sends; ```` ```json expect ```` is a message the server must send
///   (a response, matched by `id`; or a notification / request, matched by `method`). Expectations match as a
///   subset: members not shown are not checked, and the string `"*"` matches any value.
/// - `${WORKSPACE}` and `${WORKSPACE_URI}` stand for the session's workspace folder (path and file URI);
///   `${TEST_MCP_SERVER}` (also in `initializationOptions`) for the test MCP server program (`TestMCPServer`).
public struct ProtocolDocSession: Sendable {
    public enum Step: Sendable {
        case model(JSONValue)
        case send(String)
        case expect(String)
    }

    public var source: String
    public var options: JSONValue
    public var files: [(path: String, contents: String)]
    public var steps: [Step]
}

public enum ProtocolDocReplay {
    public static func sessions(inMarkdown text: String, source: String) throws -> [ProtocolDocSession] {
        var sessions: [ProtocolDocSession] = []
        var lines = text.components(separatedBy: "\n")[...]
        var lineNumber = 0
        while let line = lines.popFirst() {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<!-- session") {
                let json = trimmed.dropFirst("<!-- session".count).dropLast(trimmed.hasSuffix("-->") ? 3 : 0)
                    .trimmingCharacters(in: .whitespaces)
                let options = json.isEmpty ? JSONValue.object([:]) : try JSONValue(parsing: Data(json.utf8))
                sessions.append(ProtocolDocSession(source: "\(source):\(lineNumber)", options: options, files: [], steps: []))
                continue
            }
            guard trimmed.hasPrefix("```") else { continue }
            let info = trimmed.drop(while: { $0 == "`" }).split(separator: " ").map(String.init)
            var body: [String] = []
            while let inner = lines.popFirst() {
                lineNumber += 1
                if inner.trimmingCharacters(in: .whitespaces).hasPrefix("```") { break }
                body.append(inner)
            }
            let content = body.joined(separator: "\n")
            guard !sessions.isEmpty else { continue }
            if let fileWord = info.first(where: { $0.hasPrefix("file=") }) {
                sessions[sessions.count - 1].files.append((String(fileWord.dropFirst(5)), content + "\n"))
            } else if info.contains("model") {
                sessions[sessions.count - 1].steps.append(.model(try JSONValue(parsing: Data(content.utf8))))
            } else if info.contains("send") {
                sessions[sessions.count - 1].steps.append(.send(content))
            } else if info.contains("expect") {
                sessions[sessions.count - 1].steps.append(.expect(content))
            }
        }
        return sessions
    }

    /// Whether `actual` contains everything `expected` shows (`"*"` matches anything). Returns the first difference.
    public static func mismatch(expected: JSONValue, actual: JSONValue?, path: String = "") -> String? {
        if expected == .string("*") { return actual == nil ? "\(path) is missing" : nil }
        guard let actual else { return "\(path) is missing" }
        switch (expected, actual) {
        case (.object(let wanted), .object(let got)):
            for (key, value) in wanted.sorted(by: { $0.key < $1.key }) {
                if let problem = mismatch(expected: value, actual: got[key], path: path + "." + key) { return problem }
            }
            return nil
        case (.array(let wanted), .array(let got)):
            guard wanted.count == got.count else {
                return "\(path) has \(got.count) elements, expected \(wanted.count): \(actual.serialized())"
            }
            for (index, value) in wanted.enumerated() {
                if let problem = mismatch(expected: value, actual: got[index], path: path + "[\(index)]") { return problem }
            }
            return nil
        default:
            if let left = expected.doubleValue, let right = actual.doubleValue, left == right { return nil }
            return expected == actual ? nil : "\(path) is \(actual.serialized()), expected \(expected.serialized())"
        }
    }
}
