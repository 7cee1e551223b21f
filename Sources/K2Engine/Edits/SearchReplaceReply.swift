// A reply of search/replace blocks in aider's format, parsed strictly.

/// One `<<<<<<< SEARCH` / `=======` / `>>>>>>> REPLACE` block. `search` and `replace` are whole lines, each ended by
/// `\n`; an empty `search` creates the file, or appends to it when it exists.
public struct SearchReplaceBlock: Sendable, Hashable {
    /// The file named on the line before the block (or before an earlier block), nil when none was named.
    public var path: String?
    public var search: String
    public var replace: String
    /// 1-based position of the block in the reply, for messages.
    public var number: Int

    public init(path: String?, search: String, replace: String, number: Int) {
        self.path = path
        self.search = search
        self.replace = replace
        self.number = number
    }
}

public enum SearchReplaceReply {
    /// The blocks of a reply. Text outside blocks (prose, fences) is ignored. Markers may have 5 to 9 characters,
    /// as aider accepts. A block's file is the path line among the three lines before it (fence lines are skipped,
    /// and so are `**`, backticks, `#` or a trailing colon around the name), or the path in its fence's info string;
    /// a block without one uses the previous block's file. Lines that are not paths (`...`, `Fixed.`) name nothing.
    public static func parse(_ reply: String) -> Result<[SearchReplaceBlock], ReplyFormatError> {
        parse(lines: ReplyText.lines(of: reply)).map { $0.map(\.block) }
    }

    /// The blocks with the reply lines each spans, from its SEARCH marker to its REPLACE marker.
    static func parse(lines: [String]) -> Result<[(block: SearchReplaceBlock, lines: ClosedRange<Int>)], ReplyFormatError> {
        let fences = FencedBlock.all(in: lines)
        var blocks: [(block: SearchReplaceBlock, lines: ClosedRange<Int>)] = []
        var currentPath: String?
        var index = 0
        var endOfPreviousBlock = 0
        while index < lines.count {
            // A divider outside a block is a Markdown heading underline, not a marker.
            guard let marker = Marker(lines[index]), marker != .divider else {
                index += 1
                continue
            }
            let number = blocks.count + 1
            guard marker == .search else {
                return .failure(.malformedSearchReplaceBlock(number: number, problem: .unexpectedMarker(marker.text)))
            }
            if let named = fileName(before: index, after: endOfPreviousBlock, in: lines, fences: fences) {
                currentPath = named
            }

            guard let search = section(of: lines, from: index + 1, endingWith: .divider) else {
                return .failure(.malformedSearchReplaceBlock(number: number, problem: .missingDivider))
            }
            guard let replace = section(of: lines, from: search.markerIndex + 1, endingWith: .replace) else {
                return .failure(.malformedSearchReplaceBlock(number: number, problem: .missingReplaceMarker))
            }
            let start = index
            index = replace.markerIndex + 1
            endOfPreviousBlock = index
            let block = SearchReplaceBlock(
                path: currentPath, search: ReplyText.joinedAsLines(search.lines),
                replace: ReplyText.joinedAsLines(replace.lines), number: number)
            blocks.append((block, start...replace.markerIndex))
        }
        return blocks.isEmpty ? .failure(.noSearchReplaceBlocks) : .success(blocks)
    }

    /// The lines from `start` up to the `end` marker; nil when another marker or the end of the reply comes first.
    private static func section(of lines: [String], from start: Int, endingWith end: Marker)
        -> (lines: [String], markerIndex: Int)?
    {
        var index = start
        while index < lines.count {
            switch Marker(lines[index]) {
            case nil: index += 1
            case end: return (Array(lines[start..<index]), index)
            default: return nil
            }
        }
        return nil
    }

    /// A marker line: 5 to 9 `<`, `=` or `>` (aider accepts as many), with SEARCH or REPLACE where they belong.
    enum Marker: Equatable {
        case search, divider, replace

        init?(_ line: String) {
            let trimmed = ReplyText.trimmed(line)
            func run(of character: Character) -> Int { trimmed.prefix(while: { $0 == character }).count }
            let lessThan = run(of: "<")
            let equals = run(of: "=")
            let greaterThan = run(of: ">")
            if (5...9).contains(lessThan), ["SEARCH", "SEARCH>"].contains(ReplyText.trimmed(trimmed.dropFirst(lessThan))) {
                self = .search
            } else if (5...9).contains(equals), equals == trimmed.count {
                self = .divider
            } else if (5...9).contains(greaterThan), ReplyText.trimmed(trimmed.dropFirst(greaterThan)) == "REPLACE" {
                self = .replace
            } else {
                return nil
            }
        }

        var text: String {
            switch self {
            case .search: return "<<<<<<< SEARCH"
            case .divider: return "======="
            case .replace: return ">>>>>>> REPLACE"
            }
        }
    }

    /// The nearest file name in the (up to) three lines before `lineIndex`, not reaching back into an earlier block;
    /// else the path in the info string of the fence the block is in (```` ```src/a.py ````).
    private static func fileName(before lineIndex: Int, after lowerLimit: Int, in lines: [String], fences: [FencedBlock])
        -> String?
    {
        var index = lineIndex - 1
        while index >= max(lowerLimit, lineIndex - 3) {
            let line = lines[index]
            index -= 1
            if let fence = Fence.opening(line), let named = ReplyPathName.fromFenceInfo(fence) { return named }
            if FencedBlock.isFenceLine(line) || ReplyText.isBlank(line) { continue }
            if let named = ReplyPathName.fromLine(line) { return named }
            break
        }
        let enclosing = fences.last { $0.openingLineIndex < lineIndex && lineIndex < $0.closingLineIndex }
        return enclosing.flatMap { ReplyPathName.fromFenceInfo($0.info) }
    }
}
