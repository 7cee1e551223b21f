// The result of an edit, in plain values: per file, the text it was computed against and minimal replacements.
// (`TextReplacement` lives with the edit machinery in Edits/MinimalTextEdits.swift.)
import K2Workspace

public struct FileEdit: Sendable, Hashable {
    /// Absolute path.
    public var path: String
    /// The text the replacements apply to (the editor's buffer when open, else the file on disk; empty for new files).
    public var baseText: String
    /// The document version the base text had, when it came from an open document.
    public var baseVersion: Int?
    public var newText: String
    public var isNewFile: Bool
    /// Minimal replacements turning `baseText` into `newText`, sorted, not overlapping.
    public var replacements: [TextReplacement]

    public init(
        path: String, baseText: String, baseVersion: Int?, newText: String, isNewFile: Bool,
        replacements: [TextReplacement]
    ) {
        self.path = path
        self.baseText = baseText
        self.baseVersion = baseVersion
        self.newText = newText
        self.isNewFile = isNewFile
        self.replacements = replacements
    }

    public var uri: String { FileURI.uri(fromPath: path) }
}

/// Token counts summed over the model calls of one command.
public struct UsageTotals: Sendable, Hashable {
    public var promptTokens = 0
    public var completionTokens = 0
    public var cachedTokens: Int?

    public init() {}

    mutating func add(promptTokens: Int, completionTokens: Int, cachedTokens: Int?) {
        self.promptTokens += promptTokens
        self.completionTokens += completionTokens
        if let cachedTokens { self.cachedTokens = (self.cachedTokens ?? 0) + cachedTokens }
    }
}
