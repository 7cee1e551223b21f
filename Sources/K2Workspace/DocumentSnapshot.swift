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
    /// Applies changes in order, each against the text the previous one produced, as LSP requires.
    public func applying(_ changes: [DocumentChange], version newVersion: Int, encoding: PositionEncoding)
        -> DocumentSnapshot
    {
        var text = self.text
        var index = lineIndex
        for change in changes {
            if let range = change.range {
                let start = index.offset(of: range.start, in: encoding, text: text)
                let end = index.offset(of: range.end, in: encoding, text: text)
                text = text.replacing(TextRange(start, end), with: change.text)
            } else {
                text = change.text
            }
            index = LineIndex(text)
        }
        return DocumentSnapshot(uri: uri, languageID: languageID, version: newVersion, text: text)
    }
}
