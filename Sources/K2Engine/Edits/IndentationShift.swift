// A uniform change of indentation between a search text and the lines it matched, and applying it to a replacement.
import K2Workspace

public enum IndentationShift: Sendable, Hashable, CustomStringConvertible {
    case none
    /// The file's lines have this whitespace in front of the search text's indentation.
    case add(String)
    /// The search text's lines had this whitespace in front of the file's indentation.
    case remove(String)

    /// `replacement` re-indented the way the search text had to be: every non-blank line gets the prefix added, or
    /// loses as much of it as the line has. Blank lines stay as they are.
    public func apply(to replacement: String) -> String {
        if self == .none { return replacement }
        var bytes: [UInt8] = []
        for line in LineSplitter.lines(of: replacement) {
            if !line.isBlank {
                switch self {
                case .none:
                    bytes.append(contentsOf: line.content)
                case .add(let prefix):
                    bytes.append(contentsOf: prefix.utf8)
                    bytes.append(contentsOf: line.content)
                case .remove(let prefix):
                    let prefixBytes = Array(prefix.utf8)
                    var removable = 0
                    while removable < prefixBytes.count && removable < line.content.count
                        && line.content[line.content.startIndex + removable] == prefixBytes[removable]
                    {
                        removable += 1
                    }
                    bytes.append(contentsOf: line.content.dropFirst(removable))
                }
            } else {
                bytes.append(contentsOf: line.content)
            }
            if let ending = line.ending { bytes.append(contentsOf: ending.bytes) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The shift that turns a search line's indentation into a text line's, nil when neither is a suffix of the
    /// other ("  " to "\t" is no uniform shift).
    static func between(searchIndentation: ArraySlice<UInt8>, textIndentation: ArraySlice<UInt8>) -> IndentationShift? {
        if textIndentation.count >= searchIndentation.count {
            guard textIndentation.suffix(searchIndentation.count).elementsEqual(searchIndentation) else { return nil }
            let added = textIndentation.prefix(textIndentation.count - searchIndentation.count)
            return added.isEmpty ? IndentationShift.none : .add(String(decoding: added, as: UTF8.self))
        }
        guard searchIndentation.suffix(textIndentation.count).elementsEqual(textIndentation) else { return nil }
        let removed = searchIndentation.prefix(searchIndentation.count - textIndentation.count)
        return .remove(String(decoding: removed, as: UTF8.self))
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .add(let prefix): return "add \(prefix.debugDescription)"
        case .remove(let prefix): return "remove \(prefix.debugDescription)"
        }
    }
}
