// `k2lsp context FILE[:LINE]`: what K2 would see for a request at a line, item by item, and what was left out.
import ArgumentParser
import Foundation
import K2Config
import K2Context
import K2Engine
import K2Workspace

struct ContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Show the context K2 would get for a request at a line of a file, and what was skipped.",
        discussion: """
            Example:
              k2lsp context Sources/App/main.swift:42 --task edit
            """
    )

    @Argument(help: "The file, optionally with a 1-based line: FILE:LINE.")
    var location: String

    @Option(name: .long, help: "The task the context is for: \(K2Task.allCases.map(\.rawValue).joined(separator: ", ")).")
    var task: String = K2Task.edit.rawValue

    @Flag(name: .long, help: "Print the bundle as JSON.")
    var json = false

    @OptionGroup var options: SharedOptions

    func validate() throws {
        guard K2Task(rawValue: task) != nil else {
            throw ValidationError("Unknown task '\(task)'. Use one of: \(K2Task.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    /// `FILE:LINE` splits when the suffix is a number and `FILE:LINE` itself is not an existing path.
    static func split(_ location: String, exists: (String) -> Bool) -> (path: String, line: Int?) {
        guard let colon = location.lastIndex(of: ":"), !exists(location),
            let line = Int(location[location.index(after: colon)...])
        else { return (location, nil) }
        return (String(location[..<colon]), line)
    }

    private struct Output: Encodable {
        struct Item: Encodable {
            var source: String
            var path: String
            var startLine: Int?
            var endLine: Int?
            var tokens: Int
            var reason: String
            var truncated: Bool
        }
        struct Skipped: Encodable {
            var source: String
            var path: String
            var reason: String
            var code: String
            var tokens: Int?
        }
        var file: String
        var line: Int
        var task: String
        var model: String
        var budgetTokens: Int
        var usedTokens: Int
        var items: [Item]
        var skipped: [Skipped]
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let context = try CLIContext.make(options)
            let (path, line) = Self.split(location) { FileManager.default.fileExists(atPath: context.workspace.absolutePath($0)) }
            var changes = ChangeSet(workspace: context.workspace, secretFilter: context.secretFilter)
            let key = try changes.read(path, absolutePath: try context.workspace.absolutePathInside(path))
            guard let target = changes.change(key) else { return }
            let document = context.document(path: target.absolutePath, text: target.text)
            let cursor = try TextPoint(line: line ?? 1, column: 1).offset(in: document, displayPath: target.displayPath)
            let contextTask = K2Task(rawValue: task) ?? .edit
            let (bundle, choice) = try await context.withEngine(task: nil, indexing: true) { engine in
                try await engine.contextBundle(
                    document: document, selection: TextRange(cursor, cursor), task: contextTask)
            }
            guard json else {
                StandardStreams.writeOutput(bundle.renderReport())
                return
            }
            JSONOutput.print(
                Output(
                    file: target.displayPath, line: bundle.cursorLine + 1, task: contextTask.rawValue,
                    model: choice.provider.model, budgetTokens: bundle.budgetTokens, usedTokens: bundle.usedTokens,
                    items: bundle.items.map { item in
                        Output.Item(
                            source: item.source.rawValue, path: item.path,
                            startLine: item.lineRange.isEmpty ? nil : item.lineRange.lowerBound + 1,
                            endLine: item.lineRange.isEmpty ? nil : item.lineRange.upperBound, tokens: item.tokens,
                            reason: item.reason, truncated: item.truncated)
                    },
                    skipped: bundle.skipped.map { entry in
                        Output.Skipped(
                            source: entry.source.rawValue, path: entry.path, reason: entry.reason.description,
                            code: entry.reason.code, tokens: entry.tokens)
                    }))
        }
    }
}
