// editors/ as users copy it: every folder has a README listed in the index, the Helix and Zed files parse and start
// `k2lsp serve`, and every ACP snippet (Zed, JetBrains, CodeCompanion, avante.nvim, agent-shell) starts `k2lsp acp`.
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
        #expect(Set(folders) == ["neovim", "emacs", "vscode", "helix", "zed", "jetbrains"])
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
        #expect(parsed["agent_servers"]?["K2 (k2lsp)"] == ["type": "custom", "command": "k2lsp", "args": ["acp"], "env": [:]])
    }

    @Test func jetBrainsStartsTheAgent() throws {
        let config = try JSONValue(parsing: Data(try Self.read("jetbrains/acp.json").utf8))
        let agent = try #require(config["agent_servers"]?["K2 (k2lsp)"])
        #expect(agent["args"] == ["acp"])
        #expect(agent["command"]?.stringValue?.hasSuffix("/k2lsp") == true)
        #expect(agent["env"]?["K2_API_KEY"] != nil)
    }

    /// The Neovim snippets run against stand-ins for the plugins they configure, which record what they get.
    @Test(.enabled(if: ExternalTools.available("nvim"), "nvim is not installed"))
    func neovimSnippetsStartTheAgent() async throws {
        let nvim = try #require(ExternalTools.find("nvim"), "nvim must be installed (.ci/install-editors)")
        let scratch = try TemporaryDirectory(prefix: "k2lsp-acp-snippets")
        let script = try scratch.write(
            "check.lua",
            """
            local seen = {}
            package.preload['codecompanion'] = function() return { setup = function(config) seen.codecompanion = config end } end
            package.preload['codecompanion.adapters'] = function()
              return { extend = function(base, fields) fields.extends = base return fields end }
            end
            package.preload['avante'] = function() return { setup = function(config) seen.avante = config end } end
            dofile('\(Self.folder)/neovim/acp/codecompanion.lua')
            dofile('\(Self.folder)/neovim/acp/avante.lua')
            local adapter = seen.codecompanion.adapters.acp.k2lsp()
            local out = io.open('\(scratch.path)/out.json', 'w')
            out:write(vim.json.encode({
              extends = adapter.extends, command = adapter.commands.default,
              chat = seen.codecompanion.interactions.chat.adapter,
              provider = seen.avante.provider, avante = seen.avante.acp_providers.k2lsp,
            }))
            out:close()
            vim.cmd('qa!')
            """)
        let run = try await ExternalTools.run(nvim, ["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile \(script)"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let seen = try JSONValue(parsing: Data(try scratch.read("out.json").utf8))
        #expect(seen["extends"] == "kimi_cli")
        #expect(seen["command"] == ["k2lsp", "acp"])
        #expect(seen["chat"] == "k2lsp")
        #expect(seen["provider"] == "k2lsp")
        #expect(seen["avante"]?["command"] == "k2lsp")
        #expect(seen["avante"]?["args"] == ["acp"])
    }

    /// The agent-shell file loads against a stand-in for agent-shell and builds a client that runs `k2lsp acp`.
    @Test(.enabled(if: ExternalTools.available("emacs"), "emacs is not installed"))
    func agentShellConfigurationStartsTheAgent() async throws {
        let emacs = try #require(ExternalTools.find("emacs"), "emacs must be installed (.ci/install-editors)")
        let script = """
            (progn
            (require 'cl-lib)
            (defvar k2t-client nil)
            (cl-defun agent-shell-make-agent-config (&rest config) config)
            (cl-defun agent-shell--make-acp-client (&key command command-params environment-variables context-buffer)
              (setq k2t-client (list command command-params)))
            (defun agent-shell--dwim (&rest _) nil)
            (provide 'agent-shell)
            (load "\(Self.folder)/emacs/k2lsp-agent-shell.el" nil t)
            (let ((config (k2lsp-agent-shell-make-config)))
              (funcall (plist-get config :client-maker) (current-buffer))
              (princ (format "%S %S" (plist-get config :identifier) k2t-client))))
            """
        let run = try await ExternalTools.run(emacs, ["--batch", "-Q", "--eval", script])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == #"k2lsp ("k2lsp" ("acp"))"#)
    }
}
