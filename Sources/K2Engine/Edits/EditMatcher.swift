// Finds where a search text stands in a file: exactly, then with a uniform indentation shift, then ignoring trailing whitespace.
import K2Workspace

/// How loosely a search text had to be compared to match.
public enum MatchTolerance: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// Byte for byte, line-break style aside (a CRLF file matches an LF search text).
    case exact
    /// Whole lines, each non-blank line shifted by the same leading whitespace; blank lines match blank lines.
    case indentationShift
    /// As `indentationShift`, and trailing spaces and tabs are ignored.
    case trailingWhitespace

    public static func < (lhs: MatchTolerance, rhs: MatchTolerance) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a search text matched and how to adapt its replacement to the matched lines.
public struct MatchResult: Sendable, Hashable {
    /// UTF-8 offsets of the matched text. Whole lines for the tolerant levels (with the last line's break when the
    /// search text ended with one); exactly the matched characters for `.exact`.
    public var range: TextRange
    public var indentationShift: IndentationShift
    public var tolerance: MatchTolerance
    /// 1-based line where the match starts.
    public var firstLine: Int
    /// The line break the matched lines use; the replacement gets the same.
    public var lineEnding: LineEnding
    /// The search text ended with a line break that the text lacks (its last line has none), so the replacement's
    /// final line break must go too.
    public var dropsFinalLineBreak: Bool

    /// `replace` adapted to the match: re-indented by the shift, its line breaks made those of the file, and its
    /// final line break dropped where the matched text has none.
    public func adjustedReplacement(_ replace: String) -> String {
        var adjusted = indentationShift.apply(to: replace)
        if lineEnding != .lf { adjusted = LineBreaks.converting(adjusted, to: lineEnding) }
        if dropsFinalLineBreak, let last = LineSplitter.lines(of: adjusted).last, let ending = last.ending {
            adjusted = String(decoding: Array(adjusted.utf8).dropLast(ending.byteCount), as: UTF8.self)
        }
        return adjusted
    }
}

public enum EditMatcher {
    /// The single place where `search` stands in `text`, trying each `MatchTolerance` in order. Several matches at
    /// the first level that has any is `.ambiguous`; no match at any level is `.notFound` with the closest lines.
    /// Nothing is guessed — except that among several matches the only one that overlaps `preferring` (the
    /// selection the model was pointed at) is the one meant.
    /// `quotingClosest: false` skips finding the closest lines of a failed search (callers that only try).
    public static func locate(
        search: String, in text: String, preferring: TextRange? = nil, quotingClosest: Bool = true
    ) -> Result<MatchResult, MatchFailure> {
        let searchBytes = Array(search.utf8)
        let textBytes = Array(text.utf8)
        guard searchBytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            return .failure(.emptySearch)
        }
        let searchLines = LineSplitter.lines(of: searchBytes)
        let textLines = LineSplitter.lines(of: textBytes)
        let context = MatchContext(
            searchLines: searchLines, textLines: textLines, textByteCount: textBytes.count,
            searchEndsWithLineBreak: searchLines.last?.ending != nil,
            dominantEnding: LineEnding.dominant(inBytes: textBytes))

        for tolerance in MatchTolerance.allCases {
            let matches = tolerance == .exact ? context.exactMatches() : context.lineMatches(tolerance: tolerance)
            if matches.count == 1, let match = matches.first { return .success(match) }
            if matches.count > 1 {
                let inside = preferring.map { range in matches.filter { $0.range.overlaps(range) } } ?? []
                if inside.count == 1, let match = inside.first { return .success(match) }
                return .failure(.ambiguous(count: matches.count, lines: matches.map(\.firstLine)))
            }
        }
        return .failure(
            .notFound(closest: quotingClosest ? LineSimilarity.closestWindow(to: searchLines, in: textLines) : nil))
    }
}

private struct MatchContext {
    var searchLines: [ByteLine]
    var textLines: [ByteLine]
    var textByteCount: Int
    var searchEndsWithLineBreak: Bool
    var dominantEnding: LineEnding

