// Lines and columns as people type them (1-based; columns count characters), parsed and turned into offsets.
import ArgumentParser
import K2Workspace

/// A position in a file: 1-based line, 1-based column counting Unicode characters (column 1 is the line's start;
/// one past its last character is its end).
struct TextPoint: Sendable, Hashable {
    var line: Int
    var column: Int

    /// `12:5`.
    static func parse(_ text: String, option: String) throws -> TextPoint {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let line = Int(parts[0]), let column = Int(parts[1]), line >= 1, column >= 1 else {
            throw ValidationError("\(option) expects LINE:COLUMN, both from 1 (e.g. 12:5); got '\(text)'.")
        }
        return TextPoint(line: line, column: column)
    }

    /// The UTF-8 offset in `document`; refused when the line or column lies past the end.
    func offset(in document: DocumentSnapshot, displayPath: String) throws(CLIFailure) -> Int {
        let index = document.lineIndex
        // The empty line after a final line break is a valid position (the end of the file).
        guard line <= index.lineCount else {
            let lineCount = TextLocation.visibleLineCount(of: document)
            throw CLIFailure(.usage, "Line \(line) is past the end of \(displayPath), which has \(lineCount) lines.")
        }
        let start = index.startOffset(ofLine: line - 1)
        let end = index.contentEndOffset(ofLine: line - 1)
        let characters = document.text.slice(TextRange(start, end)).unicodeScalars.count
        guard column <= characters + 1 else {
            throw CLIFailure(
                .usage,
                "Column \(column) is past the end of line \(line) of \(displayPath), which has \(characters) characters; the last position is column \(characters + 1).")
        }
        return document.offset(of: LineColumn(line: line - 1, column: column - 1), in: .utf32)
    }
}

/// What part of a file an edit works on.
enum TextLocation: Sendable, Hashable {
    case wholeFile
    /// 1-based, inclusive.
    case lines(first: Int, last: Int)
    /// The end is exclusive: `1:1-1:5` is the first four characters.
    case range(start: TextPoint, end: TextPoint)

    /// From `--lines A-B` (or `--lines A`) and `--range L:C-L:C`; at most one may be given.
    static func parse(lines: String?, range: String?) throws -> TextLocation {
        switch (lines, range) {
        case (nil, nil):
            return .wholeFile
        case (let lines?, nil):
            let parts = lines.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let first = Int(parts[0]), let last = Int(parts[parts.count - 1]),
                first >= 1, last >= first
            else {
                throw ValidationError("--lines expects FIRST-LAST, 1-based and inclusive (e.g. 10-25); got '\(lines)'.")
            }
            return .lines(first: first, last: last)
        case (nil, let range?):
            let parts = range.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw ValidationError("--range expects LINE:COLUMN-LINE:COLUMN (e.g. 3:1-5:10); got '\(range)'.")
            }
            let start = try TextPoint.parse(String(parts[0]), option: "--range")
            let end = try TextPoint.parse(String(parts[1]), option: "--range")
            guard (start.line, start.column) <= (end.line, end.column) else {
                throw ValidationError("--range must end after it starts; got '\(range)'.")
            }
            return .range(start: start, end: end)
        case (.some, .some):
            throw ValidationError("Give either --lines or --range, not both.")
        }
    }

    var isWholeFile: Bool { self == .wholeFile }

    /// The selection in `document` as UTF-8 offsets. Whole lines include their line break, so the model's
    /// replacement replaces the lines completely.
    func textRange(in document: DocumentSnapshot, displayPath: String) throws(CLIFailure) -> TextRange {
        let index = document.lineIndex
        switch self {
        case .wholeFile:
            return TextRange(0, index.utf8Count)
        case .lines(let first, let last):
            let lineCount = Self.visibleLineCount(of: document)
            guard last <= lineCount else {
                throw CLIFailure(
                    .usage, "--lines \(first)-\(last) goes past the end of \(displayPath), which has \(lineCount) lines.")
            }
            let end = last < index.lineCount ? index.startOffset(ofLine: last) : index.utf8Count
            return TextRange(index.startOffset(ofLine: first - 1), end)
        case .range(let start, let end):
            return TextRange(
                try start.offset(in: document, displayPath: displayPath),
                try end.offset(in: document, displayPath: displayPath))
        }
    }

    /// Lines as an editor numbers them: a final line break does not start another line.
    static func visibleLineCount(of document: DocumentSnapshot) -> Int {
        let index = document.lineIndex
        let endsWithBreak = index.lineCount > 1 && index.startOffset(ofLine: index.lineCount - 1) == index.utf8Count
        return endsWithBreak || index.utf8Count == 0 ? index.lineCount - 1 : index.lineCount
    }
}
