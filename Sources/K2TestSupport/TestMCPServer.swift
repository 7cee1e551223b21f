// A small MCP server on the SDK's server API, for tests that start MCP servers the way k2lsp does (a program on stdio).
import Foundation
import MCP

#if canImport(Glibc)
    import Glibc
#endif

/// The tools of `k2-test-mcp-server`. Each exists to make one behaviour of the client observable.
public enum TestMCPServer {
    /// Tool names as the server lists them (some need sanitising for K2).
    public static let toolNames = [
        "echo", "add", "sleep", "crash", "huge", "fail", "image", "getenv", "signals", "weird.name/with spaces",
        "a_tool_with_a_name_long_enough_that_the_prefixed_name_passes_sixty_four",
    ]

    /// Runs until stdin closes. Arguments:
    /// - `--canary PATH`: append a line to PATH at start (tests check whether the server was started);
    /// - `--stateless-only`: answer every request with the 2026-07-28 revision's refusal of `initialize`;
    /// - `--name NAME`: the server name it reports.
    /// `K2_TEST_MCP_SAY`, when set, is written to stderr at start (tests check that secrets are blanked in logs).
    public static func main(arguments: [String]) async throws {
        if let canary = value(after: "--canary", in: arguments) {
            let line = "started \(getpid())\n"
            if let handle = FileHandle(forWritingAtPath: canary) {
                handle.seekToEndOfFile()
                handle.write(Data(line.utf8))
                try? handle.close()
            } else {
                FileManager.default.createFile(atPath: canary, contents: Data(line.utf8))
            }
        }
        if let say = ProcessInfo.processInfo.environment["K2_TEST_MCP_SAY"] {
            FileHandle.standardError.write(Data("test server says: \(say)\n".utf8))
        }
        if arguments.contains("--stateless-only") {
            try await serveStatelessRefusals()
            return
        }
        let server = Server(
            name: value(after: "--name", in: arguments) ?? "k2-test-mcp-server", version: "1.0",
            capabilities: Server.Capabilities(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: tools)
        }
        await server.withMethodHandler(CallTool.self) { params in
            try await call(params.name, params.arguments ?? [:])
        }
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }

    static let tools: [Tool] = [
        Tool(
            name: "echo", description: "Echoes its text back.",
            inputSchema: [
                "type": "object", "properties": ["text": ["type": "string", "minLength": 1]], "required": ["text"],
            ],
            annotations: .init(readOnlyHint: true)),
        Tool(
            name: "add", description: "Adds two integers.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "a": ["type": "integer", "minimum": 0], "b": ["type": ["integer", "null"], "default": 1],
                ],
                "required": ["a"],
            ]),
        Tool(
            name: "sleep", description: "Waits, then answers.",
            inputSchema: ["type": "object", "properties": ["seconds": ["type": "number"]]]),
        Tool(name: "crash", description: "Exits in the middle of the call.", inputSchema: ["type": "object"]),
        Tool(
            name: "huge", description: "Returns that many characters.",
            inputSchema: ["type": "object", "properties": ["characters": ["type": "integer"]]]),
        Tool(name: "fail", description: "Reports an error.", inputSchema: ["type": "object"]),
        Tool(name: "image", description: "Returns a picture and a caption.", inputSchema: ["type": "object"]),
        Tool(
            name: "getenv", description: "The value of an environment variable of the server.",
            inputSchema: ["type": "object", "properties": ["name": ["type": "string"]], "required": ["name"]]),
        Tool(name: "signals", description: "The server's blocked signals (SigBlk).", inputSchema: ["type": "object"]),
        Tool(name: "weird.name/with spaces", description: "Has a name K2 would not accept.", inputSchema: ["type": "object"]),
        Tool(
            name: "a_tool_with_a_name_long_enough_that_the_prefixed_name_passes_sixty_four",
            description: "Has a long name.", inputSchema: ["type": "object"]),
    ]

    static func call(_ name: String, _ arguments: [String: Value]) async throws -> CallTool.Result {
        switch name {
        case "echo":
            return CallTool.Result(content: [.text(text: arguments["text"]?.stringValue ?? "", annotations: nil, _meta: nil)])
        case "add":
            let sum = (arguments["a"]?.intValue ?? 0) + (arguments["b"]?.intValue ?? 1)
            return CallTool.Result(content: [.text(text: "\(sum)", annotations: nil, _meta: nil)])
        case "sleep":
            let seconds = arguments["seconds"]?.doubleValue ?? Double(arguments["seconds"]?.intValue ?? 600)
            try await Task.sleep(for: .seconds(seconds))
            return CallTool.Result(content: [.text(text: "slept", annotations: nil, _meta: nil)])
        case "crash":
            exit(3)
        case "huge":
            let count = arguments["characters"]?.intValue ?? 300_000
            let line = String(repeating: "x", count: 99) + "\n"
            let text = String(String(repeating: line, count: count / 100 + 1).prefix(count))
            return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)])
        case "fail":
            return CallTool.Result(
                content: [.text(text: "the tracker is down", annotations: nil, _meta: nil)], isError: true)
        case "image":
            return CallTool.Result(content: [
                .image(data: String(repeating: "A", count: 4096), mimeType: "image/png", annotations: nil, _meta: nil),
                .text(text: "a red square", annotations: nil, _meta: nil),
            ])
        case "signals":
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") } ?? "SigBlk: unknown"
            return CallTool.Result(content: [.text(text: String(line), annotations: nil, _meta: nil)])
        case "getenv":
            let value = ProcessInfo.processInfo.environment[arguments["name"]?.stringValue ?? ""] ?? "(unset)"
            return CallTool.Result(content: [.text(text: value, annotations: nil, _meta: nil)])
        default:
            return CallTool.Result(content: [.text(text: "called \(name)", annotations: nil, _meta: nil)])
        }
    }

    /// What a server that speaks only the stateless 2026-07-28 revision answers to the handshake.
    private static func serveStatelessRefusals() async throws {
        while let line = readLine() {
            guard let data = line.data(using: .utf8),
                let message = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let id = message["id"]
            else { continue }
            let reply: [String: Any] = [
                "jsonrpc": "2.0", "id": id,
                "error": [
                    "code": -32022,
                    "message": "connection is serving the 2026-07-28 protocol; the initialize handshake is not accepted",
                    "data": ["supported": ["2026-07-28"]],
                ],
            ]
            let encoded = try JSONSerialization.data(withJSONObject: reply)
            FileHandle.standardOutput.write(encoded + Data("\n".utf8))
        }
    }

    private static func value(after flag: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
}
