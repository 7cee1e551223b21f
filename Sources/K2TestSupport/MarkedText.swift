// The one fixture parser: text with `$0` markers, where one marker is a cursor and two mark a selection.
import AnyJSON
import K2Workspace

public struct MarkedText: Sendable {
    public let text: String
    /// UTF-8 offsets of the markers in `text`, in order.
    public let offsets: [Int]
    /// LSP positions (line, UTF-16 character) of the markers, in order.
    public let positions: [(line: Int, character: Int)]

    public init(_ marked: String, marker: String = "$0") {
        var text = ""
        var offsets: [Int] = []
        var positions: [(Int, Int)] = []
        var line = 0
        var character = 0
        var rest = Substring(marked)
        while !rest.isEmpty {
            if rest.hasPrefix(marker) {
                offsets.append(text.utf8.count)
                positions.append((line, character))
                rest = rest.dropFirst(marker.count)
                continue
            }
            let next = rest.removeFirst()
            text.append(next)
            if next == "\n" || next == "\r\n" {
                line += 1
                character = 0
            } else {
                character += next.utf16.count
            }
        }
        self.text = text
        self.offsets = offsets
        self.positions = positions
    }

    /// The UTF-8 range between the first two markers, or an empty range at the first (the start without markers).
    public var selection: TextRange {
        let start = offsets.first ?? 0
        return TextRange(start, offsets.count > 1 ? offsets[1] : start)
    }

    public var cursor: JSONValue {
        let position = positions.first ?? (0, 0)
        return ["line": .int(position.line), "character": .int(position.character)]
    }

    /// The LSP range between the first two markers (or an empty range at the first).
    public var range: JSONValue {
        let start = positions.first ?? (0, 0)
        let end = positions.count > 1 ? positions[1] : start
        return [
            "start": ["line": .int(start.line), "character": .int(start.character)],
            "end": ["line": .int(end.line), "character": .int(end.character)],
        ]
    }
}
