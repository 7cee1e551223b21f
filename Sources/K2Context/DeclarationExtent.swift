// Where a declaration ends: matching braces for C-like languages, indentation for Python, `end` for Ruby.
import K2Workspace

enum DeclarationExtent {
    /// The lines `[declaration.line, end)` of a declaration, at most `maxLines` of them.
    static func lines(of declaration: Declaration, in textLines: TextLines, language: SourceLanguage, maxLines: Int) -> Range<Int> {
        var text = textLines.text
        let lineCount = textLines.indexLineCount
        let first = min(declaration.line, lineCount - 1)
        let limit = min(lineCount, first + max(1, maxLines))
        let end = text.withUTF8 { bytes -> Int in
            let lines = Lines(bytes: bytes, index: textLines)
            switch language {
            case .python: return indentedBlockEnd(lines, first: first, indent: declaration.indent, limit: limit)
            case .ruby: return rubyBlockEnd(lines, first: first, indent: declaration.indent, limit: limit)
            default: return braceBlockEnd(lines, first: first, limit: limit)
            }
        }
        return first..<max(first + 1, end)
    }

    private struct Lines {
        let bytes: UnsafeBufferPointer<UInt8>
        let index: TextLines

        func content(_ line: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[index.starts[line]..<index.contentEndOffset(line)])
        }

        /// The indent of a line, nil for a blank one.
        func indent(_ line: Int) -> Int? {
            var columns = 0
            for byte in content(line) {
                switch byte {
                case 0x20: columns += 1
                case 0x09: columns += 4
                default: return columns
                }
            }
            return nil
        }
    }

    private static func indentedBlockEnd(_ lines: Lines, first: Int, indent: Int, limit: Int) -> Int {
        var lastContent = first
        var line = first + 1
        while line < limit {
            if let lineIndent = lines.indent(line) {
                if lineIndent <= indent { break }
                lastContent = line
            }
            line += 1
        }
        return lastContent + 1
    }

    private static func rubyBlockEnd(_ lines: Lines, first: Int, indent: Int, limit: Int) -> Int {
        var line = first + 1
        while line < limit {
            if lines.indent(line) == indent {
                let trimmed = lines.content(line).drop { $0 == 0x20 || $0 == 0x09 }
                return trimmed.starts(with: "end".utf8) ? line + 1 : line
            }
            line += 1
        }
        return limit
    }

    /// Counts braces outside strings and line comments; a declaration without a `{` in its first lines is one line
    /// (a prototype, a constant, an expression body).
    private static func braceBlockEnd(_ lines: Lines, first: Int, limit: Int) -> Int {
        var depth = 0
        var opened = false
        var line = first
        while line < limit {
            var quote: UInt8 = 0
            var previous: UInt8 = 0
            for byte in lines.content(line) {
                if quote != 0 {
                    if byte == quote && previous != UInt8(ascii: "\\") { quote = 0 }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
                    quote = byte
                } else if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") {
                    break
                } else if byte == UInt8(ascii: "{") {
                    depth += 1
                    opened = true
                } else if byte == UInt8(ascii: "}") {
                    depth -= 1
                }
                previous = previous == UInt8(ascii: "\\") && byte == UInt8(ascii: "\\") ? 0 : byte
            }
            if opened && depth <= 0 { return line + 1 }
            if !opened {
                // Go on only for a signature that continues (Allman braces, parameters over several lines).
                let last = lines.content(line).last { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
                let continues = last == UInt8(ascii: "(") || last == UInt8(ascii: ",") || last == UInt8(ascii: ")")
                let nextOpens = line + 1 < limit && lines.content(line + 1).first { $0 != 0x20 && $0 != 0x09 } == UInt8(ascii: "{")
                if line - first >= 3 || !(continues || nextOpens) { return first + 1 }
            }
            line += 1
        }
        return opened ? limit : first + 1
    }
}
