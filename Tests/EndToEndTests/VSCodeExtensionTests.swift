// editors/vscode cannot be built here (no npm registry); these check its manifest against the running server.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite struct VSCodeExtensionTests {
    static let folder = EditorPlugins.editorsFolder + "/vscode"

    static func manifest() throws -> JSONValue {
        try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: folder + "/package.json")))
    }

    @Test func contributesExactlyTheCommandsTheServerAdvertises() async throws {
        // The server's list, as an editor sees it in the initialize result of the running binary.
        let server = try LSPTestClient(arguments: ["serve"])
        defer { server.terminate() }
        let result = try await server.initialize(capabilities: EditorSession.fullCapabilities)
        let advertised = result["capabilities"]?["executeCommandProvider"]?["commands"]?.arrayValue?.compactMap(\.stringValue)
        let contributed = try Self.manifest()["contributes"]?["commands"]?.arrayValue?.compactMap { $0["command"]?.stringValue }
        #expect(advertised?.isEmpty == false)
        #expect(contributed == advertised, "package.json contributes \(contributed ?? []), k2lsp advertises \(advertised ?? [])")
    }

    @Test func menusUseOnlyContributedCommands() throws {
        let manifest = try Self.manifest()
        let contributed = Set(manifest["contributes"]?["commands"]?.arrayValue?.compactMap { $0["command"]?.stringValue } ?? [])
        for (menu, entries) in manifest["contributes"]?["menus"]?.objectValue ?? [:] {
            for entry in entries.arrayValue ?? [] {
                let command = entry["command"]?.stringValue ?? ""
                #expect(contributed.contains(command), "menu \(menu) uses \(command), which package.json does not contribute")
            }
        }
    }

    /// VS Code ignores workspace and folder values of `application`- and `machine`-scoped settings, so a cloned
    /// repository's .vscode/settings.json can set none of them (binary, endpoint, key variable).
    @Test func everySettingIsUserLevelOnly() throws {
        let properties = try #require(Self.manifest()["contributes"]?["configuration"]?["properties"]?.objectValue)
        #expect(!properties.isEmpty)
        for (key, property) in properties {
            let scope = property["scope"]?.stringValue
            #expect(scope == "application" || scope == "machine", "\(key) has scope \(scope ?? "window (the default)")")
        }
        let source = try String(contentsOfFile: Self.folder + "/src/extension.ts", encoding: .utf8)
        // Settings are read with inspect(...).globalValue, never with get(), which would merge workspace values.
        #expect(source.contains(".inspect<T>(key)?.globalValue"))
        #expect(!source.contains("getConfiguration('k2lsp').get"))
    }
}
