// `k2-edit-benchmark`: how long turning a model's reply into an edit takes for very large replies and files.
import Foundation
import K2Engine
import K2Workspace

/// One measured case: the text before and after, and what the reply looked like.
struct EditCase {
    var name: String
    var original: String
    var updated: String
}

/// A source-like line, different for every `number`.
func line(_ number: Int) -> String {
    "    let value\(number) = compute(\(number), \"item-\(number % 97)\")  // step \(number)\n"
}

func lines(_ range: Range<Int>) -> String { range.map(line).joined() }

func cases() -> [EditCase] {
    let file = lines(0..<2_000)
    let fileLines = file.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\n" }
    // A one-line selection whose reply holds 87k lines: the model sent far more than the line it was asked for.
    let selected = fileLines[1_000]
    let reply87k = lines(10_000..<97_000)
    let megabyteLines = lines(200_000..<(200_000 + 1_048_576 / line(200_000).utf8.count))
    var scattered = fileLines
    for index in stride(from: 0, to: scattered.count, by: 10) { scattered[index] = "// changed\n" + scattered[index] }
    return [
        EditCase(name: "one-line selection, 87k-line reply", original: file,
                 updated: file.replacingOccurrences(of: selected, with: reply87k)),
        EditCase(name: "one-line selection, 1 MB reply", original: file,
                 updated: file.replacingOccurrences(of: selected, with: megabyteLines)),
        EditCase(name: "1 MB file rewritten whole", original: megabyteLines, updated: lines(0..<megabyteLines.count / 60)),
        EditCase(name: "2,000-line file, every 10th line changed", original: file, updated: scattered.joined()),
        EditCase(name: "87k-line file, one line changed", original: lines(0..<87_000),
                 updated: lines(0..<87_000).replacingOccurrences(of: line(43_210), with: "    let x = 1\n")),
        EditCase(name: "new 40k-line file (write_file)", original: "", updated: lines(0..<40_000)),
    ]
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func format(_ value: Double) -> String { value < 1 ? String(format: "%.1f ms", value * 1000) : String(format: "%.2f s", value) }

/// The agent's path for a new file: write_file into the overlay, then the final edits.
func agentWriteFile(_ text: String) async throws -> Double {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("k2-edit-bench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let workspace = AgentWorkspace(root: root, documents: DocumentStore())
    let start = ContinuousClock.now
    _ = try await WriteFileTool().run(["path": "generated/big.swift", "content": .string(text)], in: workspace)
    _ = try await workspace.finalEdits()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let only = CommandLine.arguments.dropFirst().first
print("case | old lines → new lines | MinimalTextEdits | replacements | UnifiedDiff")
print("--- | --- | --- | --- | ---")
for edit in cases() where only == nil || edit.name.contains(only ?? "") {
    var replacements: [TextReplacement] = []
    let minimal = seconds { replacements = MinimalTextEdits.compute(original: edit.original, updated: edit.updated) }
    guard MinimalTextEdits.apply(replacements, to: edit.original) == edit.updated else {
        fatalError("\(edit.name): the replacements do not rebuild the new text")
    }
    let diff = seconds {
        _ = UnifiedDiff.render(oldText: edit.original.isEmpty ? nil : edit.original, newText: edit.updated, oldPath: "a", newPath: "a")
    }
    let oldCount = edit.original.utf8.count { $0 == 0x0A }
    let newCount = edit.updated.utf8.count { $0 == 0x0A }
    print("\(edit.name) | \(oldCount) → \(newCount) | \(format(minimal)) | \(replacements.count) | \(format(diff))")
}
if only == nil || "write_file".contains(only ?? "") {
    print("agent write_file + finalEdits, new 40k-line file: \(format(try await agentWriteFile(lines(0..<40_000))))")
}
