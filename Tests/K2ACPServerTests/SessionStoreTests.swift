// Session files: every record survives a round trip, corrupt lines are skipped, listing filters, sorts and pages.
import ACP
import AnyJSON
import Foundation
import K2Provider
import Logging
import Testing

@testable import K2ACPServer

@Suite struct SessionStoreTests {
    private func store(_ directory: String) -> SessionStore {
        SessionStore(environment: ["XDG_STATE_HOME": directory], logger: Logger(label: "test"))
    }

    private func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("k2acp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func header(_ id: String, cwd: String = "/work/app") -> SessionRecord.Header {
        SessionRecord.Header(sessionID: id, cwd: cwd, additionalDirectories: [], createdAt: "2026-01-01T00:00:00Z")
    }

    @Test func everyRecordRoundTripsAndTheFileIsTheUsersOnly() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sessions = store(directory)
        let file = try #require(sessions.create(header("sess_a")))
        let assistant = ChatMessage(
            role: .assistant, content: "Reading.", reasoningContent: "Look first.",
            toolCalls: [ToolCall(id: "functions.read_file:0", name: "read_file", arguments: #"{"path":"a"}"#)])
        let records: [SessionRecord] = [
            .prompt([.text("Hi"), .resourceLink(uri: "file:///work/app/a.swift", name: "a.swift", mimeType: nil)]),
            .message(.user("Instruction: Hi")),
            .message(assistant),
            .message(.tool(callID: "functions.read_file:0", name: "read_file", content: "a: all 1 lines")),
            .toolCall(ToolCallInfo(toolCallId: "functions.read_file:0", title: "Read a", kind: .read, status: .completed)),
            .choices(SessionChoices(model: .thinking, mode: .auto)),
            .title("Hi"),
            .agentText("> a notice"),
        ]
        for record in records { file.append(record) }
        let (read, _) = try sessions.open("sess_a")
        #expect(read.count == records.count + 1)
        guard case .header(let restored) = read[0] else { Issue.record("no header first"); return }
        #expect(restored == header("sess_a"))
        guard case .message(let message) = read[3] else { Issue.record("no assistant message"); return }
        #expect(message == assistant)
        guard case .choices(let choices) = read[6] else { Issue.record("no choices"); return }
        #expect(choices == SessionChoices(model: .thinking, mode: .auto))
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: directory + "/k2lsp/sessions")
        #expect(folder[.posixPermissions] as? Int == 0o700)
    }

    @Test func aCorruptLineIsSkippedAndTheRestIsRead() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sessions = store(directory)
        let file = try #require(sessions.create(header("sess_b")))
        file.append(.message(.user("before")))
        let handle = try #require(FileHandle(forWritingAtPath: file.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"type\":\"message\",\"mess\n\u{FF}garbage\n{\"type\":\"unknown\"}\n".utf8))
        try handle.close()
        file.append(.message(.user("after")))
        let (records, _) = try sessions.open("sess_b")
        let texts = records.compactMap { record -> String? in
            if case .message(let message) = record { return message.content }
            return nil
        }
        #expect(texts == ["before", "after"])
    }

    @Test func listingShowsPromptedSessionsNewestFirstFilteredAndPaged() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sessions = store(directory)
        for number in 0..<(SessionStore.pageSize + 2) {
            let file = try #require(sessions.create(header(String(format: "sess_%03d", number))))
            file.append(.title("Session \(number)"))
            let date = Date(timeIntervalSince1970: 1_800_000_000 + Double(number))
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: file.path)
        }
        _ = sessions.create(header("sess_unprompted"))
        let elsewhere = try #require(sessions.create(header("sess_elsewhere", cwd: "/other")))
        elsewhere.append(.title("Elsewhere"))

        let first = try sessions.list(cwd: "/work/app", cursor: nil)
        #expect(first.sessions.count == SessionStore.pageSize)
        #expect(first.sessions.first?.sessionId == String(format: "sess_%03d", SessionStore.pageSize + 1))
        #expect(first.sessions.first?.title == "Session \(SessionStore.pageSize + 1)")
        let second = try sessions.list(cwd: "/work/app", cursor: first.nextCursor)
        #expect(second.sessions.map(\.sessionId) == ["sess_001", "sess_000"])
        #expect(second.nextCursor == nil)
        #expect(try sessions.list(cwd: "/other", cursor: nil).sessions.map(\.sessionId) == ["sess_elsewhere"])
        #expect(throws: ACPFailure.self) { try sessions.list(cwd: nil, cursor: "not-a-cursor") }
    }

    @Test(arguments: ["sess_0a", "A-b_9"]) func validIDs(_ id: String) {
        #expect(SessionStore.isValidID(id))
    }

    @Test(arguments: ["", "../x", "a/b", "a.b", "sess id", String(repeating: "a", count: 129)])
    func invalidIDsNameNoFile(_ id: String) throws {
        #expect(!SessionStore.isValidID(id))
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ACPFailure.self) { try store(directory).open(id) }
    }

    @Test func withoutAStateOrHomeFolderNothingIsKept() {
        let sessions = SessionStore(environment: [:], logger: Logger(label: "test"))
        #expect(sessions.directory == nil)
        #expect(sessions.create(header("sess_c")) == nil)
        #expect((try? sessions.list(cwd: nil, cursor: nil))?.sessions == [])
    }
}
