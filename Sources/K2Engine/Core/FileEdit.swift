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
    /// The URI of the open document the base text came from, as the editor spelled it; nil for files read from disk.
    public var documentURI: String?

    public init(
        path: String, baseText: String, baseVersion: Int?, newText: String, isNewFile: Bool,
        replacements: [TextReplacement], documentURI: String? = nil
    ) {
        self.path = path
        self.baseText = baseText
        self.baseVersion = baseVersion
        self.newText = newText
        self.isNewFile = isNewFile
        self.replacements = replacements
        self.documentURI = documentURI
    }

    /// The open document's URI when the edit was made on a buffer, else the file's URI.
    public var uri: String { documentURI ?? FileURI.uri(fromPath: path) }
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
