// Fixture text with `$0` markers: one marker is a cursor, two mark a selection.
import AnyJSON

public struct MarkedText: Sendable {
    public let text: String
    /// LSP positions (line, UTF-16 character) of the markers, in order.
    public let positions: [(line: Int, character: Int)]

    public init(_ marked: String, marker: String = "$0") {
        var text = ""
        var positions: [(Int, Int)] = []
        var line = 0
        var character = 0
        var rest = Substring(marked)
        while !rest.isEmpty {
            if rest.hasPrefix(marker) {
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
        self.positions = positions
    }

    public var cursor: JSONValue {
        let position = positions.first ?? (0, 0)
        return ["line": .int(position.line), "character": .int(position.character)]
    }

    /// The range between the first two markers (or an empty range at the first).
    public var range: JSONValue {
        let start = positions.first ?? (0, 0)
        let end = positions.count > 1 ? positions[1] : start
        return [
            "start": ["line": .int(start.line), "character": .int(start.character)],
            "end": ["line": .int(end.line), "character": .int(end.character)],
        ]
    }
}
