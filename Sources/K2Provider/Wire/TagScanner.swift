// Finds fixed tags in text that arrives in pieces, holding back a tail that may be the start of a tag.

/// Splits streamed text into plain text and known tags. A tag split across pieces is still found; text that
/// merely could start a tag is held until the next piece (or `flush`) shows it is plain text.
struct TagScanner: Sendable {
    enum Segment: Sendable, Hashable {
        case text(String)
        case tag(String)
    }

    private let tags: [String]
    private let longestTagLength: Int
    private var held = ""

    init(tags: [String]) {
        self.tags = tags
        longestTagLength = tags.map(\.utf8.count).max() ?? 0
    }

    mutating func feed(_ piece: String) -> [Segment] {
        let text = held + piece
        held = ""
        var segments: [Segment] = []
        var plainStart = text.startIndex
        var searchFrom = text.startIndex
        while let opener = text[searchFrom...].firstIndex(of: "<") {
            let rest = text[opener...]
            if let tag = tags.first(where: { rest.hasPrefix($0) }) {
                Self.appendText(text[plainStart..<opener], to: &segments)
                segments.append(.tag(tag))
                searchFrom = text.index(opener, offsetBy: tag.count)
                plainStart = searchFrom
            } else if rest.utf8.count < longestTagLength, tags.contains(where: { $0.hasPrefix(rest) }) {
                Self.appendText(text[plainStart..<opener], to: &segments)
                held = String(rest)
                return segments
            } else {
                searchFrom = text.index(after: opener)
            }
        }
        Self.appendText(text[plainStart...], to: &segments)
        return segments
    }

    /// Ends the text: whatever was held back is plain text after all.
    mutating func flush() -> [Segment] {
        defer { held = "" }
        return held.isEmpty ? [] : [.text(held)]
    }

    private static func appendText(_ text: Substring, to segments: inout [Segment]) {
        if !text.isEmpty { segments.append(.text(String(text))) }
    }
}
