// One edit a model asked for, whichever shape it came in: a search/replace block, an edit_file call, a diff hunk
// or a whole file's new text.

public enum EditOperation: Sendable, Hashable {
    case searchReplace(SearchReplaceBlock)
    case editFile(EditFileCall)
    case diffHunk(DiffHunk)
    case wholeFile(WholeFileBlock)

    /// The file it edits; nil for one that named none (the applier's default path is used).
    public var path: String? {
        switch self {
        case .searchReplace(let block): return block.path
        case .editFile(let call): return call.path
        case .diffHunk(let hunk): return hunk.path
        case .wholeFile(let block): return block.path
        }
    }

    /// The same edit on another file (the path a name resolved to).
    public func withPath(_ path: String) -> EditOperation {
        switch self {
        case .searchReplace(var block):
            block.path = path
            return .searchReplace(block)
        case .editFile(var call):
            call.path = path
            return .editFile(call)
        case .diffHunk(var hunk):
            hunk.path = path
            return .diffHunk(hunk)
        case .wholeFile(var block):
            block.path = path
            return .wholeFile(block)
        }
    }

    /// The text it expects in the file ("" for a whole file).
    public var search: String {
        switch self {
        case .searchReplace(let block): return block.search
        case .editFile(let call): return call.oldText
        case .diffHunk(let hunk): return hunk.before
        case .wholeFile: return ""
        }
    }

    /// The text it leaves.
    public var replace: String {
        switch self {
        case .searchReplace(let block): return block.replace
        case .editFile(let call): return call.newText
        case .diffHunk(let hunk): return hunk.after
        case .wholeFile(let block): return block.content
        }
    }

    /// An empty (or whitespace-only) search text creates the file, or adds to it when it exists.
    public var createsOrAppends: Bool {
        if case .wholeFile = self { return false }
        return search.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// How messages name it: "SEARCH/REPLACE block 2", "edit_file call 2", "diff hunk 2", "code block 2". The
    /// reply's own numbering is used where the shape has one; `number` is the position in the list otherwise.
    func name(number: Int) -> String {
        switch self {
        case .searchReplace(let block): return "SEARCH/REPLACE block \(block.number)"
        case .editFile: return "edit_file call \(number)"
        case .diffHunk(let hunk): return "diff hunk \(hunk.number)"
        case .wholeFile(let block): return "code block \(block.number)"
        }
    }

    var searchFieldName: String {
        switch self {
        case .searchReplace: return "SEARCH text"
        case .editFile: return "old_text"
        case .diffHunk: return "hunk's context and removed lines"
        case .wholeFile: return "code block"
        }
    }
}

/// A fenced block that is a file's complete new text (named by a path line or the fence's info string).
public struct WholeFileBlock: Sendable, Hashable {
    public var path: String?
    /// Whole lines, each ended by `\n`.
    public var content: String
    /// 1-based position of the block among the reply's code blocks.
    public var number: Int

    public init(path: String?, content: String, number: Int) {
        self.path = path
        self.content = content
        self.number = number
    }
}

extension Array where Element == SearchReplaceBlock {
    public var editOperations: [EditOperation] { map(EditOperation.searchReplace) }
}
