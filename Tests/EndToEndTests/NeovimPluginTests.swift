// editors/neovim in real headless Neovim 0.11 and 0.12: :K2Edit's preview accepted and rejected, ghost text, :K2Agent.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite(.serialized)
struct NeovimPluginTests {
    static let mainSwift = "let a = 1\nlet b = 2\nlet c = 3\n"

    /// Selects line 2 the way a user does (`2GV:K2Edit …`), waits for the preview, answers it with `key`.
    static func editDriver(answering key: String) -> String {
        #"""
        K2T.run(function()
          vim.bo.filetype = "swift"
          K2T.wait("k2lsp to attach", K2T.attached)
          local source = vim.api.nvim_get_current_buf()
          K2T.keys("2GV:K2Edit make b 20<CR>")
          K2T.wait("the preview", function() return K2T.buffer_named("k2lsp://preview") ~= nil end)
          result.preview = K2T.text(K2T.buffer_named("k2lsp://preview"))
          result.preview_is_current = vim.api.nvim_get_current_buf() == K2T.buffer_named("k2lsp://preview")
          result.before_answer = K2T.text(source)
          K2T.keys("\#(key)")
          K2T.wait("the preview to close", function() return K2T.buffer_named("k2lsp://preview") == nil end)
          result.after = K2T.text(source)
          result.windows = #vim.api.nvim_list_wins()
          result.progress = {}
          for _, entry in ipairs(require("k2lsp.progress").history) do
            table.insert(result.progress, (entry.title or "") .. "|" .. (entry.message or ""))
          end
          result.statusline_after = require("k2lsp").statusline()
        end)
        """#
    }

    @Test(arguments: NeovimBuild.testable, [true, false])
    func editPreviewAcceptedOrRejected(build: NeovimBuild, accept: Bool) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        model.enqueue(.text("```swift\nlet b = 20\n```\nChanged b to 20."))
        let workspace = try TemporaryDirectory()
        try workspace.write("main.swift", Self.mainSwift)
        let run = try await build.run(
            Self.editDriver(answering: accept ? "a" : "r"), opening: "main.swift", workspace: workspace, model: model)
        run.checkCompleted()
        run.check(!run.editorOutput.contains("Error"), "Neovim reported an error")
        run.check(run.string("version")?.hasPrefix(build.rawValue) == true, "ran \(build.testDescription)")
        // Nothing changes before the answer; the diff shows the one line.
        run.check(run.string("before_answer") == Self.mainSwift.dropLast().description, "the buffer changed before the answer")
        let preview = run.string("preview") ?? ""
        run.check(preview.contains("-let b = 2\n+let b = 20"), "the preview shows the change")
        run.check(preview.contains("--- a/main.swift") && preview.contains("+++ b/main.swift"), "the preview names the file")
        run.check(preview.hasPrefix("# Changed b to 20."), "the preview starts with K2's summary")
        run.check(run["preview_is_current"] == true, "the preview has the focus")
        let expected = accept ? "let a = 1\nlet b = 20\nlet c = 3" : "let a = 1\nlet b = 2\nlet c = 3"
        run.check(run.string("after") == expected, "after \(accept ? "accepting" : "rejecting"): \(run.string("after") ?? "nil")")
        run.check(run["windows"] == 1, "the preview window closed")
        // The statusline followed k2lsp's $/progress, and is empty once the edit is done.
        let progress = run["progress"]?.arrayValue?.compactMap(\.stringValue) ?? []
        run.check(progress.first?.hasPrefix("K2: edit|") == true, "progress began with the title: \(progress)")
        run.check(progress.contains { $0.hasPrefix("K2: edit|Waiting for K2") }, "progress named the wait: \(progress)")
        run.check(run.string("statusline_after") == "", "the statusline is empty when K2 is idle")
        run.check(model.chatRequests.count == 1, "one model call")
    }

    /// Types `A` on `    return `, waits in insert mode for the ghost text, presses <Tab>, reports.
    static let ghostDriver = #"""
        K2T.run(function()
          vim.bo.filetype = "swift"
          K2T.wait("k2lsp to attach", K2T.attached)
          local ghost = require("k2lsp.ghost")
          result.native = ghost.native_available()
          vim.api.nvim_win_set_cursor(0, { 2, 10 })
          function _G.k2t_wait_for_ghost()
            result.mode = vim.api.nvim_get_mode().mode
            result.shown = K2T.wait("the ghost text", function() return ghost.visible(0) end)
            local namespace = result.native and vim.api.nvim_create_namespace("nvim.lsp.inline_completion") or ghost.namespace
            local marks = vim.api.nvim_buf_get_extmarks(0, namespace, 0, -1, { details = true })
            local texts = {}
            for _, chunk in ipairs(marks[1] and marks[1][4].virt_text or {}) do table.insert(texts, chunk[1]) end
            result.ghost = table.concat(texts)
            result.buffer_while_shown = K2T.text(0)
          end
          function _G.k2t_report()
            K2T.wait("the accepted text", function() return vim.api.nvim_buf_get_lines(0, 1, 2, false)[1] ~= "    return " end)
            result.mode_after = vim.api.nvim_get_mode().mode
            result.cursor = vim.api.nvim_win_get_cursor(0)
            result.buffer = K2T.text(0)
            K2T.finish()
          end
          -- Neovim drops inline completions that arrive after insert mode ends: wait inside insert mode, then
          -- press the plugin's accept key (mapped, so "m").
          K2T.keys("A<Cmd>lua k2t_wait_for_ghost()<CR><Tab><Cmd>lua k2t_report()<CR>", "m")
        end, true)
        """#

    @Test(arguments: NeovimBuild.testable)
    func ghostTextShownAndAcceptedWithTab(build: NeovimBuild) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        model.enqueue(.text("```swift\na + b\n}\n```"))
        let workspace = try TemporaryDirectory()
        try workspace.write("add.swift", "func add(_ a: Int, _ b: Int) -> Int {\n    return \n}\n")
        let run = try await build.run(Self.ghostDriver, opening: "add.swift", workspace: workspace, model: model)
        run.checkCompleted()
        run.check(!run.editorOutput.contains("Error"), "Neovim reported an error")
        // 0.12 uses Neovim's own inline completion; 0.11 has none, so the plugin draws the extmarks.
        run.check(run["native"] == .bool(build == .v0_12), "native inline completion only on 0.12")
        run.check(run.string("mode") == "i", "still in insert mode while waiting")
        run.check(run["shown"] == true, "ghost text was shown")
        run.check(run.string("ghost") == "a + b", "the ghost text: \(run.string("ghost") ?? "nil")")
        run.check(
            run.string("buffer_while_shown") == "func add(_ a: Int, _ b: Int) -> Int {\n    return \n}",
            "ghost text is not in the buffer")
        run.check(
            run.string("buffer") == "func add(_ a: Int, _ b: Int) -> Int {\n    return a + b\n}",
            "after <Tab>: \(run.string("buffer") ?? "nil")")
        run.check(run["cursor"] == [2, 16], "the cursor is after the accepted text")
        run.check(run.string("mode_after") == "i", "still in insert mode after accepting")
        let body = model.chatRequests.first?.json
        run.check(
            body?["messages"]?[1]?["content"]?.stringValue?.contains("return <|cursor|>") == true,
            "the model saw the cursor")
    }

    /// `:K2Agent` lists each tool call in its step buffer, then previews the agent's one edit; `a` applies it.
    static let agentDriver = #"""
        K2T.run(function()
          vim.bo.filetype = "python"
          K2T.wait("k2lsp to attach", K2T.attached)
          local source = vim.api.nvim_get_current_buf()
          vim.cmd("K2Agent Rename hello to greet")
          K2T.wait("the preview", function() return K2T.buffer_named("k2lsp://preview") ~= nil end)
          result.steps = K2T.text(K2T.buffer_named("k2lsp://agent/"))
          result.preview = K2T.text(K2T.buffer_named("k2lsp://preview"))
          K2T.keys("a")
          K2T.wait("the preview to close", function() return K2T.buffer_named("k2lsp://preview") == nil end)
          result.after = K2T.text(source)
          result.steps_after = K2T.text(K2T.buffer_named("k2lsp://agent/"))
        end)
        """#

    @Test(arguments: NeovimBuild.testable)
    func agentStepsInAScratchBufferThenThePreview(build: NeovimBuild) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        for reply in EditorPlugins.renameAgentReplies { model.enqueue(reply) }
        let workspace = try TemporaryDirectory()
        try workspace.write("greet.py", EditorPlugins.greetPython)
        let run = try await build.run(Self.agentDriver, opening: "greet.py", workspace: workspace, model: model)
        run.checkCompleted()
        run.check(!run.editorOutput.contains("Error"), "Neovim reported an error")
        let steps = (run.string("steps") ?? "").split(separator: "\n").map(String.init)
        run.check(steps.first == "K2 agent: Rename hello to greet", "the step buffer's title: \(steps)")
        run.check(
            steps.count > 2 && steps[1].contains("1 read_file") && steps[1].contains("path=greet.py")
                && steps[1].contains("✓"), "step 1 is the finished read_file: \(steps)")
        run.check(
            steps.count > 2 && steps[2].contains("2 edit_file") && steps[2].contains("new_text=def greet():")
                && steps[2].contains("✓ Edited greet.py"), "step 2 is the finished edit_file: \(steps)")
        run.check(
            steps.last == "Done (2 tool calls, kimi-k2.6): Renamed hello to greet.",
            "the summary line: \(steps)")
        run.check((run.string("preview") ?? "").contains("-def hello():\n+def greet():"), "the preview shows the rename")
        run.check(run.string("after") == "def greet():\n    return \"hi\"", "the file's buffer after accepting")
        run.check(run.string("steps_after")?.hasSuffix("\nApplied.") == true, "the step buffer says it was applied")
        // Nothing was written to disk: the edit is in the buffer, as for any LSP edit.
        run.check(try workspace.read("greet.py") == "def hello():\n    return \"hi\"\n", "the file on disk is unchanged")
    }

    /// `:K2Explain` on a range opens a Markdown float; `:K2Context` lists what K2 would see.
    static let explainDriver = #"""
        K2T.run(function()
          vim.bo.filetype = "swift"
          K2T.wait("k2lsp to attach", K2T.attached)
          vim.cmd("1K2Explain")
          local function float()
            for _, win in ipairs(vim.api.nvim_list_wins()) do
              if vim.api.nvim_win_get_config(win).relative ~= "" then return win end
            end
          end
          K2T.wait("the explanation", function() return float() ~= nil end)
          local buf = vim.api.nvim_win_get_buf(float())
          result.explanation = K2T.text(buf)
          vim.api.nvim_win_close(float(), true)
          vim.cmd("K2Context")
          K2T.wait("the context list", function() return K2T.buffer_named("k2lsp://context") ~= nil end)
          result.context = K2T.text(K2T.buffer_named("k2lsp://context"))
        end)
        """#

    @Test(arguments: NeovimBuild.testable)
    func explainInAFloatAndContextInABuffer(build: NeovimBuild) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        model.enqueue(.text("Adds up **items**, starting from 0."))
        let workspace = try TemporaryDirectory()
        try workspace.write("t.swift", "let total = items.reduce(0, +)\n")
        let run = try await build.run(Self.explainDriver, opening: "t.swift", workspace: workspace, model: model)
        run.checkCompleted()
        run.check(!run.editorOutput.contains("Error"), "Neovim reported an error")
        run.check(run.string("explanation") == "Adds up **items**, starting from 0.", "the float's text")
        let context = run.string("context") ?? ""
        run.check(context.hasPrefix("# K2 context for edit: kimi-k2.6"), "the context header: \(context)")
        run.check(context.contains("\n- t.swift:1-"), "the context lists the file: \(context)")
        run.check(context.contains("repo-map"), "the context lists the repository map: \(context)")
        run.check(model.chatRequests.count == 1, "the context needs no model call")
    }

    /// `:checkhealth k2lsp` finds the binary, its version, the key, and runs the doctor.
    static let healthDriver = #"""
        K2T.run(function()
          vim.cmd("checkhealth k2lsp")
          result.health = K2T.text(0)
        end)
        """#

    @Test(arguments: NeovimBuild.testable)
    func checkhealthReportsBinaryVersionKeyAndDoctor(build: NeovimBuild) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        let binary = try BinaryLocator.k2lspPath()
        let run = try await Self.runDoctorDriver(Self.healthDriver, build: build, binary: binary, model: model)
        run.checkCompleted()
        let report = run.string("health") ?? ""
        run.check(report.contains("OK Binary: \(binary)"), "the binary: \(report)")
        run.check(report.contains("OK Version: "), "the version: \(report)")
        run.check(report.contains("OK API key: set"), "the key: \(report)")
        run.check(report.contains("OK Doctor: K2 Instruct (kimi-k2.6 at \(model.baseURL))"), "the doctor: \(report)")
        run.check(!report.contains(EditorSession.testKey), "the key itself is never shown")
    }

    /// `:K2Fix` on the line of a diagnostic Neovim shows: the diagnostic goes to K2, the fix through the preview.
    static let fixDriver = #"""
        K2T.run(function()
          vim.bo.filetype = "swift"
          K2T.wait("k2lsp to attach", K2T.attached)
          local source = vim.api.nvim_get_current_buf()
          local namespace = vim.api.nvim_create_namespace("k2t.compiler")
          vim.diagnostic.set(namespace, source, {
            { lnum = 1, col = 4, end_col = 9, severity = vim.diagnostic.severity.ERROR,
              message = "cannot find 'count' in scope", source = "swiftc" },
          })
          vim.api.nvim_win_set_cursor(0, { 2, 0 })
          vim.cmd("K2Fix")
          K2T.wait("the preview", function() return K2T.buffer_named("k2lsp://preview") ~= nil end)
          result.preview = K2T.text(K2T.buffer_named("k2lsp://preview"))
          K2T.keys("a")
          K2T.wait("the preview to close", function() return K2T.buffer_named("k2lsp://preview") == nil end)
          result.after = K2T.text(source)
        end)
        """#

    @Test(arguments: NeovimBuild.testable)
    func fixSendsTheDiagnosticAndGoesThroughThePreview(build: NeovimBuild) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        model.enqueue(.text("```swift\n    self.count += 1\n```"))
        let workspace = try TemporaryDirectory()
        try workspace.write("f.swift", "func f() {\n    count += 1\n}\n")
        let run = try await build.run(Self.fixDriver, opening: "f.swift", workspace: workspace, model: model)
        run.checkCompleted()
        run.check(!run.editorOutput.contains("Error"), "Neovim reported an error")
        run.check((run.string("preview") ?? "").contains("-    count += 1\n+    self.count += 1"), "the preview shows the fix")
        run.check(run.string("after") == "func f() {\n    self.count += 1\n}", "after accepting: \(run.string("after") ?? "nil")")
        let prompt = model.chatRequests.first?.json?["messages"]?.arrayValue?.compactMap { $0["content"]?.stringValue }
            .joined(separator: "\n") ?? ""
        run.check(prompt.contains("cannot find 'count' in scope"), "K2 saw the diagnostic")
        // documentChanges are advertised, so the edit carries the buffer's version.
        run.check(run.transcript.contains("\"documentChanges\""), "the edit came as versioned documentChanges")
    }

    /// Shows the ghost text, dismisses it with <C-]>, then <Tab> is a plain Tab again.
    static let dismissDriver = #"""
        K2T.run(function()
          vim.bo.filetype = "swift"
          K2T.wait("k2lsp to attach", K2T.attached)
          local ghost = require("k2lsp.ghost")
          vim.api.nvim_win_set_cursor(0, { 2, 10 })
          function _G.k2t_wait_for_ghost()
            result.shown = K2T.wait("the ghost text", function() return ghost.visible(0) end)
          end
          function _G.k2t_after_dismiss()
            -- Nothing may bring it back without typing: give a late answer ample time to show up.
            vim.wait(500, function() return ghost.visible(0) end, 20)
            result.visible_after_dismiss = ghost.visible(0)
          end
          function _G.k2t_report()
            result.buffer = K2T.text(0)
            K2T.finish()
          end
          K2T.keys("A<Cmd>lua k2t_wait_for_ghost()<CR><C-]><Cmd>lua k2t_after_dismiss()<CR><Tab><Cmd>lua k2t_report()<CR>", "m")
        end, true)
        """#

    @Test(arguments: NeovimBuild.testable)
    func ghostTextDismissedThenTabIsATab(build: NeovimBuild) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        model.enqueue(.text("a + b"))
        let workspace = try TemporaryDirectory()
        try workspace.write("add.swift", "func add(_ a: Int, _ b: Int) -> Int {\n    return \n}\n")
        let run = try await build.run(Self.dismissDriver, opening: "add.swift", workspace: workspace, model: model)
        run.checkCompleted()
        run.check(run["shown"] == true, "ghost text was shown")
        run.check(run["visible_after_dismiss"] == false, "<C-]> dismissed it")
        run.check(
            run.string("buffer") == "func add(_ a: Int, _ b: Int) -> Int {\n    return \t\n}",
            "<Tab> without a suggestion inserts a Tab: \(run.string("buffer") ?? "nil")")
    }

    /// `:K2Doctor` runs `k2lsp doctor` in a terminal split.
    static let doctorDriver = #"""
        K2T.run(function()
          vim.cmd("K2Doctor")
          local terminal = vim.api.nvim_get_current_buf()
          result.buftype = vim.bo[terminal].buftype
          K2T.wait("the doctor's verdict", function() return K2T.text(terminal):find("result:", 1, true) ~= nil end)
          result.output = K2T.text(terminal)
          result.windows = #vim.api.nvim_list_wins()
        end)
        """#

    @Test(arguments: NeovimBuild.testable)
    func doctorRunsInATerminalSplit(build: NeovimBuild) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        let binary = try BinaryLocator.k2lspPath()
        let run = try await Self.runDoctorDriver(Self.doctorDriver, build: build, binary: binary, model: model)
        run.checkCompleted()
        run.check(run.string("buftype") == "terminal", "a terminal buffer")
        run.check(run["windows"] == 2, "in a split")
        run.check((run.string("output") ?? "").contains("K2 Instruct: kimi-k2.6"), "the doctor's report")
    }

    /// Runs a driver that starts `k2lsp doctor` through the plugin's own `binary` setting (not the test's `cmd`),
    /// against a model that lists kimi-k2.6 and answers the doctor's ping.
    private static func runDoctorDriver(
        _ driver: String, build: NeovimBuild, binary: String, model: ScriptedK2Server
    ) async throws -> PluginRun {
        model.setModels(["kimi-k2.6"])
        model.enqueue(.text("Hello!", toolCalls: [ScriptedToolCall(id: "functions.ping:0", name: "ping", arguments: "{}")]))
        let workspace = try TemporaryDirectory()
        try workspace.write("main.swift", "let a = 1\n")
        let setup = "require('k2lsp').setup({ binary = '\(binary)' })\nK2T.run("
        return try await build.run(
            driver.replacingOccurrences(of: "K2T.run(", with: setup), opening: "main.swift", workspace: workspace,
            model: model)
    }
}
