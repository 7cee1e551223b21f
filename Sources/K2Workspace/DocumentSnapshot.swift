// An open document at one version: its text and line index.
import Foundation

public struct DocumentSnapshot: Sendable, Hashable {
    public let uri: String
    public let languageID: String
    public let version: Int
    public let text: String
    public let lineIndex: LineIndex

    public init(uri: String, languageID: String, version: Int, text: String) {
        self.uri = uri
        self.languageID = languageID
        self.version = version
        self.text = text
        self.lineIndex = LineIndex(text)
    }

    public func offset(of position: LineColumn, in encoding: PositionEncoding) -> Int {
        lineIndex.offset(of: position, in: encoding, text: text)
    }

    public func position(of offset: Int, in encoding: PositionEncoding) -> LineColumn {
        lineIndex.position(of: offset, in: encoding, text: text)
    }

    /// The file path for a `file://` URI, nil for other schemes.
    public var filePath: String? { FileURI.path(fromURI: uri) }
}

/// One change of a `didChange`: a replacement of a range, or of the whole text when `range` is nil.
public struct DocumentChange: Sendable, Hashable {
    public var range: (start: LineColumn, end: LineColumn)?
    public var text: String

    public init(range: (start: LineColumn, end: LineColumn)?, text: String) {
        self.range = range
        self.text = text
    }

    public static func == (lhs: DocumentChange, rhs: DocumentChange) -> Bool {
        lhs.text == rhs.text && lhs.range?.start == rhs.range?.start && lhs.range?.end == rhs.range?.end
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(range?.start)
        hasher.combine(range?.end)
    }
}

extension DocumentSnapshot {
    /// Applies changes in order, each against the text the previous one produced, as LSP requires. The whole batch
    /// is applied in one pass (see `EditableText`): 2,000 changes to a 5 MB buffer used to take 23 s.
    public func applying(_ changes: [DocumentChange], version newVersion: Int, encoding: PositionEncoding)
        -> DocumentSnapshot
    {
        let lastFullText = changes.lastIndex { $0.range == nil }
        let ranged = changes[(lastFullText.map { $0 + 1 } ?? 0)...]
        let startText = lastFullText.map { changes[$0].text } ?? text
        guard !ranged.isEmpty else {
            return DocumentSnapshot(uri: uri, languageID: languageID, version: newVersion, text: startText)
        }
        let inserted = ranged.reduce(0) { $0 + $1.text.utf8.count }
        let startLines = lastFullText == nil ? lineIndex.lineStarts : LineIndex(startText).lineStarts
        var editable = EditableText(startText, lineStarts: startLines, reserving: inserted + 64)
        for change in ranged {
            guard let range = change.range else { continue }
            let start = editable.offset(of: range.start, in: encoding)
            let end = editable.offset(of: range.end, in: encoding)
            editable.replace(start, end, with: Substring(change.text).utf8)
        }
        return DocumentSnapshot(uri: uri, languageID: languageID, version: newVersion, text: editable.text)
    }
}
