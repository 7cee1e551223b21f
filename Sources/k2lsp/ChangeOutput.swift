// How edit and agent runs print their result: diffs on stdout (or JSON), the outcome in a line on stderr.
import AnyJSON
import K2Engine

/// The JSON of `k2lsp edit --json` and `k2lsp agent --json`.
struct ChangeOutput: Sendable, Encodable {
    struct Usage: Sendable, Encodable {
        var promptTokens: Int
        var completionTokens: Int
        var cachedTokens: Int?

        init(_ totals: UsageTotals) {
            promptTokens = totals.promptTokens
            completionTokens = totals.completionTokens
            cachedTokens = totals.cachedTokens
        }
    }

    struct Step: Sendable, Encodable {
        var tool: String
        var arguments: JSONValue
        var ok: Bool
        var resultPreview: String
    }

    var files: [ChangeSet.FileDiff]
    var model: String
    var usage: Usage
    /// What K2 said about its change.
    var summary: String?
    /// True when the files were written (`--write`).
    var written: Bool
    /// The agent's tool calls; absent for `edit`.
    var steps: [Step]?

    /// Prints the result; with `write`, first writes every changed file (all or nothing).
    static func emit(
        _ changes: ChangeSet, model: String, usage: UsageTotals, summary: String?, steps: [Step]?,
        options: ResultOptions
    ) throws(CLIFailure) {
        let (write, json) = (options.write, options.json)
        let diffs = changes.diffs
        if write && !changes.isEmpty { try changes.write(replacingReadOnlyFiles: options.force) }
        if json {
            let output = ChangeOutput(
                files: diffs, model: model, usage: Usage(usage), summary: summary, written: write && !changes.isEmpty,
                steps: steps)
            JSONOutput.print(output)
        } else {
            StandardStreams.writeOutput(diffs.map(\.diff).joined())
        }
        if changes.isEmpty {
            StandardStreams.writeError("K2 proposed no changes.\n")
        } else if write {
            StandardStreams.writeError("Wrote \(changes.writtenPaths.joined(separator: ", ")).\n")
        } else if !json {
            let count = diffs.count == 1 ? "1 file" : "\(diffs.count) files"
            StandardStreams.writeError("Nothing was written (\(count) would change); add --write to apply the change.\n")
        }
    }
}
