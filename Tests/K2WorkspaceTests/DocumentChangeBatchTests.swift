// A didChange batch applied in one pass gives exactly what applying its changes one by one gives.
import K2TestSupport
import Testing

@testable import K2Workspace

/// The one-by-one application the batch replaces: a new text and a new line index per change.
private func applyOneByOne(_ changes: [DocumentChange], to text: String, encoding: PositionEncoding) -> String {
    var text = text
    for change in changes {
        guard let range = change.range else {
            text = change.text
            continue
        }
        let index = LineIndex(text)
        let start = index.offset(of: range.start, in: encoding, text: text)
        let end = index.offset(of: range.end, in: encoding, text: text)
        text = text.replacing(TextRange(start, max(start, end)), with: change.text)
    }
    return text
}

@Suite struct DocumentChangeBatchTests {
    /// Pieces chosen to hit every line-break rule: `\r\n` split and joined, lone `\r`, multi-unit characters.
    static let pieces = ["a", "bc", "\n", "\r", "\r\n", "é", "🎉", "中", " ", "\t", "xyz\n", "\r\r\n\n"]

    @Test(arguments: PositionEncoding.allCases)
    func randomBatchesMatchOneByOne(_ encoding: PositionEncoding) {
        var generator = SeededRandomNumberGenerator(seed: 7)
        for round in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &generator) { text += Self.pieces.randomElement(using: &generator) ?? "" }
            var changes: [DocumentChange] = []
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                if Int.random(in: 0..<40, using: &generator) == 0 {
                    changes.append(DocumentChange(range: nil, text: Self.pieces.randomElement(using: &generator) ?? ""))
                    continue
                }
                func position() -> LineColumn {
                    LineColumn(line: Int.random(in: -1...8, using: &generator), column: Int.random(in: -1...9, using: &generator))
                }
                var inserted = ""
                for _ in 0..<Int.random(in: 0...3, using: &generator) { inserted += Self.pieces.randomElement(using: &generator) ?? "" }
                changes.append(DocumentChange(range: (position(), position()), text: inserted))
            }
            let document = DocumentSnapshot(uri: "file:///t", languageID: "", version: 1, text: text)
            let batched = document.applying(changes, version: 2, encoding: encoding)
            let expected = applyOneByOne(changes, to: text, encoding: encoding)
            #expect(batched.text == expected, "round \(round): \(text.debugDescription) with \(changes)")
            #expect(batched.lineIndex == LineIndex(expected))
            if batched.text != expected { return }
        }
    }

    @Test func aLargeBatchOnALargeBufferIsOnePass() {
        // 2,000 changes on 5 MB took 23-39 s when each change copied the text and rebuilt its line index; in one
        // pass an editor's replace-all (changes bottom to top) takes about 20 ms in a release build and well under a
        // second in a debug build (Benchmarks/DocumentBenchmark has the figures). The bound is far above both.
        let line = "    let value = compute(\"résumé 🎉\", 42) // note\n"
        let text = String(repeating: line, count: (5 << 20) / line.utf8.count)
        let document = DocumentSnapshot(uri: "file:///big", languageID: "swift", version: 1, text: text)
        let lines = document.lineIndex.lineCount
        let changes = (0..<2000).map { index -> DocumentChange in
            let line = lines - 2 - index * (lines / 2001)
            return DocumentChange(range: (LineColumn(line: line, column: 4), LineColumn(line: line, column: 7)), text: "var\n")
        }
        let started = ContinuousClock.now
        let changed = document.applying(changes, version: 2, encoding: .utf16)
        let elapsed = ContinuousClock.now - started
        #expect(changed.text.utf8.count == text.utf8.count + 2000)
        #expect(changed.lineIndex.lineCount == lines + 2000)
        #expect(elapsed < .seconds(10), "the batch took \(elapsed)")
    }
}
