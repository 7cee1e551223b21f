// `swift run -c release k2-document-benchmark [MB] [CHANGES]`: how long one didChange batch takes to apply.
import Foundation
import K2Workspace

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let megabytes = arguments.first ?? 5
let changeCount = arguments.dropFirst().first ?? 2000

// A source-like buffer: ~60-byte lines with a little non-ASCII, CRLF on every tenth line.
var lines: [String] = []
var size = 0
var lineNumber = 0
while size < megabytes << 20 {
    let line = "    let value\(lineNumber) = compute(\"résumé 🎉\", \(lineNumber)) // note" + (lineNumber % 10 == 0 ? "\r\n" : "\n")
    lines.append(line)
    size += line.utf8.count
    lineNumber += 1
}
let base = DocumentSnapshot(uri: "file:///bench.swift", languageID: "swift", version: 1, text: lines.joined())

/// Spread-out pseudo-random numbers from an index (deterministic, so runs compare).
func scattered(_ index: Int, below bound: Int) -> Int { (index &* 2_654_435_761 &+ 12345) % bound }

func batch(_ name: String, _ makeChanges: () -> [DocumentChange]) {
    let changes = makeChanges()
    var best = Duration.seconds(3600)
    var result = base
    for _ in 0..<3 {
        let start = ContinuousClock.now
        result = base.applying(changes, version: 2, encoding: .utf16)
        best = min(best, ContinuousClock.now - start)
    }
    let milliseconds = Double(best.components.seconds) * 1000 + Double(best.components.attoseconds) / 1e15
    print("\(name): \(changes.count) changes on \(base.text.utf8.count >> 20) MB in \(String(format: "%.1f", milliseconds)) ms (best of 3); \(result.lineIndex.lineCount) lines")
}

let lineCount = base.lineIndex.lineCount
batch("random single-character inserts") {
    (0..<changeCount).map { index in
        let position = LineColumn(line: scattered(index, below: lineCount), column: scattered(index, below: 40))
        return DocumentChange(range: (position, position), text: "x")
    }
}
batch("replace-all, bottom to top (VS Code)") {
    let picked = (0..<changeCount).map { scattered($0, below: lineCount) }
    return Set(picked).sorted(by: >).map { line in
        DocumentChange(range: (LineColumn(line: line, column: 4), LineColumn(line: line, column: 7)), text: "var")
    }
}
batch("typing at one place, with line breaks") {
    var changes: [DocumentChange] = []
    var column = 0
    var line = lineCount / 2
    for index in 0..<changeCount {
        let text = index % 50 == 49 ? "\n" : "a"
        let position = LineColumn(line: line, column: column)
        changes.append(DocumentChange(range: (position, position), text: text))
        if text == "\n" { line += 1; column = 0 } else { column += 1 }
    }
    return changes
}
