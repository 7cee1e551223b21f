// A scripted editor session against the real binary for K2LSP_SOAK_SECONDS (30 s in `swift test`; run it for 600 s
// by hand): documents opened, changed and closed, completions superseded, edits, agent runs and cancellations, all at
// once. Every request must get exactly one answer, none an internal error, and memory must not grow.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

@Suite(.serialized) struct SoakTests {
    static var seconds: Int {
        Int(ProcessInfo.processInfo.environment["K2LSP_SOAK_SECONDS"] ?? "") ?? 30
    }

    @Test(.timeLimit(.minutes(30))) func aLongEditorSessionAnswersEveryRequestOnceAndKeepsItsMemory() async throws {
        let files = Dictionary(uniqueKeysWithValues: (0..<SoakDriver.fileCount).map {
            ("src/file\($0).py", (0..<40).map { line in "value_\(line) = \(line)\n" }.joined())
        })
        let session = try await EditorSession.start(files: files, arguments: ["serve"])
        defer { Task { await session.finish() } }
        session.model.respond(with: SoakDriver.reply(to:))
        let driver = SoakDriver(session: session)

        try await driver.round(0)  // Warm-up: every kind of request once, before memory is measured.
        let rssAtStart = try SoakDriver.residentMegabytes(of: session.client.processIdentifier)
        let deadline = ContinuousClock.now + .seconds(Self.seconds)
        var rounds = 1
        while ContinuousClock.now < deadline {
            try await driver.round(rounds)
            rounds += 1
        }
        let rssAtEnd = try SoakDriver.residentMegabytes(of: session.client.processIdentifier)
        let report = driver.report(rounds: rounds, seconds: Self.seconds, rssAtStart: rssAtStart, rssAtEnd: rssAtEnd)
        print(report)
        if let path = ProcessInfo.processInfo.environment["K2LSP_SOAK_REPORT"] {
            try Data(report.utf8).write(to: URL(fileURLWithPath: path))
        }

        #expect(driver.problems.isEmpty, "\(driver.problems.prefix(20))")
        #expect(session.client.framingProblems.isEmpty, "\(session.client.framingProblems)")
        #expect(driver.sent > rounds * 5, "\(report)")
        // Caches and the index settle in the warm-up; a leak of one buffer per request would pass this only by luck.
        #expect(rssAtEnd <= max(rssAtStart * 2, rssAtStart + 64), "\(report)")
        #expect(try await session.client.shutdownAndExit() == 0)
    }
}

/// Drives one session: keeps the editor's view of each document, sends each round's requests together, and checks
/// every answer.
final class SoakDriver: @unchecked Sendable {
    static let fileCount = 5

    let session: EditorSession
    /// Version and line count of each open document, by relative path; only the test's task touches it.
    private var open: [String: (version: Int, lines: Int)] = [:]
    private(set) var sent = 0
    private(set) var counts: [String: Int] = [:]
    private(set) var errorCodes: [Int: Int] = [:]
    private(set) var problems: [String] = []

    init(session: EditorSession) {
        self.session = session
    }

    private var client: LSPTestClient { session.client }

