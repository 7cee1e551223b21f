// Runs the plugins in editors/ inside real headless editors, against the real k2lsp and the scripted K2 server.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

/// What one editor run left behind: the JSON its driver script wrote, and k2lsp's LSP traffic (a trace log).
struct PluginRun {
    var result: JSONValue
    var transcript: String
    var editorOutput: String
    var timedOut: Bool

    subscript(key: String) -> JSONValue? { result[key] }

    func string(_ key: String) -> String? { result[key]?.stringValue }

    /// Records a failure that shows the driver's own error, the editor's output and the LSP transcript.
    func check(
        _ condition: Bool, _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        if condition { return }
        Issue.record(
            Comment(
                rawValue: """
                    \(what())
                    driver result: \(result.serialized())
                    --- editor output ---
                    \(editorOutput.suffix(4000))
                    --- LSP transcript (k2lsp --log-level trace) ---
                    \(transcript.suffix(20000))
                    """), sourceLocation: sourceLocation)
    }

    /// The run finished its script without a timeout or a script error.
    func checkCompleted(sourceLocation: SourceLocation = #_sourceLocation) {
        check(!timedOut, "the editor did not finish in time", sourceLocation: sourceLocation)
        check(result["error"] == nil, "the driver script failed", sourceLocation: sourceLocation)
        check(result["timeout"] == nil, "the driver script waited in vain", sourceLocation: sourceLocation)
    }
}

enum EditorPlugins {
    /// greet.py, and the model's side of an agent run that renames its function: read, edit, answer.
    static let greetPython = "def hello():\n    return \"hi\"\n"
    static let renameAgentReplies: [ScriptedReply] = [
        .text("", toolCalls: [.init(id: "functions.read_file:0", name: "read_file", arguments: #"{"path": "greet.py"}"#)]),
        .text(
            "",
            toolCalls: [
                .init(
                    id: "functions.edit_file:1", name: "edit_file",
                    arguments: #"{"path": "greet.py", "old_text": "def hello():", "new_text": "def greet():"}"#)
            ]),
        .text("Renamed hello to greet."),
    ]

    /// The repository's editors/ folder.
    static let editorsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("editors").path

    /// Runs `executable` in `workspace` with a clean environment pointed at the scripted K2 server, and reads
    /// the JSON the driver wrote to `$K2LSP_TEST_OUT`. The driver, the editor's home and k2lsp's log live in
    /// `scratch` (`$K2T_SCRATCH`), outside the workspace, so k2lsp does not index them.
    static func run(
        _ executable: String, _ arguments: [String], workspace: TemporaryDirectory, scratch: TemporaryDirectory,
        model: ScriptedK2Server, environment: [String: String] = [:]
    ) async throws -> PluginRun {
        let outPath = scratch.path + "/result.json"
        let logPath = scratch.path + "/k2lsp.log"
        try FileManager.default.createDirectory(atPath: scratch.path + "/home", withIntermediateDirectories: true)
        var processEnvironment = [
            "HOME": scratch.path + "/home",
            "XDG_CONFIG_HOME": scratch.path + "/config",
            "XDG_STATE_HOME": scratch.path + "/state",
            "XDG_DATA_HOME": scratch.path + "/data",
            "K2T_SCRATCH": scratch.path,
            "K2LSP_BINARY": try BinaryLocator.k2lspPath(),
            "K2LSP_TEST_OUT": outPath,
            "K2LSP_LOG_FILE": logPath,
            "K2_API_BASE_URL": model.baseURL,
            "K2_API_KEY": EditorSession.testKey,
            "TERM": "dumb",
        ]
        processEnvironment.merge(environment) { _, new in new }
        let run = try await ExternalTools.run(
            executable, arguments, environment: processEnvironment, inheritEnvironment: false,
            workingDirectory: workspace.path, timeout: .seconds(180))
        let result =
            (try? JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: outPath))))
            ?? ["error": "the driver wrote no result"]
        let transcript = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(k2lsp wrote no log)"
        return PluginRun(
            result: result, transcript: transcript, editorOutput: run.stdout + run.stderr, timedOut: run.timedOut)
    }
}

/// The Neovim builds the plugin is tested with: 0.11 (PyPI's wheel on PATH, extmark ghost text) and 0.12 (Debian
/// sid, native inline completion).
enum NeovimBuild: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case v0_11 = "0.11"
    case v0_12 = "0.12"

