// A UTF-8 text file as read for editing, and its encoding back to bytes that keep its line endings, BOM and final newline.

/// The editable text of a file plus what is needed to write it back byte-faithfully.
///
/// The engine edits `text` (BOM removed, line endings as they are). `encode(_:)` turns an edited text back into
/// bytes: lines the edit left alone keep their own ending (mixed files stay mixed), new or changed lines get the
/// file's dominant ending, the BOM comes back, and the final-newline state is kept (see `encode`).
public struct LoadedTextFile: Sendable, Hashable {
    /// The path as the caller gave it.
    public let path: String
    /// The path with symbolic links resolved: the file that is really read and written.
    public let resolvedPath: String
    public let text: String
    public let hasBOM: Bool
    public let dominantLineEnding: LineEnding
    public let endsWithNewline: Bool
    public let fingerprint: FileFingerprint

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Decodes bytes, refusing what is not UTF-8 text.
    public init(path: String, resolvedPath: String? = nil, bytes: [UInt8], fingerprint: FileFingerprint? = nil)
        throws(FileWriteError)
    {
        if let encoding = Self.otherUnicodeEncoding(of: bytes) {
            throw .unsupportedEncoding(path: path, encoding: encoding)
        }
        if bytes.contains(0) { throw .binary(path: path) }
        let hasBOM = bytes.starts(with: Self.byteOrderMark)
        let body = hasBOM ? Array(bytes.dropFirst(3)) : bytes
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .notUTF8(path: path, byteOffset: Self.firstInvalidByteOffset(in: body) + (hasBOM ? 3 : 0))
        }
        self.path = path
        self.resolvedPath = resolvedPath ?? path
        self.text = text
        self.hasBOM = hasBOM
        self.dominantLineEnding = LineEnding.dominant(inBytes: body)
        self.endsWithNewline = body.last == 0x0A || body.last == 0x0D
        self.fingerprint = fingerprint ?? FileFingerprint(bytes: bytes)
    }

    /// The bytes to write for an edited text.
    ///
    /// Lines are matched between `text` and `newText` by content (a line diff that ignores line endings).
    /// Matched lines keep the ending they had in the file; new and changed lines get `dominantLineEnding`.
    /// The final newline follows the file: a file that ended with a line break still does, one that did not still
    /// does not, unless the edit changed nothing but that (the last line's content is the same and only its break
    /// was added or removed): then the edit is deliberate and wins. A model's stray trailing newline on a
    /// rewritten last line therefore never flips the file's convention. An empty file has no convention to keep,
    /// so there the edit decides.
    public func encode(_ newText: String) -> [UInt8] {
        let oldBytes = Array(text.utf8)
        let newBytes = Array(newText.utf8)
        let oldLines = LineSplitter.lines(of: oldBytes)
        let newLines = LineSplitter.lines(of: newBytes)

        var matchedOldLine = [Int?](repeating: nil, count: newLines.count)
        var oldIndex = 0
        var newIndex = 0
        let hunks = LineDiff.hunks(from: oldLines.map(\.content), to: newLines.map(\.content))
        for hunk in hunks + [LineDiffHunk(oldRange: oldLines.count..<oldLines.count, newRange: newLines.count..<newLines.count)] {
            while newIndex < hunk.newRange.lowerBound && oldIndex < hunk.oldRange.lowerBound {
                matchedOldLine[newIndex] = oldIndex
                newIndex += 1
                oldIndex += 1
            }
            oldIndex = hunk.oldRange.upperBound
            newIndex = hunk.newRange.upperBound
        }

        var endings: [LineEnding?] = newLines.indices.map { index in
            if let old = matchedOldLine[index] { return oldLines[old].ending ?? dominantLineEnding }
            return dominantLineEnding
        }
        if let lastIndex = newLines.indices.last {
            let editChangedOnlyTheFinalBreak =
                endsWithNewline != (newLines[lastIndex].ending != nil)
                && oldLines.last.map { $0.content.elementsEqual(newLines[lastIndex].content) } == true
            let followsEdit = editChangedOnlyTheFinalBreak || oldLines.isEmpty  // An empty file has no convention.
            let wantsFinalNewline = followsEdit ? newLines[lastIndex].ending != nil : endsWithNewline
            if !wantsFinalNewline { endings[lastIndex] = nil }
        }

        var output: [UInt8] = hasBOM ? Self.byteOrderMark : []
        output.reserveCapacity(newBytes.count + newLines.count + 3)
        for (line, ending) in zip(newLines, endings) {
            output.append(contentsOf: line.content)
            if let ending { output.append(contentsOf: ending.bytes) }
        }
        return output
    }

    /// Bytes as they were read, rebuilt from the text (used to verify that decoding loses nothing).
    public var encodedOriginal: [UInt8] { (hasBOM ? Self.byteOrderMark : []) + Array(text.utf8) }

    private static func otherUnicodeEncoding(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            return "UTF-32"
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16" }
        return nil
    }

    private static func firstInvalidByteOffset(in bytes: [UInt8]) -> Int {
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
