// `k2-context-benchmark`: generates synthetic workspaces and measures indexing and context building on them.
import Foundation
import K2Context
import K2Workspace

let usage = """
    Usage:
      k2-context-benchmark generate --files N --out DIR [--seed S]   write a synthetic workspace
      k2-context-benchmark run --root DIR [--requests N]             measure one workspace (made by generate)
      k2-context-benchmark all [--sizes 1000,10000,100000] [--dir /tmp/k2-bench] [--requests N]
                                                                     generate what is missing, run each size in its
                                                                     own process, print a table
      k2-context-benchmark show --root DIR [--file PATH] [--line N] [--prompt]
                                                                     print the context report (and prompt) for one request
      k2-context-benchmark profile-read --root DIR [--files N]       where reading a file for a prompt spends its time
    """

func option(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

/// The file `generate` recorded as the one to edit.
func currentFile(of root: String) -> String {
    (try? String(contentsOfFile: root + "/.bench-current", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        ?? "src/main_big.py"
}

func generate(files: Int, into directory: String, seed: UInt64) throws -> GeneratedWorkspace {
    var generator = WorkspaceGenerator(root: directory, sourceFileCount: files, seed: seed)
    let workspace = try generator.generate()
    try Data(workspace.currentFile.utf8).write(to: URL(fileURLWithPath: directory + "/.bench-current"))
    return workspace
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

func printResult(_ result: BenchmarkResult, root: String) {
    print("""
        workspace            \(root)
        files indexed        \(result.files)
        startIndexing()      returns in \(format(result.startReturnMicroseconds)) µs
        listing (index)      \(format(result.listingSeconds, 3)) s
        symbol index         \(format(result.symbolSeconds, 3)) s more, in the background
        RSS                  \(format(result.rssBeforeMB)) MB before, \(format(result.rssAfterListingMB)) MB after listing, \
        \(format(result.rssAfterSymbolsMB)) MB after symbols, peak \(format(result.peakRSSMB)) MB
        bundle (edit)        p50 \(format(result.bundleEditP50, 2)) ms, p99 \(format(result.bundleEditP99, 2)) ms \
        (\(result.bundleItems) items, \(result.bundleTokens) tokens)
        bundle (completion)  p50 \(format(result.bundleCompletionP50, 2)) ms, p99 \(format(result.bundleCompletionP99, 2)) ms
        gather vs raw read   \(format(result.gatherMicroseconds)) µs vs \(format(result.rawReadMicroseconds)) µs \
        for \(result.gatherFiles) files, \(result.gatherBytes) bytes: ratio \(format(result.gatherRatio, 2)) (median per round)
        """)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail(usage) }
switch command {
case "generate":
    guard let files = option("--files", in: arguments).flatMap(Int.init), let out = option("--out", in: arguments) else {
        fail(usage)
    }
    let seed = option("--seed", in: arguments).flatMap(UInt64.init) ?? 42
    let start = ContinuousClock.now
    let workspace = try generate(files: files, into: out, seed: seed)
    print("generated \(workspace.sourceFiles) source files and \(workspace.noiseFiles) noise files, \(workspace.bytes / 1_048_576) MB, in \(ContinuousClock.now - start); current file \(workspace.currentFile)")
case "run":
    guard let root = option("--root", in: arguments) else { fail(usage) }
    let requests = option("--requests", in: arguments).flatMap(Int.init) ?? 200
    let result = try await BenchmarkRunner(root: root, currentFile: currentFile(of: root), requests: requests).run()
    printResult(result, root: root)
case "all":
    let sizes = (option("--sizes", in: arguments) ?? "1000,10000,100000").split(separator: ",").compactMap { Int($0) }
    let directory = option("--dir", in: arguments) ?? "/tmp/k2-bench"
    let requests = option("--requests", in: arguments) ?? "200"
    for size in sizes {
        let root = directory + "/ws\(size)"
        if !FileManager.default.fileExists(atPath: root + "/.bench-current") {
            _ = try generate(files: size, into: root, seed: 42)
        }
        // A process per size, so that memory figures are not mixed up.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["run", "--root", root, "--requests", requests]
        try process.run()
        process.waitUntilExit()
        print("")
    }
case "show":
    guard let root = option("--root", in: arguments) else { fail(usage) }
    let path = option("--file", in: arguments) ?? currentFile(of: root)
    let line = option("--line", in: arguments).flatMap(Int.init) ?? 1
    let index = WorkspaceIndex(roots: [root])
    await index.startIndexing()
    await index.waitUntilSymbolsIndexed()
    let text = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    let document = DocumentSnapshot(uri: FileURI.uri(fromPath: root + "/" + path), languageID: "", version: 1, text: text)
    let offset = document.offset(of: LineColumn(line: line - 1, column: 0), in: .utf8)
    let request = ContextRequest(document: document, selection: TextRange(offset, offset), task: .edit, openDocuments: [document])
    let bundle = try await ContextBuilder(index: index).build(request)
    print(bundle.renderReport())
    if arguments.contains("--prompt") { print(bundle.renderPrompt()) }
case "profile-read":
    guard let root = option("--root", in: arguments) else { fail(usage) }
    try ReadProfile.run(root: root, limit: option("--files", in: arguments).flatMap(Int.init) ?? 200)
default:
    fail(usage)
}
