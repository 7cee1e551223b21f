// One edit a model asked for, whichever format it came in: a search/replace block or an edit_file call.

public enum EditOperation: Sendable, Hashable {
    case searchReplace(SearchReplaceBlock)
    case editFile(EditFileCall)

    /// The file it edits; nil for a block that named none (the applier's default path is used).
    public var path: String? {
        switch self {
        case .searchReplace(let block): return block.path
        case .editFile(let call): return call.path
        }
    }

    public var search: String {
        switch self {
        case .searchReplace(let block): return block.search
        case .editFile(let call): return call.oldText
        }
    }

    public var replace: String {
        switch self {
        case .searchReplace(let block): return block.replace
        case .editFile(let call): return call.newText
        }
    }

    /// An empty (or whitespace-only) search text creates the file, or appends to it when it exists.
    public var createsOrAppends: Bool {
        search.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// How messages name it: "SEARCH/REPLACE block 2" or "edit_file call 2".
    func name(number: Int) -> String {
        switch self {
        case .searchReplace: return "SEARCH/REPLACE block \(number)"
        case .editFile: return "edit_file call \(number)"
        }
    }

    var searchFieldName: String {
        switch self {
        case .searchReplace: return "SEARCH text"
        case .editFile: return "old_text"
        }
    }
}

extension Array where Element == SearchReplaceBlock {
    public var editOperations: [EditOperation] { map(EditOperation.searchReplace) }
}
