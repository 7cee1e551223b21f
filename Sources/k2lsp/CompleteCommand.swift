// `k2lsp complete FILE --line L --column C`: prints the inline completion K2 offers at a position.
import ArgumentParser
import K2Engine

struct CompleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract: "Print the inline completion K2 offers at a position in a file.",
        discussion: """
            Prints exactly the text to insert at the position (nothing when K2 has no completion).

            Example:
              k2lsp complete Sources/App/main.swift --line 12 --column 9
            """
    )

    @Argument(help: "The file.")
    var file: String

    @Option(name: .long, help: "The line, from 1.")
    var line: Int

    @Option(name: .long, help: "The column, from 1, counted in characters. Default: the end of the line.")
    var column: Int?

    @Flag(name: .long, help: "Print {text, model} as JSON.")
    var json = false

    @OptionGroup var options: SharedOptions

    func validate() throws {
        guard line >= 1 else { throw ValidationError("--line counts from 1.") }
        if let column, column < 1 { throw ValidationError("--column counts from 1.") }
    }

    private struct Output: Encodable {
        var text: String
        var model: String?
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let context = try CLIContext.make(options)
            var changes = ChangeSet(workspace: context.workspace, secretFilter: context.secretFilter)
            let key = try changes.read(file, absolutePath: try context.workspace.absolutePathInside(file))
            guard let target = changes.change(key) else { return }
            let document = context.document(path: target.absolutePath, text: target.text)
            // Checks the line (and column) against the file even when the cursor goes to the end of the line.
            let given = try TextPoint(line: line, column: column ?? 1).offset(in: document, displayPath: target.displayPath)
            let position = column == nil ? document.lineIndex.contentEndOffset(ofLine: line - 1) : given
            // An asked-for completion waits out a rate limit; the progress line says so.
            let reporter = ProgressReporter()
            defer { reporter.finish(showTotals: false) }
            let outcome = try await context.withEngine(task: .completion, indexing: false, progress: reporter) { engine in
                try await InlineCompletionCoordinator(debounce: .zero).complete(
                    CompletionQuery(document: document, cursor: position, invoked: true), engine: engine,
                    events: reporter.sink)
            }
            if json {
                JSONOutput.print(Output(text: outcome?.text ?? "", model: outcome?.model))
            } else if let outcome {
                StandardStreams.writeOutput(outcome.text)
            }
            if outcome == nil { StandardStreams.writeError("K2 offered no completion here.\n") }
        }
    }
}
