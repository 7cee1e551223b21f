// `k2lsp edit` driven by a shell script over several files, the way a CI job or a Makefile would run it.
import Foundation
import K2TestSupport
import Testing

@Suite struct CLIScriptTests {
    /// Documents every Python file in place, keeps going when one fails and fails the job at the end; then proposes a
    /// README change as a patch, checks it with `git apply --check`, and applies it.
    static let ciScript = """
        #!/bin/sh
        set -u
        : "${K2LSP:?set K2LSP to the k2lsp binary}"
        status=0
        for file in $(find src -name '*.py' | sort); do
          if "$K2LSP" edit "$file" --kind document --write >>applied.diff 2>>k2lsp.log; then
            echo "documented $file"
          else
            code=$?
            echo "failed $file (exit $code)"
            status=$code
          fi
        done
        "$K2LSP" edit README.md -m "add a usage section" >readme.patch 2>>k2lsp.log || exit 20
        git apply --check readme.patch || exit 21
        git apply readme.patch || exit 22
        echo "applied readme.patch"
        exit $status
        """

    @Test func aShellScriptEditsSeveralFilesAndReportsFailuresByExitCode() async throws {
        let sandbox = try await CLISandbox.start(files: [
            "src/a.py": "def a():\n    return 1\n",
            "src/b.py": "def b():\n    return 2\n",
            "src/c.py": "def c():\n    return 3\n",
            "README.md": "# Demo\n",
            "ci.sh": Self.ciScript,
        ])
        defer { Task { await sandbox.finish() } }
        sandbox.model.enqueue(.text("```python\ndef a():\n    \"\"\"Returns one.\"\"\"\n    return 1\n```"))
        sandbox.model.enqueue(.text("```python\ndef b():\n    \"\"\"Returns two.\"\"\"\n    return 2\n```"))
        sandbox.model.enqueue(.error(status: 401, type: "invalid_authentication_error", message: "Invalid Authentication"))
        sandbox.model.enqueue(.text("```markdown\n# Demo\n\nRun `make demo`.\n```"))
        let result = try await CLIRun.runProcess(
            executable: "/bin/sh", arguments: ["ci.sh"],
            environment: sandbox.environment.merging(["K2LSP": try BinaryLocator.k2lspPath()]) { _, new in new },
            workingDirectory: sandbox.workspace.path)

        #expect(result.exitCode == 3, "\(result)\n\((try? sandbox.workspace.read("k2lsp.log")) ?? "")")
        #expect(
            result.stdout == """
                documented src/a.py
                documented src/b.py
                failed src/c.py (exit 3)
                applied readme.patch

                """)
        #expect(try sandbox.workspace.read("src/a.py") == "def a():\n    \"\"\"Returns one.\"\"\"\n    return 1\n")
        #expect(try sandbox.workspace.read("src/b.py") == "def b():\n    \"\"\"Returns two.\"\"\"\n    return 2\n")
        #expect(try sandbox.workspace.read("src/c.py") == "def c():\n    return 3\n")
        #expect(try sandbox.workspace.read("README.md") == "# Demo\n\nRun `make demo`.\n")
        let applied = try sandbox.workspace.read("applied.diff")
        #expect(applied.contains("+++ b/src/a.py") && applied.contains("+++ b/src/b.py") && !applied.contains("src/c.py"))
        let log = try sandbox.workspace.read("k2lsp.log")
        #expect(log.contains("K2_API_KEY") && !log.contains(CLISandbox.apiKey))
        #expect(sandbox.model.chatRequests.count == 4)
    }
}
