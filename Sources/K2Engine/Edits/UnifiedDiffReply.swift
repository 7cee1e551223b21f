// A reply that is a unified diff (`---`/`+++` headers, `@@` hunks), fenced or bare, read into hunks per file.

/// One hunk as the model wrote it. Line numbers in its header are not trusted (models get them wrong); where it
/// applies is found from its lines, as for a SEARCH text.
public struct DiffHunk: Sendable, Hashable {
    public enum Line: Sendable, Hashable {
        case context(String)
        case removed(String)
        case added(String)
    }

    /// The file the `+++` header names; nil when the diff has no headers.
    public var path: String?
    public var lines: [Line]
    /// 1-based position of the hunk in the reply, for messages.
    public var number: Int
    /// `--- /dev/null`: the hunk creates the file.
    public var createsFile: Bool

    public init(path: String?, lines: [Line], number: Int, createsFile: Bool = false) {
        self.path = path
        self.lines = lines
        self.number = number
        self.createsFile = createsFile
    }

    /// The lines the hunk expects (context and removed), each ended by `\n`.
    public var before: String {
        ReplyText.joinedAsLines(lines.compactMap { line in
            switch line {
            case .context(let text), .removed(let text): return text
            case .added: return nil
            }
        })
    }

    /// The lines it leaves (context and added), each ended by `\n`.
    public var after: String {
        ReplyText.joinedAsLines(lines.compactMap { line in
            switch line {
            case .context(let text), .added(let text): return text
            case .removed: return nil
            }
        })
    }

    var changesSomething: Bool {
        lines.contains { if case .context = $0 { return false } else { return true } }
    }
}

public enum UnifiedDiffReply {
    /// Whether the reply holds a unified diff: a `---` line followed by a `+++` line, or a fenced block marked
    /// `diff`/`patch` with `@@` hunk headers.
    static func isPresent(in lines: [String], fences: [FencedBlock]) -> Bool {
        if fences.contains(where: { isDiffFence($0) && $0.contentLines.contains(where: isHunkHeader) }) { return true }
        return zip(lines, lines.dropFirst()).contains { isHeaderPair($0, $1) }
    }

    /// The hunks of every diff in the reply, in order. A hunk without headers has no path (the caller's default
    /// file). In a fenced diff every line of a hunk must be context (` `), removed (`-`), added (`+`) or blank;
    /// outside fences the diff ends at the first line that is none of these.
    public static func parse(_ reply: String) -> Result<[DiffHunk], ReplyFormatError> {
        let lines = ReplyText.lines(of: reply)
        let fences = FencedBlock.all(in: lines)
        var parser = DiffParser()
        var insideFence = Set<Int>()
        for fence in fences {
            insideFence.formUnion(fence.openingLineIndex...min(fence.closingLineIndex, lines.count - 1))
            let content = fence.contentLines
            let holdsDiff = isDiffFence(fence) || zip(content, content.dropFirst()).contains { isHeaderPair($0, $1) }
            guard holdsDiff else { continue }
            if let error = parser.read(content, fenced: true) { return .failure(error) }
        }
        // Bare diffs: runs of lines outside fences that start with a header pair.
        var index = 0
        while index + 1 < lines.count {
            guard !insideFence.contains(index), isHeaderPair(lines[index], lines[index + 1]) else {
                index += 1
                continue
            }
            var end = index
            while end < lines.count, !insideFence.contains(end), DiffParser.isDiffLine(lines[end], next: end + 1 < lines.count ? lines[end + 1] : nil) {
                end += 1
            }
            if let error = parser.read(Array(lines[index..<end]), fenced: false) { return .failure(error) }
            index = max(end, index + 1)
        }
        let hunks = parser.hunks.filter(\.changesSomething)
        if hunks.isEmpty { return .failure(.malformedDiff("The diff has no hunk that adds or removes a line.")) }
        return .success(hunks.enumerated().map { offset, hunk in
            var numbered = hunk
            numbered.number = offset + 1
            return numbered
        })
    }

    static func isDiffFence(_ fence: FencedBlock) -> Bool {
        ["diff", "patch", "udiff"].contains(fence.language.lowercased())
    }

    static func isHeaderPair(_ first: String, _ second: String) -> Bool {
        first.hasPrefix("--- ") && second.hasPrefix("+++ ")
    }

    static func isHunkHeader(_ line: String) -> Bool {
        line.hasPrefix("@@")
    }
}

/// Reads diff lines into hunks, file header by file header.
private struct DiffParser {
    private(set) var hunks: [DiffHunk] = []
    private var path: String?
    private var createsFile = false
    private var current: [DiffHunk.Line]?
    /// The counts of the open hunk's `@@ -a,b +c,d @@` header, when it has them.
    private var declared: (old: Int, new: Int)?

    /// Git's extended header lines, which say nothing about content.
    private static let extendedHeaders = [
        "diff --git ", "index ", "new file mode ", "old mode ", "new mode ", "similarity index ", "dissimilarity index ",
    ]

