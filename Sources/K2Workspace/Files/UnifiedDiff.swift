// Git-style unified diffs of two texts, byte for byte what `git diff` prints apart from its `index` line.

public enum UnifiedDiff {
    /// A `diff --git` rendering of the change from `oldText` to `newText`; `oldText == nil` means a new file.
    /// Lines are split at `\n` only, as git does, so a CRLF file shows its `\r`s. Hunk headers carry git's default
    /// function context (the nearest earlier old line that starts with a letter, `_` or `$`, at most 80 bytes).
    /// Returns "" when nothing changed. Paths are quoted as git quotes them (`GitPathQuoting`), and a name with a
    /// space ends in a tab on the `---`/`+++` lines as in git, so that `git apply` reads them back and no name can
    /// start a line of its own. Omitted: the `index` line (it needs git's blob
    /// hashes).
    public static func render(
        oldText: String?, newText: String, oldPath: String, newPath: String, context: Int = 3
    ) -> String {
        let isNewFile = oldText == nil
        let oldBytes = Array((oldText ?? "").utf8)
        let newBytes = Array(newText.utf8)
        if !isNewFile && oldBytes == newBytes { return "" }

        let (oldName, newName) = (GitPathQuoting.quoted("a/" + oldPath), GitPathQuoting.quoted("b/" + newPath))
        var output = "diff --git \(oldName) \(newName)\n"
        if isNewFile {
            output += "new file mode 100644\n"
            if newBytes.isEmpty { return output }
        }
        // git ends a name that holds a space with a tab on these lines, so that a reader knows where it stops.
        output += isNewFile ? "--- /dev/null\n" : "--- \(oldName)\(oldPath.contains(" ") ? "\t" : "")\n"
        output += "+++ \(newName)\(newPath.contains(" ") ? "\t" : "")\n"

        let oldLines = LineSplitter.newlineTerminatedLines(of: oldBytes)
        let newLines = LineSplitter.newlineTerminatedLines(of: newBytes)
        let changes = LineDiff.hunks(from: oldLines, to: newLines)
        for group in groupsOfChanges(changes, context: context) {
            output += render(group: group, oldLines: oldLines, newLines: newLines, context: context)
        }
        return output
    }

    /// Changes separated by at most `2 * context` unchanged lines share a hunk, as in git.
    private static func groupsOfChanges(_ changes: [LineDiffHunk], context: Int) -> [[LineDiffHunk]] {
        var groups: [[LineDiffHunk]] = []
        for change in changes {
            if let previous = groups.last?.last,
                change.oldRange.lowerBound - previous.oldRange.upperBound <= 2 * context
            {
                groups[groups.count - 1].append(change)
            } else {
                groups.append([change])
            }
        }
        return groups
    }

    private static func render(group: [LineDiffHunk], oldLines: [ByteLine], newLines: [ByteLine], context: Int)
        -> String
    {
        guard let first = group.first, let last = group.last else { return "" }
        let leadingContext = min(context, first.oldRange.lowerBound)
        let oldStart = first.oldRange.lowerBound - leadingContext
        let newStart = first.newRange.lowerBound - leadingContext
        let trailingContext = min(context, oldLines.count - last.oldRange.upperBound)
        let oldEnd = last.oldRange.upperBound + trailingContext
        let newEnd = last.newRange.upperBound + trailingContext

        var body = ""
        var oldIndex = oldStart
        for change in group {
            while oldIndex < change.oldRange.lowerBound {
                body += line(" ", oldLines[oldIndex])
                oldIndex += 1
            }
            for index in change.oldRange { body += line("-", oldLines[index]) }
            for index in change.newRange { body += line("+", newLines[index]) }
            oldIndex = change.oldRange.upperBound
        }
        while oldIndex < oldEnd {
            body += line(" ", oldLines[oldIndex])
            oldIndex += 1
        }

        var header = "@@ -\(range(start: oldStart, count: oldEnd - oldStart)) "
        header += "+\(range(start: newStart, count: newEnd - newStart)) @@"
        if let function = functionContext(before: oldStart, in: oldLines) { header += " " + function }
        return header + "\n" + body
    }

    /// git's `start,count` (1-based); a count of one is left out, and an empty range names the line before it.
    private static func range(start: Int, count: Int) -> String {
        let shownStart = count == 0 ? start : start + 1
        return count == 1 ? "\(shownStart)" : "\(shownStart),\(count)"
    }

    private static func line(_ marker: String, _ line: ByteLine) -> String {
        let text = marker + line.contentString + "\n"
        return line.ending == nil ? text + "\\ No newline at end of file\n" : text
    }

    /// git's default `funcname` rule (xdiff's `def_ff`) applied to the old lines before the hunk.
    private static func functionContext(before lineIndex: Int, in lines: [ByteLine]) -> String? {
        var index = lineIndex - 1
        while index >= 0 {
            let content = lines[index].content
            if let first = content.first, isFunctionLineStart(first) {
                var bytes = Array(content.prefix(80))
                while let lastByte = bytes.last, lastByte == 0x20 || lastByte == 0x09 || lastByte == 0x0D
                    || lastByte == 0x0B || lastByte == 0x0C
                {
                    bytes.removeLast()
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            index -= 1
        }
        return nil
    }

    private static func isFunctionLineStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x24
    }
}
