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
    ],
    targets: [
        // A JSON value type shared by the wire layers; knows nothing else.
        .target(name: "AnyJSON", swiftSettings: strictSettings),
        // JSON-RPC 2.0 with LSP base-protocol framing; knows nothing of LSP or K2.
        .target(name: "JSONRPC", dependencies: ["AnyJSON"], swiftSettings: strictSettings),
        // Codable LSP 3.17/3.18 subset plus k2/* extensions.
        .target(name: "LSP", dependencies: ["JSONRPC", "AnyJSON"], swiftSettings: strictSettings),
        // Documents, positions, files on disk, ignore rules and the secret list.
        .target(name: "K2Workspace", swiftSettings: strictSettings),
        // YAML + environment + editor settings -> typed, validated configuration; model choice.
        .target(
            name: "K2Config",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // The OpenAI-compatible chat client: wire format, SSE, retries. The only target that knows HTTP.
        .target(
            name: "K2Provider",
            dependencies: [
                "AnyJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Gathers and budgets what the model sees.
        .target(
            name: "K2Context",
            dependencies: ["K2Workspace", "K2Config"],
            swiftSettings: strictSettings
        ),
        // Commands, edit plans, inline completion, the agent loop and its tools. Speaks no protocol.
        .target(
            name: "K2Engine",
            dependencies: [
                "AnyJSON", "K2Context", "K2Provider", "K2Config", "K2Workspace",
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
        // The command line: serve, doctor, config, context, edit, agent, complete.
        .executableTarget(
            name: "k2lsp",
            dependencies: [
                "K2Server", "K2Engine", "K2Context", "K2Provider", "K2Config", "K2Workspace", "AnyJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Test-only: the scripted K2 server on loopback, an LSP client that drives the binary, fixtures.
        .target(
            name: "K2TestSupport",
            dependencies: [
                "AnyJSON", "JSONRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
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
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", "AnyJSON"], swiftSettings: strictSettings),
        .testTarget(name: "K2WorkspaceTests", dependencies: ["K2Workspace"], swiftSettings: strictSettings),
        .testTarget(name: "K2ConfigTests", dependencies: ["K2Config"], swiftSettings: strictSettings),
        .testTarget(
            name: "K2ProviderTests",
            dependencies: ["K2Provider", "K2TestSupport", "AnyJSON"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "K2ContextTests",
            dependencies: ["K2Context", "K2Workspace", "K2Config"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "K2EngineTests",
            dependencies: ["K2Engine", "K2Context", "K2Provider", "K2Config", "K2Workspace", "K2TestSupport", "AnyJSON"],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
        // End-to-end: spawn the built k2lsp binary and speak to it like an editor or a shell script.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["K2TestSupport", "JSONRPC", "AnyJSON", "k2lsp"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
