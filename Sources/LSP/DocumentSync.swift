// textDocument/didOpen, didChange, didClose, didSave.
import JSONRPC

public struct DidOpenTextDocumentNotification: LSPNotification {
    public static let method = "textDocument/didOpen"
    public var textDocument: TextDocumentItem
}

public struct TextDocumentContentChangeEvent: Codable, Sendable, Hashable {
    /// Absent for a full-text change.
    public var range: Range?
    public var rangeLength: Int?
    public var text: String
    public init(range: Range? = nil, rangeLength: Int? = nil, text: String) {
        self.range = range
        self.rangeLength = rangeLength
        self.text = text
    }
}

public struct DidChangeTextDocumentNotification: LSPNotification, ResourceScoped {
    public static let method = "textDocument/didChange"
    public var textDocument: VersionedTextDocumentIdentifier
    public var contentChanges: [TextDocumentContentChangeEvent]
    public var resourceID: String { textDocument.uri }
}

public struct DidCloseTextDocumentNotification: LSPNotification {
    public static let method = "textDocument/didClose"
    public var textDocument: TextDocumentIdentifier
}

public struct DidSaveTextDocumentNotification: LSPNotification {
    public static let method = "textDocument/didSave"
    public var textDocument: TextDocumentIdentifier
    public var text: String?
}
