// The layering rule, checked: README's code map is the one list of what each target may import, and Package.swift's
// declared dependencies and every import in Sources/ must say the same.
import Foundation
import Testing

enum Layering {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Modules every target may import: the platform, not a layer.
    static let systemModules: Set<String> = [
        "Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Musl", "Darwin", "Dispatch", "Synchronization",
        "System",
    ]

    /// Modules a package brings along with one of its products, importable wherever that product is: Yams' libyaml,
    /// whose event stream the configuration loader walks to bound a document before Yams composes it.
    static let bundledModules: [String: String] = ["CYaml": "Yams"]

    /// Modules that only some layers may touch: HTTP only in the provider, the CLI parser only in the executable, the
    /// MCP SDK only in the MCP client (and the test server).
    static let restricted: [String: Set<String>] = [
        "MCP": ["K2MCP", "K2TestSupport"],
        "AsyncHTTPClient": ["K2Provider"],
        "NIOCore": ["K2Provider", "K2TestSupport"],
        "NIOHTTP1": ["K2Provider", "K2TestSupport"],
        "NIOPosix": ["K2TestSupport"],
        "Yams": ["K2Config"],
        "CYaml": ["K2Config"],
        "ArgumentParser": ["k2lsp"],
        "LSP": ["K2Server"],
        "ACP": ["K2ACPServer"],
    ]

    /// README's code map: `Target -> A, B` lines inside the fenced block under "### Code map".
    static func readmeMap() throws -> [String: Set<String>] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let section = readme.range(of: "### Code map") else { return [:] }
        let rest = readme[section.upperBound...]
        guard let open = rest.range(of: "```\n"), let close = rest[open.upperBound...].range(of: "```") else { return [:] }
        var map: [String: Set<String>] = [:]
        for line in rest[open.upperBound..<close.lowerBound].split(separator: "\n") where !line.hasPrefix(" ") {
            let parts = line.components(separatedBy: "->")
            guard parts.count == 2 else { continue }
            let target = parts[0].trimmingCharacters(in: .whitespaces)
            let dependencies = parts[1].trimmingCharacters(in: .whitespaces)
            map[target] = dependencies == "(nothing)"
                ? [] : Set(dependencies.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        return map
    }

    /// Package.swift's targets under Sources/ and the modules each depends on (products by their module name).
    static func packageDependencies() throws -> [String: Set<String>] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var result: [String: Set<String>] = [:]
        let calls = manifest.components(separatedBy: ".target(").dropFirst().map { ($0, false) }
            + manifest.components(separatedBy: ".executableTarget(").dropFirst().map { ($0, true) }
        for (call, _) in calls {
            // The call's own text ends where its parentheses close.
            var depth = 1
            var end = call.startIndex
            while end < call.endIndex, depth > 0 {
                if call[end] == "(" { depth += 1 }
                if call[end] == ")" { depth -= 1 }
                end = call.index(after: end)
            }
            let text = String(call[..<end])
            guard let name = firstMatch(#"name:\s*"([^"]+)""#, in: text) else { continue }
            if text.contains("path:"), !text.contains("path: \"Sources") { continue }  // benchmarks
            var dependencies = Set<String>()
            if let list = text.range(of: "dependencies:") {
                var listText = String(text[list.upperBound...])
                if let closing = listText.firstIndex(of: "]") { listText = String(listText[..<closing]) }
                for product in matches(#"\.product\(name:\s*"([^"]+)""#, in: listText) { dependencies.insert(product) }
                let withoutProducts = listText.replacingOccurrences(
                    of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
                for target in matches(#""([^"]+)""#, in: withoutProducts) { dependencies.insert(target) }
            }
            result[name] = dependencies
        }
        return result
    }

    /// The modules a source text imports, in every form: `import X`, `import struct X.Y`, `@testable import X`,
    /// `@preconcurrency import X`, `@_exported import X`, `public import X`, `@_spi(S) import X`, indented under `#if`.
    static func imports(inSource text: String) -> Set<String> {
        let pattern = #"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(?:(?:struct|class|enum|protocol|typealias|func|var|let|actor)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#
        var modules = Set<String>()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let module = firstMatch(pattern, in: String(line)) { modules.insert(module) }
        }
        return modules
    }

    static func imports(ofTarget target: String) throws -> Set<String> {
        let directory = root.appendingPathComponent("Sources").appendingPathComponent(target)
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var modules = Set<String>()
        for case let file as String in enumerator where file.hasSuffix(".swift") {
            modules.formUnion(imports(inSource: try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)))
        }
        return modules
    }

    static func sourceTargets() throws -> Set<String> {
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources").path)
        return Set(names.filter { !$0.hasPrefix(".") })
    }

    private static func matches(_ pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    private static func firstMatch(_ pattern: String, in text: String) -> String? {
        matches(pattern, in: text).first
    }
}

@Suite struct LayeringTests {
    @Test func everyImportFormIsRead() {
        let source = """
            import Foundation
            import struct Logging.Logger
            @preconcurrency import Dispatch
            @_exported import AnyJSON
            public import JSONRPC
            @testable import K2Server
            @_spi(Testing) package import K2Workspace
            #if canImport(Glibc)
                import Glibc
            #endif
            let text = "import NotAModule"
            // import AlsoNotAModule
            """
        #expect(Layering.imports(inSource: source)
            == ["Foundation", "Logging", "Dispatch", "AnyJSON", "JSONRPC", "K2Server", "K2Workspace", "Glibc"])
    }

    @Test func theCodeMapListsEveryTargetAsPackageSwiftDeclaresIt() throws {
        let map = try Layering.readmeMap()
        let declared = try Layering.packageDependencies()
        #expect(Set(map.keys) == (try Layering.sourceTargets()), "README's code map lists exactly the targets in Sources/")
        #expect(Set(declared.keys) == Set(map.keys), "Package.swift declares exactly the targets of the code map")
        for (target, dependencies) in map.sorted(by: { $0.key < $1.key }) {
            #expect(declared[target] == dependencies, "\(target): Package.swift declares \(declared[target]?.sorted() ?? []), README says \(dependencies.sorted())")
        }
    }

    @Test(arguments: (try? Layering.sourceTargets().sorted()) ?? [])
    func importsAreWhatTheCodeMapSays(_ target: String) throws {
        let map = try Layering.readmeMap()
        let allowed = try #require(map[target], "\(target) is missing from README's code map")
        let imports = try Layering.imports(ofTarget: target)
        for module in imports.subtracting(Layering.systemModules).sorted() {
            let viaProduct = Layering.bundledModules[module].map(allowed.contains) ?? false
            #expect(allowed.contains(module) || viaProduct, "\(target) imports \(module), which README's code map does not allow")
        }
        let projectTargets = try Layering.sourceTargets()
        for dependency in allowed.intersection(projectTargets).sorted() {
            #expect(imports.contains(dependency), "README says \(target) uses \(dependency), but nothing imports it")
        }
        for (module, owners) in Layering.restricted where allowed.contains(module) || imports.contains(module) {
            #expect(owners.contains(target), "\(target) must not use \(module)")
        }
    }

    @Test func theWireLayersKnowNothingAboveThem() throws {
        let map = try Layering.readmeMap()
        #expect(map["AnyJSON"] == [])
        #expect(map["JSONRPC"] == ["AnyJSON"], "JSONRPC knows nothing of LSP or K2")
        #expect(map["LSP"] == ["JSONRPC", "AnyJSON"])
        for (target, dependencies) in map where target != "K2Server" && target != "K2TestSupport" {
            #expect(!dependencies.contains("LSP"), "only K2Server knows LSP, not \(target)")
        }
    }
}
