// protocol-docs/cli.md is the CLI's contract: every subcommand and every option the binary accepts is documented.
import Foundation
import K2TestSupport
import Testing

@Suite struct CLIDocumentationTests {
    static let subcommands = ["edit", "agent", "complete", "context", "doctor", "models", "config", "mcp list"]

    static var documentation: String {
        get throws {
            let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            return try String(
                contentsOf: packageRoot.appendingPathComponent("protocol-docs/cli.md"), encoding: .utf8)
        }
    }

    /// The long options in the OPTIONS section of `k2lsp SUBCOMMAND --help`.
    static func longOptions(inHelp help: String) -> Set<String> {
        guard let start = help.range(of: "OPTIONS:") else { return [] }
        var options = Set<String>()
        var remaining = help[start.upperBound...]
        while let dashes = remaining.range(of: "--") {
            let name = remaining[dashes.lowerBound...].prefix { $0 == "-" || $0.isLetter }
            if name.count > 2 { options.insert(String(name)) }
            remaining = remaining[dashes.upperBound...].drop { $0 == "-" || $0.isLetter }
        }
        return options
    }

    /// Whether `text` mentions `option` as a whole word (`--line` is not mentioned by `--lines`).
    static func mentions(_ text: String, _ option: String) -> Bool {
        var remaining = text[...]
        while let found = remaining.range(of: option) {
            let next = remaining[found.upperBound...].first
            if next.map({ !$0.isLetter && $0 != "-" }) ?? true { return true }
            remaining = remaining[found.upperBound...]
        }
        return false
    }

    @Test(arguments: subcommands) func everyOptionIsDocumented(_ subcommand: String) async throws {
        let folder = try TemporaryDirectory()
        let help = try await CLIRun.run(
            arguments: subcommand.split(separator: " ").map(String.init) + ["--help"], environment: ["HOME": folder.path],
            workingDirectory: folder.path)
        #expect(help.exitCode == 0, "\(help)")
        let options = Self.longOptions(inHelp: help.stdout)
        #expect(options.contains("--profile") && options.contains("--workspace"))
        let documentation = try Self.documentation
        #expect(documentation.contains("## `k2lsp \(subcommand)"))
        for option in options.sorted() {
            #expect(Self.mentions(documentation, option), "protocol-docs/cli.md does not mention \(subcommand) \(option)")
        }
    }

    @Test func everyExitStatusIsDocumented() throws {
        let documentation = try Self.documentation
        for status in 0...3 {
            #expect(documentation.contains("| \(status) | "))
        }
    }
}
