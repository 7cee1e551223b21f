// Line-level differences between two sequences of lines, as hunks of replaced runs; bounded in time and memory.

/// A run of differing lines: `oldRange` of the old lines is replaced by `newRange` of the new lines.
/// An empty `oldRange` is an insertion before old line `oldRange.lowerBound`; an empty `newRange` a deletion.
public struct LineDiffHunk: Sendable, Hashable {
    public var oldRange: Range<Int>
    public var newRange: Range<Int>

    public init(oldRange: Range<Int>, newRange: Range<Int>) {
        self.oldRange = oldRange
        self.newRange = newRange
    }
}

/// How much work a diff may do before it settles for one hunk over everything between the common ends. That hunk is
/// still exact (it turns the old lines into the new ones); it is only not the smallest.
public struct LineDiffLimits: Sendable {
    /// Differing lines (insertions plus deletions) searched for at most. Memory grows with its square.
    public var maximumEditDistance: Int
    /// Comparisons and moves at most, about 50 ms to 200 ms of work.
    public var maximumSteps: Int
    /// Polled as the search goes; true ends it (the task was cancelled, say).
    public var shouldStop: @Sendable () -> Bool

    public init(
        maximumEditDistance: Int = 2_048, maximumSteps: Int = 40_000_000,
        shouldStop: @escaping @Sendable () -> Bool = { Task.isCancelled }
    ) {
        self.maximumEditDistance = maximumEditDistance
        self.maximumSteps = maximumSteps
        self.shouldStop = shouldStop
    }

    public static let standard = LineDiffLimits()
}

public enum LineDiff {
    /// The hunks of a minimal line diff (Myers' O(ND) algorithm), in order. Equal lines at both ends are trimmed
    /// first, so the usual small edit of a large file costs one pass; when one side of what is left is empty, that
    /// is the hunk. Past `limits` (a reply of 87k lines for a one-line selection, two unrelated megabyte texts),
    /// or when `limits.shouldStop` says so, the result is one hunk over the whole middle.
    public static func hunks<Line: Hashable>(
        from oldLines: [Line], to newLines: [Line], limits: LineDiffLimits = .standard
    ) -> [LineDiffHunk] {
        var commonPrefix = 0
        while commonPrefix < oldLines.count && commonPrefix < newLines.count
            && oldLines[commonPrefix] == newLines[commonPrefix]
        {
            commonPrefix += 1
        }
        var commonSuffix = 0
        while commonSuffix < oldLines.count - commonPrefix && commonSuffix < newLines.count - commonPrefix
            && oldLines[oldLines.count - 1 - commonSuffix] == newLines[newLines.count - 1 - commonSuffix]
        {
            commonSuffix += 1
        }
        let oldMiddle = commonPrefix..<(oldLines.count - commonSuffix)
        let newMiddle = commonPrefix..<(newLines.count - commonSuffix)
        if oldMiddle.isEmpty && newMiddle.isEmpty { return [] }
        let whole = [LineDiffHunk(oldRange: oldMiddle, newRange: newMiddle)]
        // Nothing to align, or more differing lines than the search may look for.
        if oldMiddle.isEmpty || newMiddle.isEmpty
            || abs(oldMiddle.count - newMiddle.count) > limits.maximumEditDistance
        {
            return whole
        }
        // Lines become small integers, so that the search compares words, not bytes.
        var numbers: [Line: Int32] = [:]
        func number(_ line: Line) -> Int32 {
            if let known = numbers[line] { return known }
            let next = Int32(truncatingIfNeeded: numbers.count)
            numbers[line] = next
            return next
        }
        let old = oldLines[oldMiddle].map(number)
        let new = newLines[newMiddle].map(number)
        guard let script = MyersSearch(old: old, new: new, limits: limits).editScript() else { return whole }
        return hunks(removed: script.removed, inserted: script.inserted, oldCount: old.count, newCount: new.count)
            .map { hunk in
                LineDiffHunk(
                    oldRange: (hunk.oldRange.lowerBound + commonPrefix)..<(hunk.oldRange.upperBound + commonPrefix),
                    newRange: (hunk.newRange.lowerBound + commonPrefix)..<(hunk.newRange.upperBound + commonPrefix))
            }
    }

