// Minimal replacements: line hunks narrowed to bytes, never splitting a character or a CRLF.
import Testing
import K2Engine
import K2Workspace

struct MinimalEditCase: Sendable, CustomTestStringConvertible {
    var name: String
    var original: String
    var updated: String
    var expected: [TextReplacement]
    var testDescription: String { name }
}

private func edit(_ lower: Int, _ upper: Int, _ text: String) -> TextReplacement {
    TextReplacement(range: TextRange(lower, upper), newText: text)
}

@Test(arguments: [
    MinimalEditCase(name: "no change", original: "a\n", updated: "a\n", expected: []),
    MinimalEditCase(name: "one word", original: "hello world\n", updated: "hello there\n", expected: [edit(6, 11, "there")]),
    MinimalEditCase(name: "inserted line", original: "a\nc\n", updated: "a\nb\nc\n", expected: [edit(2, 2, "b\n")]),
    MinimalEditCase(name: "deleted line", original: "a\nb\nc\n", updated: "a\nc\n", expected: [edit(2, 4, "")]),
    MinimalEditCase(name: "emoji sharing three bytes", original: "x 😀 y\n", updated: "x 😃 y\n", expected: [edit(2, 6, "😃")]),
    MinimalEditCase(name: "accented letters sharing a byte", original: "é\n", updated: "ê\n", expected: [edit(0, 2, "ê")]),
    MinimalEditCase(name: "CRLF to LF keeps the pair whole", original: "a\r\nb\r\n", updated: "a\nb\r\n", expected: [edit(1, 3, "\n")]),
    MinimalEditCase(
        name: "two hunks", original: "1\n2\n3\n4\n5\n", updated: "1\nX\n3\n4\nY\n",
        expected: [edit(2, 3, "X"), edit(8, 9, "Y")]),
    MinimalEditCase(name: "append to a last line without newline", original: "a", updated: "a\nb", expected: [edit(1, 1, "\nb")]),
    MinimalEditCase(
        name: "family emoji, last person changes", original: "👨‍👩‍👧\n", updated: "👨‍👩‍👦\n",
        expected: [edit(14, 18, "👦")]),
    MinimalEditCase(name: "from empty", original: "", updated: "new\n", expected: [edit(0, 0, "new\n")]),
    MinimalEditCase(name: "to empty", original: "old\n", updated: "", expected: [edit(0, 4, "")]),
])
func computesMinimalEdits(_ testCase: MinimalEditCase) {
    let edits = MinimalTextEdits.compute(original: testCase.original, updated: testCase.updated)
    #expect(edits == testCase.expected)
    #expect(MinimalTextEdits.apply(edits, to: testCase.original) == testCase.updated)
    expectRangesSurviveUTF16Positions(edits, in: testCase.original)
}

/// Random edits of text full of multi-byte characters and mixed line breaks: the edits rebuild the new text and every
/// boundary converts to a UTF-16 position and back to the same offset.
@Test func randomEditsRoundTrip() {
    var generator = SeededGenerator(seed: 0x5EED)
    let pieces = ["a", "é", "😀", "👨‍👩‍👧", "\n", "\r\n", " ", "}", "中", "\u{301}"]
    for _ in 0..<300 {
        let original = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }
        var updated = original
        for _ in 0..<Int.random(in: 1..<5, using: &generator) {
            let position = Int.random(in: 0...updated.count, using: &generator)
            if Bool.random(using: &generator), position < updated.count {
                updated.remove(at: position)
            } else {
                updated.insert(pieces.randomElement(using: &generator) ?? "", at: position)
            }
        }
        let originalText = original.joined()
        let updatedText = updated.joined()
        let edits = MinimalTextEdits.compute(original: originalText, updated: updatedText)
        #expect(MinimalTextEdits.apply(edits, to: originalText) == updatedText)
        expectRangesSurviveUTF16Positions(edits, in: originalText)
    }
}

private func expectRangesSurviveUTF16Positions(_ edits: [TextReplacement], in text: String) {
    let index = LineIndex(text)
    for edit in edits {
        for offset in [edit.range.lowerBound, edit.range.upperBound] {
            let position = index.position(of: offset, in: .utf16, text: text)
            #expect(index.offset(of: position, in: .utf16, text: text) == offset, "offset \(offset) in \(text.debugDescription)")
        }
    }
}

/// SplitMix64: deterministic randomness so the test is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// The red-team cases (issue 12, item 11) that took 23 s to 115 s: now one pass each, and still exact.
@Suite struct LargeEditTests {
    private static func lines(_ range: Range<Int>) -> String { range.map { "let value\($0) = \($0)\n" }.joined() }

    @Test(.timeLimit(.minutes(1))) func aOneLineSelectionWhoseReplyHas87kLines() {
        let original = Self.lines(0..<2_000)
        let updated = original.replacingOccurrences(of: "let value1000 = 1000\n", with: Self.lines(10_000..<97_000))
        let edits = MinimalTextEdits.compute(original: original, updated: updated)
        #expect(MinimalTextEdits.apply(edits, to: original) == updated)
        #expect(edits.count == 1)
    }

    @Test(.timeLimit(.minutes(1))) func twoUnrelatedMegabyteTexts() {
        let original = Self.lines(0..<50_000)
        let updated = Self.lines(100_000..<150_000)
        let edits = MinimalTextEdits.compute(original: original, updated: updated)
        #expect(MinimalTextEdits.apply(edits, to: original) == updated)
    }

    @Test(.timeLimit(.minutes(1))) func aNew40kLineFile() {
        let updated = Self.lines(0..<40_000)
        #expect(MinimalTextEdits.compute(original: "", updated: updated) == [TextReplacement(range: TextRange(0, 0), newText: updated)])
    }

    @Test func aCancelledTaskGetsOneExactReplacementAtOnce() async {
        let original = Self.lines(0..<3_000)
        let updated = original.replacingOccurrences(of: "let value10 = 10\n", with: "ten\n")
            .replacingOccurrences(of: "let value2990 = 2990\n", with: "end\n")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return MinimalTextEdits.compute(original: original, updated: updated)
        }
        let edits = await task.value
        #expect(edits.count == 1)
        #expect(MinimalTextEdits.apply(edits, to: original) == updated)
    }
}
