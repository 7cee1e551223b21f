// Ghost text in a real editor: Neovim 0.12 asks for an inline completion in insert mode, shows it, and accepts it.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite(
    .serialized,
    .enabled(
        if: ExternalTools.editorsRequired || ExternalTools.neovim012 != nil,
        "Neovim 0.12 is not installed (run .ci/install-editors)"))
struct NeovimInlineCompletionTests {
    /// The check runs from a `<Cmd>` mapping so Neovim stays in insert mode while the reply arrives (it drops inline
    /// completions that arrive after insert mode ends).
    static let script = #"""
        local out_path = os.getenv("K2LSP_TEST_OUT")
        local result = {}
        vim.lsp.set_log_level("warn")
        local id = vim.lsp.start({ name = "k2lsp", cmd = { os.getenv("K2LSP_BINARY"), "serve" }, root_dir = vim.fn.getcwd() })
        vim.wait(10000, function() local c = vim.lsp.get_client_by_id(id); return c ~= nil and c.initialized end, 10)
        vim.lsp.inline_completion.enable(true)
        vim.api.nvim_win_set_cursor(0, { 2, 10 })
        local ns = vim.api.nvim_create_namespace("nvim.lsp.inline_completion")
        function _G.k2_check()
          result.mode = vim.api.nvim_get_mode().mode
          result.shown = vim.wait(15000, function()
            return #vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true }) > 0
          end, 20)
          local marks = vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })
          if #marks > 0 then
            local texts = {}
            for _, chunk in ipairs(marks[1][4].virt_text or {}) do table.insert(texts, chunk[1]) end
            result.ghost = table.concat(texts)
          end
          result.accepted = vim.lsp.inline_completion.get()
          vim.wait(300)
          result.buffer = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
          result.log_path = vim.lsp.get_log_path()
          local file = io.open(out_path, "w"); file:write(vim.json.encode(result)); file:close()
          vim.cmd("qa!")
        end
        vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("A<Cmd>lua k2_check()<CR>", true, false, true), "n", false)
        """#

    @Test func ghostTextAppearsAndIsAccepted() async throws {
        let nvim = try #require(ExternalTools.neovim012, "Neovim 0.12 must be installed (.ci/install-editors)")
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        // The model wraps its answer in a fence and repeats the closing brace: k2lsp cleans both up.
        model.enqueue(.text("```swift\na + b\n}\n```"))
        let workspace = try TemporaryDirectory()
        try workspace.write("add.swift", "func add(_ a: Int, _ b: Int) -> Int {\n    return \n}\n")
        let script = try workspace.write("test.lua", Self.script)
        let outPath = workspace.path + "/result.json"
        let run = try await ExternalTools.run(
            nvim, ["--headless", "-u", "NONE", "-i", "NONE", "add.swift", "-c", "luafile \(script)"],
            environment: [
                "K2LSP_BINARY": try BinaryLocator.k2lspPath(), "K2LSP_TEST_OUT": outPath,
                "K2_API_BASE_URL": model.baseURL, "K2_API_KEY": "sk-test-nvim",
                "XDG_STATE_HOME": workspace.path + "/state", "XDG_CONFIG_HOME": workspace.path + "/config",
            ],
            workingDirectory: workspace.path, timeout: .seconds(60))
        #expect(!run.timedOut)
        let result = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: outPath)))
        #expect(result["mode"] == "i")
        #expect(result["shown"] == true)
        #expect(result["ghost"] == "a + b")
        #expect(result["accepted"] == true)
        #expect(result["buffer"] == "func add(_ a: Int, _ b: Int) -> Int {\n    return a + b\n}")
        let body = try #require(model.chatRequests.first?.json)
        #expect(body["messages"]?[1]?["content"]?.stringValue?.contains("return <|cursor|>") == true)
        let log = (try? String(contentsOfFile: result["log_path"]?.stringValue ?? "", encoding: .utf8)) ?? ""
        #expect(!log.contains("[ERROR]"), "Neovim's LSP log has errors:\n\(log)")
    }
}
