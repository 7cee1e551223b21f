// Line-level differences between two sequences of lines, as hunks of replaced runs.

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

public enum LineDiff {
    /// The hunks of a minimal line diff (Myers, through the standard library's `CollectionDifference`),
    /// in order. Equal lines at both ends are trimmed first, so the usual small edit of a large file is cheap.
    public static func hunks<Line: Equatable>(from oldLines: [Line], to newLines: [Line]) -> [LineDiffHunk] {
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
        let oldMiddle = Array(oldLines[commonPrefix..<(oldLines.count - commonSuffix)])
        let newMiddle = Array(newLines[commonPrefix..<(newLines.count - commonSuffix)])
        if oldMiddle.isEmpty && newMiddle.isEmpty { return [] }

        var removedOffsets = Set<Int>()
        var insertedOffsets = Set<Int>()
        for change in newMiddle.difference(from: oldMiddle) {
            switch change {
            case .remove(let offset, _, _): removedOffsets.insert(offset)
            case .insert(let offset, _, _): insertedOffsets.insert(offset)
            }
        }

        // Unchanged lines pair up in order, so walking both sides together yields the hunks between them.
        var hunks: [LineDiffHunk] = []
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < oldMiddle.count || newIndex < newMiddle.count {
            let oldUnchanged = oldIndex < oldMiddle.count && !removedOffsets.contains(oldIndex)
            let newUnchanged = newIndex < newMiddle.count && !insertedOffsets.contains(newIndex)
            if oldUnchanged && newUnchanged {
                oldIndex += 1
                newIndex += 1
                continue
            }
            let oldStart = oldIndex
            let newStart = newIndex
            while oldIndex < oldMiddle.count && removedOffsets.contains(oldIndex) { oldIndex += 1 }
            while newIndex < newMiddle.count && insertedOffsets.contains(newIndex) { newIndex += 1 }
            if oldStart == oldIndex && newStart == newIndex { break }  // Cannot happen for a valid difference.
            hunks.append(
                LineDiffHunk(
                    oldRange: (commonPrefix + oldStart)..<(commonPrefix + oldIndex),
                    newRange: (commonPrefix + newStart)..<(commonPrefix + newIndex)
                )
            )
        }
        return hunks
    }
}