    /// What the scripted K2 answers, from the request alone: a stall for requests that are to be cancelled, a tool
    /// call then an answer for agent runs, a code block for edits, a short text for completions.
    @Sendable static func reply(to request: RecordedRequest) -> ScriptedReply? {
        let body = String(decoding: request.body, as: UTF8.self)
        if body.contains("soak-stall") { return .streamThenStall([]) }
        if body.contains("soak-agent") {
            let messages = request.json?["messages"]?.arrayValue ?? []
            if messages.last?["role"] == "tool" { return .text("Read it; nothing needs to change.") }
            return .text(
                "", toolCalls: [
                    ScriptedToolCall(id: "functions.read_file:0", name: "read_file", arguments: #"{"path":"src/file0.py"}"#)
                ])
        }
        if body.contains("soak-edit") { return .text("```python\nvalue_0 = 100\n```\nChanged it.") }
        return .text("compute()")
    }

    /// One round: document changes, then completions, edits, a cancellation and sometimes an agent run, in flight
    /// together; returns when all of them are answered.
    func round(_ number: Int) async throws {
        let path = "src/file\(number % Self.fileCount).py"
        let uri = session.workspace.uri(path)
        if let document = open[path] {
            change(path, uri: uri, document: document, number: number)
        } else {
            client.openDocument(uri: uri, text: try session.workspace.read(path), languageID: "python", version: 1)
            open[path] = (1, 41)
        }
        var pending: [(RequestID, String)] = []
        let cursor: JSONValue = ["line": 0, "character": 4]
        // Automatic completions, typed quickly: the newer supersedes the older.
        for _ in 0..<3 {
            pending.append((send("textDocument/inlineCompletion", [
                "textDocument": ["uri": .string(uri)], "position": cursor, "context": ["triggerKind": 2],
            ]), "completion"))
        }
        let firstLine: JSONValue = ["start": ["line": 0, "character": 0], "end": ["line": 1, "character": 0]]
        pending.append((send("k2/edit", [
            "textDocument": ["uri": .string(uri)], "range": firstLine, "instruction": .string("soak-edit-\(number)"),
        ]), "edit"))
        let stalled = send("k2/edit", [
            "textDocument": ["uri": .string(uri)], "range": firstLine, "instruction": .string("soak-stall-\(number)"),
        ])
        pending.append((stalled, "cancelled edit"))
        pending.append((send("k2/context", ["textDocument": ["uri": .string(uri)], "position": cursor]), "context"))
        if number % 3 == 0 {
            pending.append((send("k2/agent", [
                "instruction": .string("soak-agent-\(number): look at src/file0.py"),
                "textDocument": ["uri": .string(uri)],
            ]), "agent"))
        }
        try await Task.sleep(for: .milliseconds(20))
        client.notify("$/cancelRequest", ["id": .int(Self.number(stalled))])
        if number % 4 == 3, let document = open[path] {
            // A change while the edit may still run: it is rebased or answered -32801, never applied stale.
            change(path, uri: uri, document: document, number: number)
        }
        for (id, kind) in pending { try await check(id, kind: kind) }
        if number % 5 == 4 {
            client.notify("textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
            open[path] = nil
        }
    }

    /// Inserts a line at the top, as a typing user would.
    private func change(_ path: String, uri: String, document: (version: Int, lines: Int), number: Int) {
        let version = document.version + 1
        client.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(uri), "version": .int(version)],
            "contentChanges": [[
                "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]],
                "text": .string("typed_\(number) = \(number)\n"),
            ]],
        ])
        open[path] = (version, document.lines + 1)
    }

    private func send(_ method: String, _ params: JSONValue) -> RequestID {
        sent += 1
        return client.sendRequest(method, params)
    }

    /// Waits for the one answer; a cancelled, superseded or outdated request may answer with its error, nothing may
    /// answer with an internal error, and nothing may answer twice.
    private func check(_ id: RequestID, kind: String) async throws {
        let result = try await client.response(to: id, timeout: .seconds(120))
        counts[kind, default: 0] += 1
        if case .failure(let error) = result {
            errorCodes[error.code, default: 0] += 1
            let expected = [-32800, -32801].contains(error.code) || (kind == "cancelled edit" && error.code == -32803)
            if !expected { problems.append("\(kind) \(id): \(error.code) \(error.message)") }
        }
        let answers = client.responses(to: id).count
        if answers != 1 { problems.append("\(kind) \(id) was answered \(answers) times") }
    }

    static func number(_ id: RequestID) -> Int {
        if case .number(let value) = id { return value }
        return -1
    }

    /// VmRSS of a process, in MiB.
    static func residentMegabytes(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        return kilobytes / 1024
    }

    func report(rounds: Int, seconds: Int, rssAtStart: Int, rssAtEnd: Int) -> String {
        let kinds = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let errors = errorCodes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return """
            soak: \(seconds) s, \(rounds) rounds, \(sent) requests, each answered once (\(kinds))
            soak: errors by code: \(errors.isEmpty ? "none" : errors); model requests: \(session.model.chatRequests.count)
            soak: k2lsp RSS \(rssAtStart) MiB after the warm-up, \(rssAtEnd) MiB at the end
            """
    }
}
