// editors/emacs/k2lsp.el in real batch Emacs, with eglot and with lsp-mode: a region edit through the preview, and
// the inline suggestion accepted with TAB.
import AnyJSON
import Foundation
import K2TestSupport
import Testing

@Suite(.serialized)
struct EmacsPluginTests {
    static let mainPython = "a = 1\nb = 2\nc = 3\n"

    /// Marks line 2, runs `k2lsp-edit-region`, waits for the preview, presses `a` in it.
    static let editDriver = #"""
        (k2t-run
         (lambda ()
           (k2t-open "m.py")
           (let ((source (current-buffer)))
             (goto-char (point-min))
             (forward-line 1)
             (push-mark (point) t t)
             (forward-line 1)
             (k2lsp-edit-region (region-beginning) (region-end) "make b 20")
             (k2t-wait "the preview" (lambda () (get-buffer "*k2lsp preview*")))
             (k2t-set "preview" (k2t-text "*k2lsp preview*"))
             (k2t-set "before_answer" (k2t-text source))
             (select-window (get-buffer-window "*k2lsp preview*"))
             (execute-kbd-macro (kbd "a"))
             (k2t-set "preview_closed" (if (get-buffer "*k2lsp preview*") :json-false t))
             (k2t-set "after" (k2t-text source))
             (k2t-set "modified" (if (buffer-modified-p source) t :json-false)))))
        """#

    @Test(arguments: EmacsClient.testable)
    func regionEditAppliedThroughThePreview(client: EmacsClient) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        model.enqueue(.text("```python\nb = 20\n```\nChanged b to 20."))
        let workspace = try TemporaryDirectory()
        try workspace.write("m.py", Self.mainPython)
        let run = try await client.run(Self.editDriver, workspace: workspace, model: model)
        run.checkCompleted()
        run.check(run.string("client")?.hasPrefix(client.rawValue) == true, "ran \(client.testDescription)")
        run.check(run.string("before_answer") == Self.mainPython, "the buffer changed before the answer")
        let preview = run.string("preview") ?? ""
        run.check(preview.contains("-b = 2\n+b = 20"), "the preview shows the change")
        run.check(preview.contains("--- a/m.py") && preview.contains("+++ b/m.py"), "the preview names the file")
        run.check(run.string("after") == "a = 1\nb = 20\nc = 3\n", "after accepting: \(run.string("after") ?? "nil")")
        run.check(run["preview_closed"] == true, "the preview closed")
        run.check(run["modified"] == true, "the edit is in the buffer, not saved")
        run.check(try workspace.read("m.py") == Self.mainPython, "the file on disk is unchanged")
        let request = model.chatRequests.first?.json?["messages"]?[1]?["content"]?.stringValue ?? ""
        run.check(request.contains("b = 2"), "the model saw the selection")
    }

    /// Asks for a suggestion at the end of `    return `, waits for the overlay, presses TAB.
    static let inlineDriver = #"""
        (k2t-run
         (lambda ()
           (k2t-open "add.py")
           (k2lsp-inline-mode 1)
           (goto-char (point-min))
           (forward-line 1)
           (end-of-line)
           (k2lsp-inline-suggest)
           (k2t-wait "the suggestion" #'k2lsp-suggestion-visible-p)
           (let ((overlay (cl-find-if (lambda (o) (overlay-get o 'k2lsp)) (overlays-in (point-min) (point-max)))))
             (k2t-set "ghost" (substring-no-properties (overlay-get overlay 'after-string))))
           (k2t-set "buffer_while_shown" (k2t-text))
           (k2t-set "tab" (format "%s" (key-binding (kbd "TAB"))))
           (execute-kbd-macro (kbd "TAB"))
           (k2t-set "buffer" (k2t-text))
           (k2t-set "point_after_text" (if (looking-at "$") t :json-false))
           (k2t-set "visible_after" (if (k2lsp-suggestion-visible-p) t :json-false))))
        """#

    @Test(arguments: EmacsClient.testable)
    func inlineSuggestionAcceptedWithTab(client: EmacsClient) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        model.enqueue(.text("```python\na + b\n```"))
        let workspace = try TemporaryDirectory()
        try workspace.write("add.py", "def add(a, b):\n    return \n")
        let run = try await client.run(Self.inlineDriver, workspace: workspace, model: model)
        run.checkCompleted()
        run.check(run.string("ghost") == "a + b", "the overlay: \(run.string("ghost") ?? "nil")")
        run.check(run.string("buffer_while_shown") == "def add(a, b):\n    return \n", "ghost text is not in the buffer")
        run.check(run.string("tab") == "k2lsp-accept-suggestion", "TAB accepts while a suggestion shows")
        run.check(run.string("buffer") == "def add(a, b):\n    return a + b\n", "after TAB: \(run.string("buffer") ?? "nil")")
        run.check(run["point_after_text"] == true, "point is after the accepted text")
        run.check(run["visible_after"] == false, "the overlay is gone")
        let body = model.chatRequests.first?.json
        run.check(
            body?["messages"]?[1]?["content"]?.stringValue?.contains("return <|cursor|>") == true,
            "the model saw the cursor")
    }

    /// `k2lsp-agent` lists each `k2/toolCall` step in `*k2lsp agent*`, then previews the agent's edit; `a` applies it.
    static let agentDriver = #"""
        (k2t-run
         (lambda ()
           (k2t-open "greet.py")
           (let ((source (current-buffer)))
             (k2lsp-agent "Rename hello to greet")
             (k2t-wait "the preview" (lambda () (get-buffer "*k2lsp preview*")))
             (k2t-set "steps" (k2t-text "*k2lsp agent*"))
             (select-window (get-buffer-window "*k2lsp preview*"))
             (execute-kbd-macro (kbd "a"))
             (k2t-set "after" (k2t-text source))
             (k2t-set "steps_after" (k2t-text "*k2lsp agent*")))))
        """#

    @Test(arguments: EmacsClient.testable)
    func agentStepsThenThePreview(client: EmacsClient) async throws {
        let model = try await ScriptedK2Server.start()
        defer { Task { await model.shutdown() } }
        for reply in EditorPlugins.renameAgentReplies { model.enqueue(reply) }
        let workspace = try TemporaryDirectory()
        try workspace.write("greet.py", EditorPlugins.greetPython)
        let run = try await client.run(Self.agentDriver, workspace: workspace, model: model)
        run.checkCompleted()
        let steps = (run.string("steps") ?? "").split(separator: "\n").map(String.init)
        run.check(steps.first == "K2 agent: Rename hello to greet", "the step buffer's title: \(steps)")
        run.check(
            steps.contains { $0.contains("1 read_file") && $0.contains("path=greet.py") && $0.contains("✓") },
            "step 1 is the finished read_file: \(steps)")
        run.check(
            steps.contains { $0.contains("2 edit_file") && $0.contains("✓ Edited greet.py") },
            "step 2 is the finished edit_file: \(steps)")
        run.check(
            steps.last == "Done (2 tool calls, kimi-k2.6): Renamed hello to greet.", "the summary: \(steps)")
        run.check(run.string("after") == "def greet():\n    return \"hi\"\n", "the buffer after accepting")
        run.check(run.string("steps_after")?.hasSuffix("Applied.\n") == true, "the step buffer says it was applied")
    }

    /// The package byte-compiles without a warning against the installed eglot and lsp-mode.
    @Test(.enabled(if: !EmacsClient.testable.isEmpty))
    func byteCompilesWithoutWarnings() async throws {
        let emacs = try #require(ExternalTools.find("emacs"), "emacs must be installed (.ci/install-editors)")
        let scratch = try TemporaryDirectory(prefix: "k2lsp-emacs-compile")
        let copy = scratch.path + "/k2lsp.el"
        try FileManager.default.copyItem(atPath: EditorPlugins.editorsFolder + "/emacs/k2lsp.el", toPath: copy)
        let run = try await ExternalTools.run(
            emacs,
            [
                "--batch", "-q", "--eval", "(progn (package-initialize) (require 'eglot) (require 'lsp-mode))",
                "-f", "batch-byte-compile", copy,
            ], environment: ["HOME": scratch.path], timeout: .seconds(120))
        #expect(run.exitCode == 0, "\(run.stderr)")
        let complaints = (run.stdout + run.stderr).split(separator: "\n").filter {
            $0.contains("Warning") || $0.contains("Error")
        }
        #expect(complaints.isEmpty, "byte-compile: \(complaints.joined(separator: "\n"))")
        #expect(FileManager.default.fileExists(atPath: copy + "c"))
    }
}
