// Agent test support: a workspace on disk with editor buffers, a way to call one tool, and a scripted model.
import AnyJSON
import Foundation
import K2Engine
import K2Provider
import K2TestSupport
import K2Workspace
import Synchronization
import Testing

/// A temporary workspace folder, the agent's view of it, and helpers to call tools as the model would.
final class AgentFixture: Sendable {
    private let directory: TemporaryDirectory
    let root: String
    let documents = DocumentStore()
    let workspace: AgentWorkspace

    init(
        _ files: [String: String], open: [String: String] = [:], options: AgentWorkspaceOptions = .init(),
        diagnostics: [String: [DiagnosticInfo]] = [:], setUp: (String) throws -> Void = { _ in }
    ) async throws {
        directory = try TemporaryDirectory(prefix: "k2agent")
        let root = directory.path
        self.root = root
        for (path, content) in files { try directory.write(path, content) }
        try setUp(root)
        for (path, text) in open {
            await documents.open(uri: FileURI.uri(fromPath: root + "/" + path), languageID: "swift", version: 4, text: text)
        }
        var absoluteDiagnostics: [String: [DiagnosticInfo]] = [:]
        for (path, list) in diagnostics { absoluteDiagnostics[root + "/" + path] = list }
        workspace = AgentWorkspace(root: root, documents: documents, options: options, diagnostics: absoluteDiagnostics)
    }

    /// Writes a file anywhere (tests put some outside the workspace), creating its folders.
    static func write(_ content: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    /// Runs a tool with JSON arguments: the result text, or "Error: …" as the loop would answer.
    func call(_ tool: String, _ arguments: JSONValue) async throws -> String {
        let registered = try #require(ToolRegistry.standard.tool(named: tool))
        do {
            return try await registered.run(arguments, in: workspace)
        } catch let error as ToolError {
            return "Error: " + error.message
        }
    }

    /// The final edits applied to their base texts, by workspace-relative path.
    func editedTexts() async throws -> [String: String] {
        var result: [String: String] = [:]
        for edit in try await workspace.finalEdits() {
            let relative = String(edit.path.dropFirst(root.count + 1))
            result[relative] = MinimalTextEdits.apply(edit.replacements, to: edit.baseText)
        }
        return result
    }

    /// What is on disk now (to check that nothing was written).
    func disk(_ path: String) -> String? {
        FileManager.default.contents(atPath: root + "/" + path).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A model that answers from a script, in process, and records every conversation it was sent.
final class ScriptedAgentModel: Sendable {
    private let state = Mutex<(turns: [ChatTurn], requests: [[ChatMessage]])>(([], []))
    let model: String

    init(model: String = "kimi-k2-thinking", _ turns: [ChatTurn] = []) {
        self.model = model
        state.withLock { $0.turns = turns }
    }

    func enqueue(_ turn: ChatTurn) { state.withLock { $0.turns.append(turn) } }

    /// The conversations sent, one per turn.
    var requests: [[ChatMessage]] { state.withLock { $0.requests } }

    var caller: AgentModelCaller {
        { [self] messages, _ in
            try Task.checkCancellation()
            let next = state.withLock { state -> ChatTurn? in
                state.requests.append(messages)
                return state.turns.isEmpty ? nil : state.turns.removeFirst()
            }
            guard let next else { throw TestFailure("the scripted model has no turn left") }
            return AgentModelTurn(turn: next, model: model)
        }
    }

    /// A turn that calls tools: `(id, name, arguments)`.
    static func calls(
        _ calls: [(String, String, String)], reasoning: String? = "I should look.", finishReason: String = "tool_calls",
        usage: TokenUsage = TokenUsage(promptTokens: 100, completionTokens: 20)
    ) -> ChatTurn {
        ChatTurn(
            content: "", reasoningContent: reasoning,
            toolCalls: calls.map { ToolCall(id: $0.0, name: $0.1, arguments: $0.2) }, finishReason: finishReason,
            usage: usage, model: "kimi-k2-thinking")
    }

    static func answer(_ text: String, finishReason: String = "stop") -> ChatTurn {
        ChatTurn(
            content: text, reasoningContent: "Done.", finishReason: finishReason,
            usage: TokenUsage(promptTokens: 100, completionTokens: 10), model: "kimi-k2-thinking")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Collects engine events.
final class EventLog: Sendable {
    private let events = Mutex<[EngineEvent]>([])
    var sink: EngineEventSink { { [self] event in events.withLock { $0.append(event) } } }
    var toolCalls: [ToolCallProgress] {
        events.withLock { $0.compactMap { if case .toolCall(let call) = $0 { return call } else { return nil } } }
    }
}

extension JSONValue {
    /// JSON text for tool-call arguments in tests.
    var json: String { serialized() }
}
