// `k2lsp agent -m TEXT`: runs the K2 agent over the workspace and prints the diff of everything it would change.
import ArgumentParser
import K2Engine

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the K2 agent over the workspace; print its changes as a diff, or apply them with --write.",
        discussion: """
            The agent reads and searches the workspace with its tools and proposes edits; nothing is written \
            unless --write is given, and then all of its changes are written or none. The step log goes to stderr.

            Example:
              k2lsp agent -m "rename the Config type to Settings everywhere" --write
            """
    )

    @Option(
        name: [.customShort("m"), .customLong("message"), .customLong("instruction")],
        help: ArgumentHelp("The task for the agent. '-' reads it from stdin.", valueName: "text"))
    var instruction: String

    @OptionGroup var result: ResultOptions

    @OptionGroup var options: SharedOptions

    func validate() throws {
        if instruction.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("Say what the agent should do with -m \"…\" (or -m - to read it from stdin).")
        }
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let instruction = try InstructionInput.resolve(self.instruction) ?? self.instruction
            let context = try CLIContext.make(options)
            let reporter = ProgressReporter()
            let outcome: AgentOutcome
            do {
                outcome = try await context.withEngine(task: .agent, indexing: true, progress: reporter) { engine in
                    try await engine.runAgent(
                        AgentRequest(instruction: instruction, workspaceRoot: context.workspace.root),
                        events: reporter.sink)
                }
                // The step log: shown live when the engine reports tool calls, else from the outcome.
                if reporter.toolCallLinesShown == 0 {
                    for (number, step) in outcome.steps.enumerated() {
                        reporter.handle(
                            .toolCall(
                                ToolCallProgress(
                                    step: number + 1, tool: step.tool, arguments: step.arguments,
                                    status: step.ok ? .done : .failed, resultPreview: step.resultPreview)))
                    }
                }
                reporter.finish(showTotals: true)
            } catch {
                reporter.finish(showTotals: false)
                throw error
            }
            var changes = ChangeSet(workspace: context.workspace, secretFilter: context.secretFilter)
            try changes.apply(outcome.edits)
            let summary = outcome.summary.trimmingCharacters(in: .whitespacesAndNewlines)
            if !summary.isEmpty, !result.json { StandardStreams.writeError(summary + "\n") }
            try ChangeOutput.emit(
                changes, model: outcome.model, usage: outcome.usage, summary: summary.isEmpty ? nil : summary,
                steps: outcome.steps.map {
                    ChangeOutput.Step(tool: $0.tool, arguments: $0.arguments, ok: $0.ok, resultPreview: $0.resultPreview)
                },
                options: result)
        }
    }
}
