// The layering rule, checked: each target imports only the targets its layer may use (README's code map).
import Foundation
import Testing

@Suite struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Project targets each target may import (third-party and system modules are not restricted here).
    static let allowed: [String: Set<String>] = [
        "AnyJSON": [],
        "JSONRPC": ["AnyJSON"],
        "LSP": ["JSONRPC", "AnyJSON"],
        "ACP": ["JSONRPC", "AnyJSON"],
        "K2Workspace": [],
        "K2Config": [],
        "K2Provider": ["AnyJSON"],
        "K2Context": ["K2Workspace"],
        "K2Engine": ["AnyJSON", "K2Context", "K2Provider", "K2Config", "K2Workspace"],
        "K2Server": ["AnyJSON", "JSONRPC", "LSP", "K2Engine", "K2Context", "K2Config", "K2Provider", "K2Workspace"],
        "K2MCP": ["AnyJSON", "K2Engine", "K2Config", "K2Provider", "K2Workspace"],
        "K2ACPServer": ["ACP", "AnyJSON", "JSONRPC", "K2Engine", "K2Config", "K2Provider", "K2Workspace"],
        "k2lsp": [
            "K2Server", "K2ACPServer", "K2Engine", "K2MCP", "K2Context", "K2Provider", "K2Config", "K2Workspace",
            "AnyJSON",
        ],
        "K2TestSupport": ["AnyJSON", "JSONRPC"],
    ]

    /// Modules that only some layers may touch: HTTP only in the provider, LSP types only in the server, the MCP SDK
    /// only in the MCP client (and the test server).
    static let restricted: [String: Set<String>] = [
        "MCP": ["K2MCP", "K2TestSupport"],
        "AsyncHTTPClient": ["K2Provider"],
        "NIOCore": ["K2Provider", "K2TestSupport"],
        "NIOHTTP1": ["K2Provider", "K2TestSupport"],
        "NIOPosix": ["K2TestSupport"],
        "Yams": ["K2Config"],
        "ArgumentParser": ["k2lsp"],
    ]

    static func imports(of target: String) throws -> Set<String> {
        let directory = sources.appendingPathComponent(target)
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var modules = Set<String>()
        for case let file as String in enumerator where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: directory.appendingPathComponent(file).path, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { continue }
                // `import X`, `@testable import X`, `public import X`; not an `import` inside a string.
                guard words[..<index].allSatisfy({ ["@testable", "public", "package", "internal", "@_exported"].contains($0) })
                else { continue }
                modules.insert(String(words[index + 1]).split(separator: ".").first.map(String.init) ?? "")
            }
        }
        return modules
    }

    @Test(arguments: allowed.keys.sorted())
    func targetImportsOnlyItsLayers(_ target: String) throws {
        let projectTargets = Set(Self.allowed.keys)
        let imports = try Self.imports(of: target)
        #expect(!imports.isEmpty || target == "AnyJSON" || target == "K2Workspace" || target == "K2Config")
        for module in imports where projectTargets.contains(module) {
            #expect(Self.allowed[target]?.contains(module) == true, "\(target) must not import \(module)")
        }
        for (module, owners) in Self.restricted where imports.contains(module) {
            #expect(owners.contains(target), "\(target) must not import \(module)")
        }
    }
}