    /// Whether a bare line still belongs to a diff (a blank line does when a diff line follows it).
    static func isDiffLine(_ line: String, next: String?) -> Bool {
        if line.isEmpty { return next.map { !$0.isEmpty && isDiffLine($0, next: nil) } ?? false }
        if let first = line.first, " +-@\\".contains(first) { return true }
        return extendedHeaders.contains(where: line.hasPrefix) || line.hasPrefix("deleted file mode ")
            || line.hasPrefix("rename ") || line.hasPrefix("Binary files ")
    }

    /// Reads one region; returns the format error that makes the reply unusable, if any.
    mutating func read(_ lines: [String], fenced: Bool) -> ReplyFormatError? {
        path = nil
        createsFile = false
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("--- "), index + 1 < lines.count, lines[index + 1].hasPrefix("+++ ") {
                finishHunk()
                if let error = startFile(old: String(line.dropFirst(4)), new: String(lines[index + 1].dropFirst(4))) {
                    return error
                }
                current = []  // Lines right after the headers form a hunk even without `@@`.
                index += 2
                continue
            }
            if line.hasPrefix("@@") {
                finishHunk()
                current = []
                declared = Self.counts(in: line)
                index += 1
                continue
            }
            if line.hasPrefix("deleted file mode ") || line.hasPrefix("+++ /dev/null") {
                return .malformedDiff("The diff deletes a file; k2lsp edits files but never deletes them.")
            }
            if line.hasPrefix("rename ") || line.hasPrefix("copy ") || line.hasPrefix("Binary files ") {
                return .malformedDiff("The diff renames, copies or patches a binary file; send the changes as text edits.")
            }
            if Self.extendedHeaders.contains(where: line.hasPrefix) {
                finishHunk()
                index += 1
                continue
            }
            if current != nil {
                if line.isEmpty {
                    current?.append(.context(""))
                } else if line.hasPrefix("\\") {
                    // "\ No newline at end of file": the file's own final line break is kept as it is.
                } else if let first = line.first, " -+".contains(first) {
                    let text = String(line.dropFirst())
                    current?.append(first == " " ? .context(text) : first == "-" ? .removed(text) : .added(text))
                } else if fenced {
                    return .malformedDiff(
                        "Diff hunk \(hunks.count + 1) has the line `\(line.prefix(80))`, which starts with neither a space, `+` nor `-`; "
                            + "every context line of a hunk needs a leading space.")
                } else {
                    break
                }
            }
            index += 1
        }
        if !fenced, let declared, let open = current, Self.isShort(open, declared: declared) {
            return .malformedDiff(
                "The last hunk has fewer lines than its @@ header declares, so the reply looks cut off.")
        }
        finishHunk()
        return nil
    }

    private mutating func startFile(old: String, new: String) -> ReplyFormatError? {
        guard let newPath = ReplyPathName.fromDiffHeader(new), let oldPath = ReplyPathName.fromDiffHeader(old) else {
            return .malformedDiff("The diff header `+++ \(new.prefix(80))` does not name a file.")
        }
        if newPath == "/dev/null" {
            return .malformedDiff("The diff deletes a file; k2lsp edits files but never deletes them.")
        }
        createsFile = oldPath == "/dev/null"
        let gitPrefixes = (oldPath.hasPrefix("a/") || createsFile) && newPath.hasPrefix("b/")
        path = gitPrefixes ? String(newPath.dropFirst(2)) : newPath
        return nil
    }

    private mutating func finishHunk() {
        if let lines = current, !lines.isEmpty {
            // Blank lines the model left after the last change are not context it meant.
            var trimmed = lines
            while case .context(let text)? = trimmed.last, ReplyText.isBlank(text) { trimmed.removeLast() }
            hunks.append(DiffHunk(path: path, lines: trimmed, number: hunks.count + 1, createsFile: createsFile))
        }
        current = nil
        declared = nil
    }

    private static func counts(in header: String) -> (old: Int, new: Int)? {
        // "@@ -12,5 +12,6 @@ func f()": a missing count is 1.
        let words = header.split(separator: " ")
        guard words.count >= 3, words[1].hasPrefix("-"), words[2].hasPrefix("+") else { return nil }
        func count(_ word: Substring) -> Int? {
            let parts = word.dropFirst().split(separator: ",", omittingEmptySubsequences: false)
            guard let start = parts.first, Int(start) != nil else { return nil }
            return parts.count > 1 ? Int(parts[1]) : 1
        }
        guard let old = count(words[1]), let new = count(words[2]) else { return nil }
        return (old, new)
    }

    private static func isShort(_ lines: [DiffHunk.Line], declared: (old: Int, new: Int)) -> Bool {
        var old = 0
        var new = 0
        for line in lines {
            switch line {
            case .context: old += 1; new += 1
            case .removed: old += 1
            case .added: new += 1
            }
        }
        return old < declared.old || new < declared.new
    }
}
