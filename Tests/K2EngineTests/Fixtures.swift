// Fixture markers for engine tests: `$0` marks the cursor, `$0…$0` a selection.
import K2Workspace

/// The text without its `$0` markers and the UTF-8 range between them (empty for a single marker).
func selectionFixture(_ fixture: String) -> (text: String, selection: TextRange) {
    var text = ""
    var offsets: [Int] = []
    var rest = Substring(fixture)
    while let marker = rest.range(of: "$0") {
        text += rest[..<marker.lowerBound]
        offsets.append(text.utf8.count)
        rest = rest[marker.upperBound...]
    }
    text += rest
    let start = offsets.first ?? 0
    return (text, TextRange(start, offsets.count > 1 ? offsets[1] : start))
}
