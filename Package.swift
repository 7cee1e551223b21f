// swift-tools-version: 6.0
// The k2lsp package: one target per layer; arrows in README's code map point the way imports may go.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "k2lsp",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "k2lsp", targets: ["k2lsp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        // A JSON value type shared by the wire layers; knows nothing else.
        .target(name: "AnyJSON", swiftSettings: strictSettings),
        // JSON-RPC 2.0 with LSP base-protocol framing; knows nothing of LSP or K2.
        .target(name: "JSONRPC", dependencies: ["AnyJSON"], swiftSettings: strictSettings),
        // Codable LSP 3.17/3.18 subset plus k2/* extensions.
        .target(name: "LSP", dependencies: ["JSONRPC", "AnyJSON"], swiftSettings: strictSettings),
        // The model catalog (ids, thinking switches, sampling, limits, retired ids) as data; read by the configuration
        // (user overrides) and the provider (request bodies).
        .target(name: "K2Models", dependencies: ["AnyJSON"], swiftSettings: strictSettings),
        // Codable Agent Client Protocol v1 subset (schema/v1/schema.json): the messages `k2lsp acp` speaks.
        .target(name: "ACP", dependencies: ["JSONRPC", "AnyJSON"], swiftSettings: strictSettings),
        // Documents, positions, files on disk, ignore rules and the secret list.
        .target(name: "K2Workspace", swiftSettings: strictSettings),
        // YAML + environment + editor settings -> typed, validated configuration; model choice.
        .target(
            name: "K2Config",
            dependencies: ["K2Models", "AnyJSON", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // The OpenAI-compatible chat client: wire format, SSE, retries. The only target that knows HTTP.
        .target(
            name: "K2Provider",
            dependencies: [
                "AnyJSON", "K2Models",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Gathers and budgets what the model sees.
        .target(
            name: "K2Context",
            dependencies: ["K2Workspace"],
            swiftSettings: strictSettings
        ),
        // Commands, edit plans, inline completion, the agent loop and its tools. Speaks no protocol.
        .target(
            name: "K2Engine",
            dependencies: [
                "AnyJSON", "K2Context", "K2Provider", "K2Config", "K2Models", "K2Workspace",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The language server: lifecycle, scheduling, LSP <-> engine conversions. The only target that knows LSP.
        .target(
            name: "K2Server",
            dependencies: [
                "AnyJSON", "JSONRPC", "LSP", "K2Engine", "K2Context", "K2Config", "K2Provider", "K2Workspace",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The MCP client: configured servers as agent tools (stdio and streamable HTTP), on the MCP Swift SDK.
        .target(
            name: "K2MCP",
            dependencies: [
                "AnyJSON", "K2Engine", "K2Config", "K2Provider", "K2Workspace",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The ACP agent: sessions, prompt turns, ACP <-> engine conversions. The only target that knows ACP.
        .target(
            name: "K2ACPServer",
            dependencies: [
                "ACP", "AnyJSON", "JSONRPC", "K2Engine", "K2Config", "K2Provider", "K2Workspace",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The command line: serve, acp, doctor, config, context, edit, agent, complete, mcp.
        .executableTarget(
            name: "k2lsp",
            dependencies: [
                "K2Server", "K2ACPServer", "K2Engine", "K2MCP", "K2Context", "K2Provider", "K2Config", "K2Models",
                "K2Workspace",
                "AnyJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Test-only: the scripted K2 server on loopback, an LSP client for the binary or the in-process server, fixtures.
        .target(
            name: "K2TestSupport",
            dependencies: [
                "AnyJSON", "JSONRPC", "K2Server", "K2Workspace",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strictSettings
        ),
        // Test-only: the MCP server of K2TestSupport as a program, for tests that start MCP servers as k2lsp does.
        .executableTarget(
            name: "k2-test-mcp-server",
            dependencies: ["K2TestSupport"],
            path: "Tests/MCPTestServer",
            swiftSettings: strictSettings
        ),
        // `swift run -c release k2-context-benchmark`: index and bundle timings on generated workspaces.
        .executableTarget(
            name: "k2-context-benchmark",
            dependencies: ["K2Context", "K2Workspace"],
            path: "Benchmarks/ContextBenchmark",
            swiftSettings: strictSettings
        ),
        // `swift run -c release k2-edit-benchmark`: turning very large replies into edits and diffs.
        .executableTarget(
            name: "k2-edit-benchmark",
            dependencies: ["K2Engine", "K2Workspace"],
            path: "Benchmarks/EditBenchmark",
            swiftSettings: strictSettings
        ),
        // `swift run -c release k2-document-benchmark`: applying one large didChange batch.
        .executableTarget(
            name: "k2-document-benchmark",
            dependencies: ["K2Workspace"],
            path: "Benchmarks/DocumentBenchmark",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "AnyJSONTests", dependencies: ["AnyJSON"], swiftSettings: strictSettings),
        .testTarget(
            name: "JSONRPCTests", dependencies: ["JSONRPC", "AnyJSON", "K2TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "K2WorkspaceTests", dependencies: ["K2Workspace", "K2TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "K2ConfigTests", dependencies: ["K2Config", "K2Models", "AnyJSON"], swiftSettings: strictSettings),
        .testTarget(name: "K2ModelsTests", dependencies: ["K2Models", "AnyJSON"], swiftSettings: strictSettings),
        .testTarget(
            name: "K2ProviderTests",
            dependencies: ["K2Provider", "K2Models", "K2TestSupport", "AnyJSON"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "K2ContextTests",
            dependencies: ["K2Context", "K2Workspace", "K2Config", "K2TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "K2MCPTests",
            dependencies: [
                "K2MCP", "K2Engine", "K2Config", "K2Provider", "K2Workspace", "K2TestSupport", "AnyJSON",
                "k2-test-mcp-server",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "K2EngineTests",
            dependencies: [
                "K2Engine", "K2Context", "K2Provider", "K2Config", "K2Models", "K2Workspace", "K2TestSupport", "AnyJSON",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Golden", "ReplyCorpus"],
            swiftSettings: strictSettings
        ),
        // The server in the test process: registry, scheduling and reply rules, over in-memory pipes.
        .testTarget(
            name: "K2ServerTests",
            dependencies: ["K2Server", "LSP", "JSONRPC", "AnyJSON", "K2TestSupport"],
            swiftSettings: strictSettings
        ),
        // The ACP agent in the test process: registry and handlers, session files, conversions.
        .testTarget(
            name: "K2ACPServerTests",
            dependencies: [
                "K2ACPServer", "ACP", "JSONRPC", "AnyJSON", "K2Engine", "K2Config", "K2Provider", "K2TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // End-to-end: spawn the built k2lsp binary and speak to it like an editor or a shell script.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["K2TestSupport", "JSONRPC", "AnyJSON", "ACP", "k2lsp", "k2-test-mcp-server"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
