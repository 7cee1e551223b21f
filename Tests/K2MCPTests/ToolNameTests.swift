// Model-facing names of MCP tools: K2's rule, stable, unique, deterministic when names collide.
import Testing

@testable import K2MCP

@Suite struct ToolNameTests {
    /// K2's tool-name rule (k2-notes, "Tool calling").
    static func isValidForK2(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count >= 3, name.count <= 64 else { return false }
        let letter = ("a"..."z").contains(first) || ("A"..."Z").contains(first) || first == "_"
        return letter && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }

    @Test func plainNamesArePrefixed() {
        let names = MCPToolNames.assign([MCPToolKey(server: "notes", tool: "search_notes")])
        #expect(names == ["mcp__notes__search_notes"])
    }

    @Test(arguments: [
        ("my server", "weird.name/with spaces", "mcp__my_server__weird_name_with_spaces"),
        ("données", "résumé", "mcp__donn_es__r_sum_"),
        ("", "", "mcp______"),
    ])
    func charactersOutsideTheRuleBecomeUnderscores(server: String, tool: String, expected: String) {
        let name = MCPToolNames.assign([MCPToolKey(server: server, tool: tool)])[0]
        #expect(name == expected)
        #expect(Self.isValidForK2(name))
    }

    @Test func longNamesAreCutWithAStableHash() {
        let key = MCPToolKey(server: "a-server-with-a-long-name", tool: String(repeating: "do_something_", count: 8))
        let first = MCPToolNames.assign([key])[0]
        #expect(first.count == 64)
        #expect(Self.isValidForK2(first))
        #expect(first.hasPrefix("mcp__a-server-with-a-long-name__do_something_"))
        #expect(MCPToolNames.assign([key])[0] == first)
        let other = MCPToolKey(server: key.server, tool: key.tool + "_else")
        #expect(MCPToolNames.assign([other])[0] != first)
    }

    @Test func collisionsAreResolvedTheSameWayInAnyOrder() {
        let keys = [
            MCPToolKey(server: "s", tool: "a.b"), MCPToolKey(server: "s", tool: "a_b"),
            MCPToolKey(server: "s", tool: "a b"),
        ]
        let forward = MCPToolNames.assign(keys)
        let backward = MCPToolNames.assign(keys.reversed()).reversed()
        #expect(Array(backward) == forward)
        #expect(Set(forward).count == 3)
        // The tool already spelled as K2 accepts it keeps the plain name.
        #expect(forward[1] == "mcp__s__a_b")
        #expect(forward.allSatisfy(Self.isValidForK2))
    }

    @Test func serverAndToolBoundariesCannotCollide() {
        let keys = [MCPToolKey(server: "a__b", tool: "c"), MCPToolKey(server: "a", tool: "b__c")]
        let names = MCPToolNames.assign(keys)
        #expect(Set(names).count == 2)
    }
}
