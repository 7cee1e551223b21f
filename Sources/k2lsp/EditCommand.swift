// `k2lsp edit FILE… -m TEXT`: edits files with K2 and prints the change as a git-style diff, or writes it.
import ArgumentParser
import K2Engine
import K2Workspace

struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit files with K2; print the change as a diff, or apply it with --write.",
        discussion: """
            Without --lines or --range each whole file is the selection. The files are edited one after the \
            other; every edit is computed and checked before anything is written, and a failure writes nothing.

            Examples:
              k2lsp edit Sources/App/main.swift -m "use guard instead of nested ifs"
              k2lsp edit a.py b.py -m "add type hints" --write
              git diff --name-only | xargs k2lsp edit --kind document --write
              echo "rename total to sum" | k2lsp edit calc.go --lines 10-30 -m -
            """
    )

    @Argument(help: "The files to edit (relative to the current directory).")
    var files: [String]

    @Option(
        name: [.customShort("m"), .customLong("message"), .customLong("instruction")],
        help: ArgumentHelp("What to change. '-' reads it from stdin.", valueName: "text"))
    var instruction: String?

    @Option(name: .long, help: "Only these lines of the file, 1-based and inclusive: 10-25 (or 12 for one line).")
    var lines: String?

    @Option(
        name: .long,
        help: "Only this range: LINE:COLUMN-LINE:COLUMN, 1-based, columns in characters, the end exclusive.")
    var range: String?

    @Option(
        name: .long,
        help: "edit (default), fix, refactor, document or tests; all but edit have a built-in instruction.")
    var kind: String = EditKind.edit.rawValue

    @OptionGroup var result: ResultOptions

    @OptionGroup var options: SharedOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one file to edit.") }
        guard let editKind = EditKind(rawValue: kind) else {
            throw ValidationError(
                "Unknown kind '\(kind)'. Use one of: \(EditKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if editKind.impliedInstruction == nil, instruction?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            throw ValidationError("Say what to change with -m \"…\" (or -m - to read it from stdin).")
        }
        let location = try TextLocation.parse(lines: lines, range: range)
        if !location.isWholeFile && files.count > 1 {
            throw ValidationError("--lines and --range apply to one file; name only one file with them.")
        }
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let editKind = EditKind(rawValue: kind) ?? .edit
            let location = try TextLocation.parse(lines: lines, range: range)
            let instruction = try InstructionInput.resolve(self.instruction)
            let context = try CLIContext.make(options)
            // Every file is read before the first model call: a missing or binary file costs nothing.
            var changes = ChangeSet(workspace: context.workspace, secretFilter: context.secretFilter)
            var keys: [String] = []
            for file in files {
                let key = try changes.read(file, absolutePath: try context.workspace.absolutePathInside(file))
                if !keys.contains(key) { keys.append(key) }
            }
            let reporter = ProgressReporter()
            var usage = UsageTotals()
            var models: [String] = []
            var summaries: [String] = []
            do {
                try await context.withEngine(task: editKind.task, indexing: true, progress: reporter) { engine in
                    for key in keys {
                        guard let target = changes.change(key) else { continue }
                        reporter.begin(keys.count > 1 ? target.displayPath : nil)
                        let document = context.document(path: target.absolutePath, text: target.text)
                        let request = EditRequest(
                            kind: editKind, document: document, path: target.absolutePath,
                            selection: try location.textRange(in: document, displayPath: target.displayPath),
                            instruction: instruction)
                        let outcome = try await engine.runEdit(request, events: reporter.sink)
                        try changes.apply(outcome.edits)
                        // Later files of this run are edited from these texts, as an editor edits from its buffers.
                        for edit in outcome.edits {
                            guard let text = changes.text(ofFile: edit.path) else { continue }
                            await engine.documents.open(
                                uri: FileURI.uri(fromPath: edit.path), languageID: LanguageIdentifier.forPath(edit.path),
                                version: 0, text: text)
                        }
                        usage.add(outcome.usage)
                        if !models.contains(outcome.model) { models.append(outcome.model) }
                        if let summary = outcome.summary {
                            summaries.append(keys.count > 1 ? "\(target.displayPath): \(summary)" : summary)
                        }
                    }
                }
                reporter.finish(showTotals: true)
            } catch {
                reporter.finish(showTotals: false)
                throw error
            }
            let summary = summaries.isEmpty ? nil : summaries.joined(separator: "\n")
            if let summary, !result.json { StandardStreams.writeError(summary + "\n") }
            try ChangeOutput.emit(
                changes, model: models.joined(separator: ", "), usage: usage, summary: summary, steps: nil,
                options: result)
        }
    }
}

extension UsageTotals {
    /// Sums the usage of several commands of one run.
    mutating func add(_ other: UsageTotals) {
        promptTokens += other.promptTokens
        completionTokens += other.completionTokens
        if let cached = other.cachedTokens { cachedTokens = (cachedTokens ?? 0) + cached }
    }
}
