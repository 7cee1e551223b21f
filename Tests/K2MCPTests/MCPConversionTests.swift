// Pure conversions of the MCP client: schemas for K2, results for the model, ${VAR} expansion, event-stream bodies.
import AnyJSON
import Foundation
import MCP
import Testing

@testable import K2MCP

@Suite struct SchemaSimplifierTests {
    @Test func boundsAndFormatsBecomeWords() {
        let schema: JSONValue = [
            "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "title": "Args",
            "properties": [
                "limit": ["type": "integer", "minimum": 1, "maximum": 100, "default": 10, "description": "How many."],
                "since": ["type": "string", "format": "date-time"],
                "tags": ["type": "array", "items": ["type": "string", "maxLength": 20], "minItems": 1],
            ],
            "required": ["limit"], "additionalProperties": false,
        ]
        #expect(
            MCPSchemaSimplifier.simplify(schema)
                == [
                    "type": "object",
                    "properties": [
                        "limit": ["type": "integer", "description": "How many. (at least 1; at most 100; default: 10)"],
                        "since": ["type": "string", "description": "(format: date-time)"],
                        "tags": [
                            "type": "array", "items": ["type": "string", "description": "(at most 20 characters)"],
                            "description": "(at least 1 items)",
                        ],
                    ],
                    "required": ["limit"], "additionalProperties": false,
                ])
    }

    @Test func unionsReferencesAndEnums() {
        let schema: JSONValue = [
            "type": "object",
            "$defs": ["Priority": ["type": "string", "enum": ["low", "high"]]],
            "properties": [
                "priority": ["$ref": "#/$defs/Priority", "description": "Urgency."],
                "owner": ["anyOf": [["type": "string"], ["type": "null"]]],
                "count": ["type": ["integer", "null"]],
                "mode": ["enum": ["a", 1, true]],
                "fixed": ["const": "v1"],
                "self": ["$ref": "#/$defs/Missing"],
            ],
        ]
        #expect(
            MCPSchemaSimplifier.simplify(schema)
                == [
                    "type": "object",
                    "properties": [
                        "priority": ["type": "string", "enum": ["low", "high"], "description": "Urgency."],
                        "owner": ["type": "string"],
                        "count": ["type": "integer"],
                        "mode": ["description": "(one of: a, 1, true)"],
                        "fixed": ["type": "string", "enum": ["v1"]],
                        "self": ["type": "object"],
                    ],
                ])
    }

    @Test func aMissingOrOddRootBecomesAnEmptyObject() {
        #expect(MCPSchemaSimplifier.simplify(.null) == ["type": "object", "properties": [:]])
        #expect(MCPSchemaSimplifier.simplify(["type": "object"]) == ["type": "object", "properties": [:]])
    }

    @Test func recursiveDefinitionsStop() {
        let schema: JSONValue = [
            "type": "object",
            "$defs": ["Node": ["type": "object", "properties": ["child": ["$ref": "#/$defs/Node"]]]],
            "properties": ["root": ["$ref": "#/$defs/Node"]],
        ]
        let simplified = MCPSchemaSimplifier.simplify(schema)
        #expect(simplified["properties"]?["root"]?["properties"]?["child"] == ["type": "object"])
    }
}

@Suite struct ResultTextTests {
    @Test func contentIsRenderedInOrder() {
        let result = CallTool.Result(content: [
            .text(text: "first", annotations: nil, _meta: nil),
            .audio(data: String(repeating: "A", count: 4 * 1024 * 1024 / 3 * 2), mimeType: "audio/wav", annotations: nil, _meta: nil),
            .resource(resource: .text("# Notes", uri: "file:///notes.md"), annotations: nil, _meta: nil),
            .resourceLink(uri: "https://t.example/1", name: "issue-1", title: "Issue 1", description: "Open bug"),
        ])
        #expect(
            MCPResultText.render(result)
                == "first\n[Audio (audio/wav, 2.0 MB) that is not played: you read text only.]\n[Resource file:///notes.md]\n# Notes\n[Link to resource \"Issue 1\": https://t.example/1 — Open bug]")
    }

    @Test func structuredContentStandsInForMissingText() {
        let structured: Value? = ["count": 3]
        #expect(MCPResultText.render(CallTool.Result(content: [], structuredContent: structured)) == #"{"count":3}"#)
        #expect(MCPResultText.render(CallTool.Result(content: [])) == "(The tool returned no content.)")
    }
}

@Suite struct VariableExpansionTests {
    @Test(arguments: [
        ("Bearer ${TOKEN}", "Bearer secret-token-1"),
        ("${MISSING:-fallback}", "fallback"),
        ("${EMPTY:-used}", "used"),
        ("$HOME and $${TOKEN}", "$HOME and ${TOKEN}"),
        ("no references", "no references"),
        ("${TOKEN", "${TOKEN"),
    ])
    func references(value: String, expanded: String) throws {
        var expansion = MCPVariableExpansion(environment: ["TOKEN": "secret-token-1", "EMPTY": ""])
        #expect(try expansion.expand(value, in: "x") == expanded)
    }

    @Test func substitutedValuesAreCollectedForRedaction() throws {
        var expansion = MCPVariableExpansion(environment: ["TOKEN": "secret-token-1", "SHORT": "ab"])
        _ = try expansion.expand("${TOKEN} ${SHORT}", in: "x")
        #expect(expansion.substitutedValues == ["secret-token-1"])
        #expect(throws: MCPStartFailure.missingVariable(name: "NOPE", field: "mcp_servers.a.url")) {
            try expansion.expand("${NOPE}", in: "mcp_servers.a.url")
        }
    }
}

@Suite struct EventStreamBodyTests {
    @Test func jsonPassesAndEventStreamsSplit() {
        let json = Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8)
        #expect(PumpedTransport.messages(in: json) == [json])
        let stream = Data(
            "event: message\r\nid: 7\r\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\r\n\r\n: keep-alive\n\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\nevent: ping\ndata: x\n\n"
                .utf8)
        #expect(
            PumpedTransport.messages(in: stream).map { String(decoding: $0, as: UTF8.self) } == [
                #"{"jsonrpc":"2.0","method":"notifications/progress"}"#, #"{"jsonrpc":"2.0","id":1,"result":{}}"#,
            ])
    }
}