    var testDescription: String { "Neovim \(rawValue)" }

    var executable: String? {
        switch self {
        case .v0_11: ExternalTools.find("nvim")
        case .v0_12: ExternalTools.neovim012
        }
    }

    /// The builds that are installed; every build when CI requires the editors (a missing one then fails).
    static var testable: [NeovimBuild] {
        allCases.filter { ExternalTools.editorsRequired || $0.executable != nil }
    }

    /// Lua every driver starts with: a result table, polling with a deadline, the plugin installed the way
    /// `:packadd` users install it, and `setup()` pointed at the test binary with a trace log.
    static let prelude = #"""
        K2T = { result = {} }
        local result = K2T.result
        function K2T.finish()
          local file = io.open(os.getenv("K2LSP_TEST_OUT"), "w")
          file:write(vim.json.encode(result))
          file:close()
          vim.cmd("qa!")
        end
        -- Polls generously: a condition that holds within a second normally gets 30.
        function K2T.wait(what, condition, ms)
          if vim.wait(ms or 30000, condition, 20) then return true end
          result.timeout = what
          K2T.finish()
        end
        function K2T.run(body, keep_open)
          local ok, err = xpcall(body, debug.traceback)
          if not ok then result.error = err end
          if not ok or not keep_open then K2T.finish() end
        end
        function K2T.text(buf)
          return table.concat(vim.api.nvim_buf_get_lines(buf or 0, 0, -1, false), "\n")
        end
        function K2T.buffer_named(pattern)
          for _, buf in ipairs(vim.api.nvim_list_bufs()) do
            if vim.api.nvim_buf_is_valid(buf) and vim.api.nvim_buf_get_name(buf):find(pattern, 1, true) then return buf end
          end
        end
        function K2T.attached()
          local client = vim.lsp.get_clients({ bufnr = 0, name = "k2lsp" })[1]
          return client ~= nil and client.initialized
        end
        function K2T.keys(keys, mode)
          vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), mode or "x", false)
        end
        -- A failsafe: never hang the test run.
        vim.defer_fn(function() result.timeout = result.timeout or "the whole script"; K2T.finish() end, 150000)
        result.version = tostring(vim.version())
        vim.opt.packpath:prepend(os.getenv("K2T_SCRATCH") .. "/site")
        vim.cmd("packadd k2lsp")
        require("k2lsp").setup({
          cmd = { os.getenv("K2LSP_BINARY"), "serve", "--log-level", "trace", "--log-file", os.getenv("K2LSP_LOG_FILE") },
          filetypes = { "swift", "python" },
        })
        """#

    /// Runs `driver` (Lua, after the prelude) in this build with `file` open.
    func run(
        _ driver: String, opening file: String, workspace: TemporaryDirectory, model: ScriptedK2Server
    ) async throws -> PluginRun {
        let nvim = try #require(executable, "\(testDescription) must be installed (.ci/install-editors)")
        let scratch = try TemporaryDirectory(prefix: "k2lsp-neovim")
        // Installed as a :packadd user installs it: a pack/*/opt folder that links to editors/neovim.
        let packFolder = scratch.path + "/site/pack/k2lsp/opt"
        try FileManager.default.createDirectory(atPath: packFolder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: packFolder + "/k2lsp", withDestinationPath: EditorPlugins.editorsFolder + "/neovim")
        let script = try scratch.write("driver.lua", Self.prelude + "\n" + driver)
        return try await EditorPlugins.run(
            nvim, ["--headless", "-u", "NONE", "-i", "NONE", "-n", file, "-c", "luafile \(script)"],
            workspace: workspace, scratch: scratch, model: model)
    }
}

/// The Emacs LSP clients k2lsp.el is tested with.
enum EmacsClient: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case eglot
    case lspMode = "lsp-mode"

    var testDescription: String { "Emacs with \(rawValue)" }

    static var testable: [EmacsClient] {
        ExternalTools.editorsRequired || ExternalTools.find("emacs") != nil ? allCases : []
    }

    /// Elisp every driver starts with: the result, polling with a deadline, k2lsp.el loaded and registered with
    /// this client, and `python-mode` on the file the driver opens with `k2t-open`.
    var prelude: String {
        let common = #"""
            (package-initialize)
            (require 'json)
            (setq make-backup-files nil create-lockfiles nil auto-save-default nil)
            (defvar k2t-result (make-hash-table :test 'equal))
            (defun k2t-set (key value) (puthash key (if (null value) :json-false value) k2t-result))
            (defun k2t-finish ()
              (with-temp-file (getenv "K2LSP_TEST_OUT") (insert (json-encode k2t-result)))
              (kill-emacs 0))
            (defun k2t-wait (what predicate &optional seconds)
              "Polls PREDICATE with a generous deadline (30 s for what normally takes under one)."
              (let ((deadline (+ (float-time) (or seconds 30))))
                (while (and (not (funcall predicate)) (< (float-time) deadline))
                  (accept-process-output nil 0.02))
                (or (funcall predicate)
                    (progn (k2t-set "timeout" what) (k2t-finish)))))
            (defun k2t-run (body)
              (condition-case err (funcall body)
                (error (k2t-set "error" (format "%S" err))))
              (k2t-finish))
            (defun k2t-text (&optional buffer)
              (with-current-buffer (or buffer (current-buffer)) (buffer-substring-no-properties (point-min) (point-max))))
            (run-at-time 150 nil (lambda () (k2t-set "timeout" "the whole script") (k2t-finish)))
            (k2t-set "version" emacs-version)
            (load (expand-file-name "k2lsp.el" (getenv "K2LSP_EMACS_DIR")) nil t)
            (setq k2lsp-program (getenv "K2LSP_BINARY")
                  k2lsp-server-args (list "serve" "--log-level" "trace" "--log-file" (getenv "K2LSP_LOG_FILE"))
                  k2lsp-major-modes '(python-mode))
            """#
        switch self {
        case .eglot:
            return common + "\n" + #"""
                (require 'eglot)
                (k2t-set "client" (format "eglot %s" (package-desc-version (cadr (assq 'eglot package-alist)))))
                (k2lsp-eglot-register)
                (defun k2t-open (file)
                  (find-file file)
                  (python-mode)
                  ;; eglot-ensure waits for a command loop that batch mode never runs; connect directly.
                  (apply #'eglot (eglot--guess-contact))
                  (k2t-wait "eglot to connect" (lambda () (k2lsp--backend))))
                """#
        case .lspMode:
            return common + "\n" + #"""
                (require 'lsp-mode)
                (k2t-set "client" (format "lsp-mode %s" (package-desc-version (cadr (assq 'lsp-mode package-alist)))))
                (setq lsp-enabled-clients '(k2lsp)
                      lsp-session-file (expand-file-name "lsp-session" (getenv "K2T_SCRATCH"))
                      lsp-enable-file-watchers nil lsp-keep-workspace-alive nil lsp-restart 'ignore
                      lsp-headerline-breadcrumb-enable nil lsp-modeline-code-actions-enable nil
                      lsp-modeline-diagnostics-enable nil lsp-enable-snippet nil lsp-warn-no-matched-clients nil)
                (k2lsp-lsp-register)
                (defun k2t-open (file)
                  (find-file file)
                  (python-mode)
                  (lsp-workspace-folders-add default-directory)
                  (lsp)
                  (k2t-wait "lsp-mode to connect"
                            (lambda () (let ((workspace (k2lsp--lsp-workspace)))
                                         (and workspace (eq (lsp--workspace-status workspace) 'initialized)
                                              (k2lsp--backend))))))
                """#
        }
    }

    /// Runs `driver` (elisp, after the prelude) in the workspace.
    func run(_ driver: String, workspace: TemporaryDirectory, model: ScriptedK2Server) async throws -> PluginRun {
        let emacs = try #require(ExternalTools.find("emacs"), "emacs must be installed (.ci/install-editors)")
        let scratch = try TemporaryDirectory(prefix: "k2lsp-emacs")
        let script = try scratch.write("driver.el", prelude + "\n" + driver)
        return try await EditorPlugins.run(
            emacs, ["--batch", "-q", "-l", script], workspace: workspace, scratch: scratch, model: model,
            environment: ["K2LSP_EMACS_DIR": EditorPlugins.editorsFolder + "/emacs"])
    }
}
