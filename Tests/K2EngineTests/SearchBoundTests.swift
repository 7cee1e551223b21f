// The agent's regex search is bounded: a backtracking pattern ends with a tool error, and cancelling stops it.
import AnyJSON
import Foundation
import K2Engine
import Testing

@Suite struct SearchBoundTests {
    /// `(a|aa)+$` over a long run of `a` that ends in `b` backtracks for minutes (100 s at 5,000 characters).
    static let backtracking: JSONValue = ["query": "(a|aa)+$", "regex": true]
    static let files = ["long.txt": String(repeating: "a", count: 10_000) + "b\n", "other.txt": "aa\n"]

    @Test(.timeLimit(.minutes(1))) func aBacktrackingPatternEndsWithAToolError() async throws {
        let fixture = try await AgentFixture(Self.files)
        let tool = SearchTool(regexTimeLimit: .milliseconds(200))
        await #expect {
            _ = try await tool.run(Self.backtracking, in: fixture.workspace)
        } throws: { error in
            let message = (error as? ToolError)?.message ?? ""
            return message.contains("took longer than") && message.contains("Simplify it")
        }
    }

    @Test(.timeLimit(.minutes(1))) func cancellingStopsTheMatch() async throws {
        let fixture = try await AgentFixture(Self.files)
        let tool = SearchTool(regexTimeLimit: .seconds(3600))
        let search = Task { try await tool.run(Self.backtracking, in: fixture.workspace) }
        try await Task.sleep(for: .milliseconds(200))
        search.cancel()
        await #expect(throws: CancellationError.self) { try await search.value }
    }

    @Test func ordinaryPatternsStillMatchWithinTheBudget() async throws {
        let fixture = try await AgentFixture(["a.swift": "let total = 1\nlet count = 2\n", "b.swift": "total += 1\n"])
        let result = try await SearchTool(regexTimeLimit: .seconds(600)).run(
            ["query": "^let (total|count)", "regex": true], in: fixture.workspace)
        #expect(result == "2 matches for the pattern ^let (total|count) in 1 file:\na.swift:1: let total = 1\na.swift:2: let count = 2")
    }
}
