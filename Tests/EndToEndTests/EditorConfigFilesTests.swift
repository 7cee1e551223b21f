// editors/ as users copy it: every folder has a README listed in the index, and the Helix and Zed files parse and
// start `k2lsp serve`.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite struct EditorConfigFilesTests {
    static let folder = EditorPlugins.editorsFolder

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: folder + "/" + path, encoding: .utf8)
    }

    @Test func everyEditorFolderHasAReadmeInTheIndex() throws {
        let index = try Self.read("README.md")
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: Self.folder + "/" + $0, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
        #expect(Set(folders) == ["neovim", "emacs", "vscode", "helix", "zed"])
        for name in folders {
            #expect(FileManager.default.fileExists(atPath: "\(Self.folder)/\(name)/README.md"), "\(name) has no README")
            #expect(index.contains("](\(name)/README.md)"), "editors/README.md does not link \(name)")
        }
    }

    /// TOML through Python's tomllib (the test machines have Python for the Neovim wheel).
    static func parseTOML(_ path: String) async throws -> JSONValue {
        let python = try #require(ExternalTools.find("python3"), "python3 is needed to parse TOML")
        let run = try await ExternalTools.run(
            python, ["-c", "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))", path])
        #expect(run.exitCode == 0, "\(path) is not valid TOML: \(run.stderr)")
        return try JSONValue(parsing: Data(run.stdout.utf8))
    }

    @Test(.enabled(if: ExternalTools.find("python3") != nil, "python3 is not installed"))
    func helixStartsTheServerForEveryLanguageItLists() async throws {
        let toml = try await Self.parseTOML(Self.folder + "/helix/languages.toml")
        let server = try #require(toml["language-server"]?["k2lsp"])
        #expect(server["command"] == "k2lsp")
        #expect(server["args"] == ["serve"])
        let languages = try #require(toml["language"]?.arrayValue)
        #expect(!languages.isEmpty)
        for language in languages {
            let servers = language["language-servers"]?.arrayValue ?? []
            let k2 = servers.first { $0["name"] == "k2lsp" }
            #expect(k2?["only-features"] == ["completion", "code-action"], "\(language["name"]?.stringValue ?? "?")")
            #expect(servers.count > 1, "\(language["name"]?.stringValue ?? "?") keeps its usual server")
        }
    }

    @Test(.enabled(if: ExternalTools.find("python3") != nil, "python3 is not installed"))
    func zedExtensionDeclaresTheServerAndSettingsParse() async throws {
        let manifest = try await Self.parseTOML(Self.folder + "/zed/extension/extension.toml")
        #expect(manifest["language_servers"]?["k2lsp"]?["languages"]?.arrayValue?.isEmpty == false)
        let source = try Self.read("zed/extension/src/lib.rs")
        #expect(source.contains(#"worktree.which("k2lsp")"#) && source.contains(#"vec!["serve".to_string()]"#))
        // Zed's settings are JSON with comments.
        let settings = try Self.read("zed/settings.json")
        let json = settings.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
        let parsed = try JSONValue(parsing: Data(json.utf8))
        #expect(parsed["languages"]?["Python"]?["language_servers"] == ["...", "k2lsp"])
        #expect(settings.contains("ACP agent panel"), "the place for the ACP entry is marked")
    }
}
