// The typed result of context building: items in prompt order, what was skipped and why, and the budget.
import K2Workspace

/// Where an item came from. The raw values are the names used in reports and in `k2/context` replies.
public enum ContextSource: String, Sendable, Hashable, CaseIterable {
    case projectNotes = "project-notes"
    case repoMap = "repo-map"
    case importedFile = "imported-file"
    case openDocument = "open-document"
    case recentlyEdited = "recently-edited"
    case symbolDefinition = "symbol-definition"
    case currentDocument = "current-document"
    case cursorRegion = "cursor-region"

    /// Position in the prompt: what changes least comes first, so that providers can cache the prefix.
    public var promptRank: Int {
        switch self {
        case .projectNotes: return 0
        case .repoMap: return 1
        case .importedFile: return 2
        case .openDocument: return 3
        case .recentlyEdited: return 4
        case .symbolDefinition: return 5
        case .currentDocument: return 6
        case .cursorRegion: return 7
        }
    }
}

/// Why a candidate is not in the bundle.
public enum ContextSkipReason: Sendable, Hashable, CustomStringConvertible {
    case secret(pattern: String)
    case ignored(rule: String)
    case binary
    case tooLarge(bytes: Int, limit: Int)
    case overBudget(needed: Int, available: Int)
    case notFound
    case unreadable(message: String)
    /// Not a file inside a workspace folder (another folder, or an `untitled:` buffer).
    case outsideWorkspace
    case unresolvedImport(target: String)
    case ambiguousSymbol(name: String, definitions: Int)
    case tooLongForNotes(tokens: Int, limit: Int)
    case limitReached(limit: Int)
    case selectionTooLarge(tokens: Int, available: Int)
    case symlinkLeavesWorkspace(target: String)

    /// A short stable code for JSON and scripts.
    public var code: String {
        switch self {
        case .secret: return "secret"
        case .ignored: return "ignored"
        case .binary: return "binary"
        case .tooLarge: return "too-large"
        case .overBudget: return "over-budget"
        case .notFound: return "not-found"
        case .unreadable: return "unreadable"
        case .outsideWorkspace: return "outside-workspace"
        case .unresolvedImport: return "unresolved-import"
        case .ambiguousSymbol: return "ambiguous-symbol"
        case .tooLongForNotes: return "too-long"
        case .limitReached: return "limit-reached"
        case .selectionTooLarge: return "selection-too-large"
        case .symlinkLeavesWorkspace: return "symlink-outside"
        }
    }

    public var description: String {
        switch self {
        case .secret(let pattern): return "secret file (matches `\(pattern)`), never sent"
        case .ignored(let rule): return rule
        case .binary: return "binary file"
        case .tooLarge(let bytes, let limit): return "\(bytes) bytes, over the \(limit)-byte file limit"
        case .overBudget(let needed, let available):
            return "needs \(needed) tokens, \(available) left in the budget"
        case .notFound: return "file not found"
        case .unreadable(let message): return "cannot be read: \(message)"
        case .outsideWorkspace: return "not a file inside the workspace"
        case .unresolvedImport(let target): return "import `\(target)` resolves to no indexed file"
        case .ambiguousSymbol(let name, let definitions):
            return "`\(name)` has \(definitions) definitions, too many to choose from"
        case .tooLongForNotes(let tokens, let limit): return "\(tokens) tokens, longer than the \(limit)-token limit for notes"
        case .limitReached(let limit): return "more than \(limit) candidates of this kind"
        case .selectionTooLarge(let tokens, let available):
            return "the selection needs \(tokens) tokens but only \(available) are available; select less or raise the budget"
        case .symlinkLeavesWorkspace(let target): return "symlink to \(target), outside the workspace"
        }
    }