    /// Exact matches, comparing line contents byte for byte and line breaks only for presence. A search text that
    /// ends with a line break is whole lines and matches from a line start; one that does not may start and end
    /// inside lines (its first line must end a text line, its last line must begin one, like a substring).
    func exactMatches() -> [MatchResult] {
        let count = searchLines.count
        guard count <= textLines.count else { return [] }
        if count == 1 && !searchEndsWithLineBreak {
            return occurrencesWithinLines(of: searchLines[0].content)
        }
        var matches: [MatchResult] = []
        for start in 0...(textLines.count - count) {
            let first = textLines[start]
            let last = textLines[start + count - 1]
            let lastSearch = searchLines[count - 1]
            let firstMatches =
                searchEndsWithLineBreak || count == 1
                ? first.content.elementsEqual(searchLines[0].content)
                : first.content.hasSuffix(searchLines[0].content) && first.ending != nil
            guard firstMatches else { continue }
            let middleMatches = (1..<max(1, count - 1)).allSatisfy { offset in
                textLines[start + offset].content.elementsEqual(searchLines[offset].content)
                    && textLines[start + offset].ending != nil
            }
            guard middleMatches else { continue }
            let lowerBound: Int
            let upperBound: Int
            if searchEndsWithLineBreak {
                guard count == 1 || last.content.elementsEqual(lastSearch.content) else { continue }
                lowerBound = first.startOffset
                upperBound = last.endOffset
            } else {
                guard last.content.hasPrefix(lastSearch.content) else { continue }
                lowerBound = first.contentEndOffset - searchLines[0].content.count
                upperBound = last.startOffset + lastSearch.content.count
            }
            matches.append(match(TextRange(lowerBound, upperBound), startLine: start, shift: .none, tolerance: .exact,
                                 lastLine: last))
        }
        return matches
    }

    private func occurrencesWithinLines(of needle: ArraySlice<UInt8>) -> [MatchResult] {
        var matches: [MatchResult] = []
        for (lineNumber, line) in textLines.enumerated() where line.content.count >= needle.count {
            var position = line.content.startIndex
            while position + needle.count <= line.content.endIndex {
                if line.content[position..<(position + needle.count)].elementsEqual(needle) {
                    matches.append(
                        match(TextRange(position, position + needle.count), startLine: lineNumber, shift: .none,
                              tolerance: .exact, lastLine: line))
                }
                position += 1
            }
        }
        return matches
    }

    /// Whole-line matches where every non-blank line differs by the same indentation shift.
    func lineMatches(tolerance: MatchTolerance) -> [MatchResult] {
        let count = searchLines.count
        guard count <= textLines.count else { return [] }
        var matches: [MatchResult] = []
        windows: for start in 0...(textLines.count - count) {
            var windowShift: IndentationShift?
            for offset in 0..<count {
                let searchLine = searchLines[offset]
                let textLine = textLines[start + offset]
                if searchLine.isBlank {
                    guard textLine.isBlank else { continue windows }
                    continue
                }
                guard let shift = Self.shift(from: searchLine, to: textLine, tolerance: tolerance) else {
                    continue windows
                }
                if let windowShift, windowShift != shift { continue windows }
                windowShift = shift
            }
            let last = textLines[start + count - 1]
            let range = TextRange(
                textLines[start].startOffset, searchEndsWithLineBreak ? last.endOffset : last.contentEndOffset)
            matches.append(match(range, startLine: start, shift: windowShift ?? .none, tolerance: tolerance,
                                 lastLine: last))
        }
        return matches
    }

    private static func shift(from searchLine: ByteLine, to textLine: ByteLine, tolerance: MatchTolerance)
        -> IndentationShift?
    {
        let searchIndentation = searchLine.content.prefix(while: { $0 == 0x20 || $0 == 0x09 })
        let textIndentation = textLine.content.prefix(while: { $0 == 0x20 || $0 == 0x09 })
        var searchRest = searchLine.content.dropFirst(searchIndentation.count)
        var textRest = textLine.content.dropFirst(textIndentation.count)
        if tolerance == .trailingWhitespace {
            searchRest = LineSimilarity.trimmingWhitespace(searchRest)
            textRest = LineSimilarity.trimmingWhitespace(textRest)
        }
        guard searchRest.elementsEqual(textRest) else { return nil }
        return IndentationShift.between(searchIndentation: searchIndentation, textIndentation: textIndentation)
    }

    private func match(
        _ range: TextRange, startLine: Int, shift: IndentationShift, tolerance: MatchTolerance, lastLine: ByteLine
    ) -> MatchResult {
        let ending = textLines[startLine].ending ?? dominantEnding
        return MatchResult(
            range: range, indentationShift: shift, tolerance: tolerance, firstLine: startLine + 1,
            lineEnding: ending, dropsFinalLineBreak: searchEndsWithLineBreak && lastLine.ending == nil)
    }
}

extension ArraySlice where Element == UInt8 {
    fileprivate func hasPrefix(_ other: ArraySlice<UInt8>) -> Bool {
        count >= other.count && prefix(other.count).elementsEqual(other)
    }

    fileprivate func hasSuffix(_ other: ArraySlice<UInt8>) -> Bool {
        count >= other.count && suffix(other.count).elementsEqual(other)
    }
}