    /// Unchanged lines pair up in order, so walking both sides together yields the hunks between them.
    private static func hunks(removed: [Bool], inserted: [Bool], oldCount: Int, newCount: Int) -> [LineDiffHunk] {
        var hunks: [LineDiffHunk] = []
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < oldCount || newIndex < newCount {
            let oldUnchanged = oldIndex < oldCount && !removed[oldIndex]
            let newUnchanged = newIndex < newCount && !inserted[newIndex]
            if oldUnchanged && newUnchanged {
                oldIndex += 1
                newIndex += 1
                continue
            }
            let oldStart = oldIndex
            let newStart = newIndex
            while oldIndex < oldCount && removed[oldIndex] { oldIndex += 1 }
            while newIndex < newCount && inserted[newIndex] { newIndex += 1 }
            if oldStart == oldIndex && newStart == newIndex { break }  // Cannot happen for a valid script.
            hunks.append(LineDiffHunk(oldRange: oldStart..<oldIndex, newRange: newStart..<newIndex))
        }
        return hunks
    }
}

/// Myers' greedy search for the shortest edit script, keeping each round's furthest reaching paths to walk back.
private struct MyersSearch {
    let old: [Int32]
    let new: [Int32]
    let limits: LineDiffLimits

    /// Which old lines are removed and which new lines inserted; nil when the limits were reached.
    func editScript() -> (removed: [Bool], inserted: [Bool])? {
        let n = old.count
        let m = new.count
        let maximum = min(n + m, limits.maximumEditDistance)
        let offset = maximum + 1
        // `furthest[k + offset]`: the furthest x on diagonal k (x - y = k) reached so far.
        var furthest = [Int](repeating: 0, count: 2 * maximum + 3)
        // Round d's values for diagonals -d...d, to walk the path back.
        var rounds: [[Int32]] = []
        var steps = 0
        for distance in 0...maximum {
            if limits.shouldStop() { return nil }
            var round = [Int32](repeating: 0, count: 2 * distance + 1)
            for diagonal in stride(from: -distance, through: distance, by: 2) {
                let goesDown = diagonal == -distance
                    || (diagonal != distance && furthest[diagonal - 1 + offset] < furthest[diagonal + 1 + offset])
                var x = goesDown ? furthest[diagonal + 1 + offset] : furthest[diagonal - 1 + offset] + 1
                var y = x - diagonal
                let start = x
                while x < n && y < m && old[x] == new[y] {
                    x += 1
                    y += 1
                }
                steps += x - start + 1
                furthest[diagonal + offset] = x
                round[diagonal + distance] = Int32(truncatingIfNeeded: x)
                if x >= n && y >= m {
                    rounds.append(round)
                    return walkBack(rounds)
                }
            }
            rounds.append(round)
            if steps > limits.maximumSteps { return nil }
        }
        return nil
    }

    /// From the end to the start: each round added one removal or insertion, after which equal lines followed.
    private func walkBack(_ rounds: [[Int32]]) -> (removed: [Bool], inserted: [Bool]) {
        var removed = [Bool](repeating: false, count: old.count)
        var inserted = [Bool](repeating: false, count: new.count)
        var x = old.count
        var y = new.count
        for distance in stride(from: rounds.count - 1, to: 0, by: -1) {
            let previous = rounds[distance - 1]
            let diagonal = x - y
            func reached(_ k: Int) -> Int { Int(previous[k + distance - 1]) }
            let cameDown = diagonal == -distance || (diagonal != distance && reached(diagonal - 1) < reached(diagonal + 1))
            let previousDiagonal = cameDown ? diagonal + 1 : diagonal - 1
            let previousX = reached(previousDiagonal)
            let previousY = previousX - previousDiagonal
            if cameDown {
                inserted[previousY] = true
            } else {
                removed[previousX] = true
            }
            x = previousX
            y = previousY
        }
        return (removed, inserted)
    }
}
