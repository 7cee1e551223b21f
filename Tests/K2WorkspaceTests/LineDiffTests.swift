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

/// Rebuilds the new lines from the old ones and the hunks.
private func rebuild<Line>(_ old: [Line], _ new: [Line], _ hunks: [LineDiffHunk]) -> [Line] {
    var rebuilt: [Line] = []
    var oldIndex = 0
    for hunk in hunks {
        rebuilt += old[oldIndex..<hunk.oldRange.lowerBound]
        rebuilt += new[hunk.newRange]
        oldIndex = hunk.oldRange.upperBound
    }
    return rebuilt + old[oldIndex...]
}

@Test func hunksAreMinimalAndRebuildTheNewLinesForRandomInputs() {
    // A linear congruential sequence: the same cases on every run.
    var seed: UInt64 = 12
    func random(_ upperBound: Int) -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(seed >> 33) % upperBound
    }
    for _ in 0..<300 {
        let old = (0..<random(31)).map { _ in "l\(random(6))" }
        var new = old
        for _ in 0..<random(9) {
            switch random(3) {
            case 0 where !new.isEmpty: new.remove(at: random(new.count))
            case 1: new.insert("n\(random(6))", at: random(new.count + 1))
            default: if !new.isEmpty { new[random(new.count)] = "c" }
            }
        }
        let hunks = LineDiff.hunks(from: old, to: new)
        #expect(rebuild(old, new, hunks) == new, "\(old) -> \(new)")
        let changed = hunks.reduce(0) { $0 + $1.oldRange.count + $1.newRange.count }
        #expect(changed == new.difference(from: old).count, "not minimal: \(old) -> \(new)")
    }
}

@Test func pastTheEditDistanceLimitTheMiddleIsOneHunk() {
    let old = ["head", "x", "tail"]
    let new = ["head"] + (0..<100).map { "new \($0)" } + ["tail"]
    let hunks = LineDiff.hunks(from: old, to: new, limits: LineDiffLimits(maximumEditDistance: 10))
    #expect(hunks == [LineDiffHunk(oldRange: 1..<2, newRange: 1..<101)])
    let unrelated = LineDiff.hunks(
        from: (0..<50).map { "a\($0)" }, to: (0..<50).map { "b\($0)" }, limits: LineDiffLimits(maximumEditDistance: 10))
    #expect(unrelated == [LineDiffHunk(oldRange: 0..<50, newRange: 0..<50)])
}

@Test func aStoppedSearchGivesOneExactHunk() {
    let old = (0..<40).map { "line \($0)" }
    var new = old
    new[5] = "five"
    new[30] = "thirty"
    let hunks = LineDiff.hunks(from: old, to: new, limits: LineDiffLimits(shouldStop: { true }))
    #expect(hunks == [LineDiffHunk(oldRange: 5..<31, newRange: 5..<31)])
    #expect(rebuild(old, new, hunks) == new)
}
