// What the builder is asked for: the current buffer, the cursor or selection, the task and the editor's state.
import K2Workspace

/// What the context is for; it shapes the suggested budget and nothing else in the builder.
public enum ContextTask: String, Sendable, Hashable, CaseIterable {
    case completion, edit, fix, refactor, document, tests, explain, agent

    /// A context cap that suits the task when configuration gives none: completion must be fast and cheap,
    /// the agent may read widely. Nil means the whole window.
    public var suggestedMaxContextTokens: Int? {
        switch self {
        case .completion: return 6_000
        case .edit, .fix, .refactor, .document, .tests, .explain: return 48_000
        case .agent: return nil
        }
    }
}

public struct ContextRequest: Sendable {
    /// The current document as the editor has it (unsaved text included).
    public var document: DocumentSnapshot
    /// UTF-8 offsets into `document.text`; empty for a cursor.
    public var selection: TextRange
    public var task: ContextTask
    /// Every open document; any file open here is read from its snapshot, never from disk.
    public var openDocuments: [DocumentSnapshot]
    /// URIs of documents edited recently, most recent first (`DocumentStore.recentlyEdited()`).
    public var recentlyEdited: [String]
    public var options: ContextOptions

    public init(
        document: DocumentSnapshot, selection: TextRange, task: ContextTask, openDocuments: [DocumentSnapshot] = [],
        recentlyEdited: [String] = [], options: ContextOptions = ContextOptions()
    ) {
        self.document = document
        self.selection = selection
        self.task = task
        self.openDocuments = openDocuments
        self.recentlyEdited = recentlyEdited
        self.options = options
    }
}
