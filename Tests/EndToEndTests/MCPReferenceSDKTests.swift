// k2lsp's MCP client against a server written with the reference Python SDK (PyPI `mcp`): stdio, and streamable
// HTTP answering with an event stream and with JSON. CI installs the SDK; elsewhere the tests skip without it.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

enum ReferenceMCPSDK {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MCPReference/reference_server.py").path

    /// Whether the tests run: the SDK imports, or CI requires them (`K2LSP_REQUIRE_MCP_SDK=1`, set by .ci/run after
    /// installing it), in which case a missing SDK fails them.
    static let shouldRun: Bool = {
        if ProcessInfo.processInfo.environment["K2LSP_REQUIRE_MCP_SDK"] == "1" { return true }
        guard let python = ExternalTools.find("python3") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import mcp.server.mcpserver"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static let skipReason: Comment =
        "the reference Python MCP SDK is not importable here: pip install mcp (CI installs it and sets K2LSP_REQUIRE_MCP_SDK=1)"

    /// The reference server in an HTTP mode, and the port it chose.
    final class HTTPServer: Sendable {
        let port: Int
        private let process: Process

        private init(port: Int, process: Process) {
            self.port = port
            self.process = process
        }

        static func start(json: Bool) async throws -> HTTPServer {
            let python = try #require(ExternalTools.find("python3"))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script, json ? "http-json" : "http"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let line = try await Task.detached {
                var bytes: [UInt8] = []
                while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
                    bytes.append(byte)
                }
                return String(decoding: bytes, as: UTF8.self)
            }.value
            guard line.hasPrefix("PORT="), let port = Int(line.dropFirst(5)) else {
                process.terminate()
                throw TestSupportError("the reference server did not say its port (got '\(line)')")
            }
            // Uvicorn binds after printing; wait until it accepts connections (bounded).
            for _ in 0..<300 {
                if LoopbackPort.acceptsConnections(port) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            return HTTPServer(port: port, process: process)
        }

        /// A test server has nothing to save: SIGKILL (a SIGTERM would be blocked, as the child inherits the mask of
        /// the Swift thread that started it).
        func stop() async {
            kill(process.processIdentifier, SIGKILL)
            for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }
}

/// Whether something listens on 127.0.0.1:port.
enum LoopbackPort {
    static func acceptsConnections(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return connected == 0
    }
}

private func toolCall(_ id: String, _ name: String, _ arguments: JSONValue) -> ScriptedReply {
    .text("", reasoning: "Use it.", toolCalls: [ScriptedToolCall(id: id, name: name, arguments: arguments.serialized())])
}

@Suite(.serialized, .enabled(if: ReferenceMCPSDK.shouldRun, ReferenceMCPSDK.skipReason))
struct MCPReferenceSDKTests {
    /// Lists the reference server's tools, then runs three of them through the agent: a result, an integer result,
    /// and a tool error.
    private func exercise(serverConfig: String) async throws {
        let sandbox = try await CLISandbox.start()
        defer { Task { await sandbox.finish() } }
        try sandbox.home.write(".config/k2lsp/config.yaml", "mcp_servers:\n  ref: \(serverConfig)\n")
        let listing = try await sandbox.run(["mcp", "list", "--json"])
        let servers = try #require(try JSONValue(parsing: Data(listing.stdout.utf8)).arrayValue, "\(listing)")
        #expect(servers.first?["state"] == "started", "\(listing)")
        #expect(servers.first?["protocolRevision"] == "2025-11-25")
        #expect(
            servers.first?["tools"]?.arrayValue?.compactMap { $0["modelName"]?.stringValue }
                == ["mcp__ref__broken", "mcp__ref__reverse", "mcp__ref__word_count"])

        sandbox.model.enqueue(toolCall("functions.mcp__ref__reverse:0", "mcp__ref__reverse", ["text": "k2lsp"]))
        sandbox.model.enqueue(
            toolCall("functions.mcp__ref__word_count:1", "mcp__ref__word_count", ["text": "a bb ccc", "minimum_length": 2]))
        sandbox.model.enqueue(toolCall("functions.mcp__ref__broken:2", "mcp__ref__broken", [:]))
        sandbox.model.enqueue(.text("Done."))
        let result = try await sandbox.run(["agent", "-m", "use the reference server"])
        #expect(result.exitCode == 0, "\(result)")
        let answers = sandbox.model.chatRequests.last?.json?["messages"]?.arrayValue?.filter { $0["role"] == "tool" } ?? []
        #expect(answers.map { $0["content"]?.stringValue ?? "" }.prefix(2) == ["psl2k", "2"])
        #expect(answers.last?["content"]?.stringValue?.hasPrefix("Error: MCP server 'ref' reports that broken failed:") == true)
        #expect(answers.last?["content"]?.stringValue?.contains("the reference tool failed on purpose") == true)
        let word = sandbox.model.chatRequests.first?.json?["tools"]?.arrayValue?.first {
            $0["function"]?["name"] == "mcp__ref__word_count"
        }
        #expect(word?["function"]?["parameters"]?["properties"]?["minimum_length"]?["type"] == "integer")
    }

    @Test func stdio() async throws {
        try await exercise(serverConfig: "{ command: python3, args: [\(ReferenceMCPSDK.script), stdio], auto_approve: true }")
    }

    @Test func streamableHTTPAnsweringWithAnEventStream() async throws {
        try await exerciseHTTP(json: false)
    }

    @Test func streamableHTTPAnsweringWithJSON() async throws {
        try await exerciseHTTP(json: true)
    }

    private func exerciseHTTP(json: Bool) async throws {
        let server = try await ReferenceMCPSDK.HTTPServer.start(json: json)
        do {
            try await exercise(serverConfig: "{ url: \"http://127.0.0.1:\(server.port)/mcp\", auto_approve: true }")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
