// LSP values <-> workspace values. The engine never sees an LSP type; this file and its neighbours translate.
import K2Workspace
import LSP

extension LineColumn {
    init(_ position: Position) {
        self.init(line: position.line, column: position.character)
    }
}

extension Position {
    init(_ lineColumn: LineColumn) {
        self.init(line: lineColumn.line, character: lineColumn.column)
    }
}

extension DocumentSnapshot {
    /// The UTF-8 offsets of an LSP range in this document, clamped to the text.
    func textRange(of range: Range, encoding: PositionEncoding) -> TextRange {
        TextRange(offset(of: LineColumn(range.start), in: encoding), offset(of: LineColumn(range.end), in: encoding))
    }

    func lspPosition(ofOffset offset: Int, encoding: PositionEncoding) -> Position {
        Position(position(of: offset, in: encoding))
    }

    func lspRange(of range: TextRange, encoding: PositionEncoding) -> Range {
        Range(
            start: lspPosition(ofOffset: range.lowerBound, encoding: encoding),
            end: lspPosition(ofOffset: range.upperBound, encoding: encoding))
    }
}

extension K2Workspace.DocumentChange {
    init(_ event: TextDocumentContentChangeEvent) {
        self.init(range: event.range.map { (LineColumn($0.start), LineColumn($0.end)) }, text: event.text)
    }
}
