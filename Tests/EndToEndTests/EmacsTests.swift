// A real editor as the client: Emacs with eglot starts k2lsp in batch mode and keeps a buffer in sync.
import Foundation
import K2TestSupport
import Testing

@Suite(.serialized, .enabled(if: ExternalTools.available("emacs"), "Emacs is not installed (apt-get install emacs-nox elpa-eglot)"))
struct EmacsTests {
    static let syncScript = #"""
        (package-initialize)
        (require 'eglot)
        (setq eglot-server-programs (list (cons '(text-mode) (list (getenv "K2LSP_BINARY") "serve"))))
        (find-file "main.txt")
        (text-mode)
        ;; eglot-ensure waits for a command loop that batch mode never runs; connect directly.
        (apply #'eglot (eglot--guess-contact))
        (with-timeout (15 (error "eglot did not connect"))
          (while (not (eglot-current-server)) (accept-process-output nil 0.05)))
        (goto-char (point-max))
        (insert "let party = \"🎉\"\n")
        (goto-char (point-min))
        (delete-char 5)
        (insert "1st")
        (goto-char (point-max))
        (forward-line -1)
        (end-of-line)
        (backward-char 1)
        (insert "🎈")
        (eglot--signal-textDocument/didChange)
        (let* ((server (eglot-current-server))
               (res (jsonrpc-request server :k2/viewDocument
                      (list :textDocument (list :uri (eglot--path-to-uri buffer-file-name))))))
          (with-temp-file "server.txt" (insert (plist-get res :text)))
          (with-temp-file "buffer.txt" (insert (with-current-buffer "main.txt" (buffer-string))))
          (eglot-shutdown server))
        (with-current-buffer (get-buffer-create "*Messages*")
          (write-region (point-min) (point-max) "messages.txt"))
        (kill-emacs 0)
        """#

    @Test func eglotSyncsABufferWithUTF16Positions() async throws {
        let emacs = try #require(ExternalTools.find("emacs"), "emacs must be installed")
        let workspace = try TemporaryDirectory()
        try workspace.write("main.txt", "first line\n")
        let script = try workspace.write("test.el", Self.syncScript)
        _ = try await ExternalTools.run("/usr/bin/git", ["init", "-q"], workingDirectory: workspace.path)
        let run = try await ExternalTools.run(
            emacs, ["--batch", "-q", "-l", script],
            environment: ["K2LSP_BINARY": try BinaryLocator.k2lspPath(), "HOME": workspace.path],
            workingDirectory: workspace.path, timeout: .seconds(60))
        #expect(!run.timedOut)
        #expect(run.exitCode == 0, "emacs failed:\n\(run.stderr)")
        let expected = "1st line\nlet party = \"🎉🎈\"\n"
        #expect(try workspace.read("buffer.txt") == expected)
        #expect(try workspace.read("server.txt") == expected)
        let messages = try workspace.read("messages.txt")
        #expect(messages.contains("Connected!"))
        #expect(!messages.lowercased().contains("error"), "eglot reported errors:\n\(messages)")
    }
}