    init(_ reason: WorkspaceSkipReason) {
        switch reason {
        case .ignored(let rule): self = .ignored(rule: rule.description)
        case .secret(let pattern): self = .secret(pattern: pattern)
        case .tooLarge(let bytes, let limit): self = .tooLarge(bytes: bytes, limit: limit)
        case .symlinkLeavesWorkspace(let target): self = .symlinkLeavesWorkspace(target: target)
        case .symlinkedDirectory, .danglingSymlink, .notRegularFile: self = .unreadable(message: reason.description)
        case .unreadableDirectory(let message): self = .unreadable(message: message)
        }
    }

    init(_ refusal: FileReadRefusal) {
        switch refusal {
        case .secretFile(_, let pattern): self = .secret(pattern: pattern)
        case .tooLarge(_, let bytes, let limit): self = .tooLarge(bytes: bytes, limit: limit)
        case .binary: self = .binary
        case .notFound: self = .notFound
        case .notRegularFile: self = .unreadable(message: "not a regular file")
        case .unreadable(_, let message): self = .unreadable(message: message)
        }
    }
}

/// One piece of context, in the form it takes in the prompt.
public struct ContextItem: Sendable, Hashable {
    public let source: ContextSource
    /// Workspace-relative path (prefixed with the root's name when there are several roots); for the repo map,
    /// a description of what it lists.
    public let path: String
    /// The file's URI; nil for items made up by the builder (the repo map).
    public let uri: String?
    /// Zero-based lines of the file, end exclusive; empty for made-up items.
    public let lineRange: Range<Int>
    public let language: SourceLanguage
    /// The name a symbol definition defines.
    public let symbol: String?
    /// Why it was chosen, for reports.
    public let reason: String
    /// The text as sent: redacted, and for the cursor region with cursor or selection markers.
    public let text: String
    /// Estimated tokens of the rendered item (heading and fence included).
    public let tokens: Int
    /// Only part of the file is included.
    public let truncated: Bool
    public let redactedLineCount: Int
    /// For the cursor region: the text marks a selection rather than a cursor.
    let hasSelection: Bool
}

/// The region around the cursor or selection, split for prompts that need prefix and suffix (completion, edits).
/// The texts are redacted; a boundary on a redacted line moves to the end of that line.
public struct CursorRegion: Sendable, Hashable {
    public let uri: String
    public let path: String
    /// Zero-based lines of the region, end exclusive.
    public let lineRange: Range<Int>
    /// The selection in the document (UTF-8 offsets); empty for a cursor.
    public let selection: TextRange
    public let prefix: String
    public let selectedText: String
    public let suffix: String
}

/// Something that could have been context and is not.
public struct SkippedContext: Sendable, Hashable {
    public let source: ContextSource
    public let path: String
    public let uri: String?
    public let reason: ContextSkipReason
    /// Estimated tokens, when known.
    public let tokens: Int?
}

/// How the budget was computed.
public struct ContextBudget: Sendable, Hashable {
    public let contextWindow: Int
    public let replyMaxTokens: Int
    public let fixedPromptTokens: Int
    public let maxContextTokens: Int?
    public let budgetTokens: Int

    init(_ options: ContextOptions) {
        contextWindow = options.contextWindow
        replyMaxTokens = options.replyMaxTokens
        fixedPromptTokens = options.fixedPromptTokens
        maxContextTokens = options.maxContextTokens
        budgetTokens = options.budgetTokens
    }
}

/// What the commands and the agent turn into prompts.
public struct ContextBundle: Sendable, Hashable {
    public let task: ContextTask
    public let documentURI: String
    public let documentPath: String
    /// Zero-based line of the cursor (the start of the selection).
    public let cursorLine: Int
    /// In prompt order: the part that changes least first, the cursor region last.
    public let items: [ContextItem]
    public let skipped: [SkippedContext]
    public let budget: ContextBudget
    public let usedTokens: Int
    /// Nil when the current document may not be sent (a secret file, an assistant-ignored file, a binary buffer)
    /// or its selection does not fit; `skipped` says which.
    public let cursorRegion: CursorRegion?
    public let index: IndexProgress

    public var budgetTokens: Int { budget.budgetTokens }
}
