// Line diff hunks.
import Testing
import K2Workspace

struct DiffCase: Sendable, CustomTestStringConvertible {
    var old: [String]
    var new: [String]
    var hunks: [LineDiffHunk]
    var testDescription: String { "\(old) -> \(new)" }
}

@Test(arguments: [
    DiffCase(old: [], new: [], hunks: []),
    DiffCase(old: ["a", "b"], new: ["a", "b"], hunks: []),
    DiffCase(old: ["a", "b", "c"], new: ["a", "x", "c"], hunks: [.init(oldRange: 1..<2, newRange: 1..<2)]),
    DiffCase(old: ["a", "c"], new: ["a", "b", "c"], hunks: [.init(oldRange: 1..<1, newRange: 1..<2)]),
    DiffCase(old: ["a", "b", "c"], new: ["a", "c"], hunks: [.init(oldRange: 1..<2, newRange: 1..<1)]),
    DiffCase(old: [], new: ["a"], hunks: [.init(oldRange: 0..<0, newRange: 0..<1)]),
    DiffCase(
        old: ["1", "2", "3", "4", "5"], new: ["0", "1", "2", "x", "4", "5", "6"],
        hunks: [
            .init(oldRange: 0..<0, newRange: 0..<1), .init(oldRange: 2..<3, newRange: 3..<4),
            .init(oldRange: 5..<5, newRange: 6..<7),
        ]),
])
func lineDiffHunks(_ testCase: DiffCase) {
    #expect(LineDiff.hunks(from: testCase.old, to: testCase.new) == testCase.hunks)
}

@Test func hunksRebuildTheNewLines() {
    let old = (0..<200).map { "line \($0 % 17)" }
    var new = old
    new.remove(at: 150)
    new.insert("inserted", at: 40)
    new[3] = "changed"
    var rebuilt: [String] = []
    var oldIndex = 0
    for hunk in LineDiff.hunks(from: old, to: new) {
        rebuilt += old[oldIndex..<hunk.oldRange.lowerBound]
        rebuilt += new[hunk.newRange]
        oldIndex = hunk.oldRange.upperBound
    }
    rebuilt += old[oldIndex...]
    #expect(rebuilt == new)
}
