// Globs for list_files: `*`, `?`, `[…]`, `**` and `{a,b}`, matched against workspace-relative paths.
import Foundation

/// A glob as models write them. Without a `/` it matches file names at any depth (`*.swift`); with one it matches
/// the whole workspace-relative path (`Sources/**/*.swift`). `*` and `?` never match `/`; `**` matches any number
/// of folders.
package struct GlobPattern {
    package let source: String
    private let alternatives: [[UInt8]]
    private let matchesFileName: Bool

    /// Brace expansion stops here, so a pattern cannot multiply without bound.
    static let maximumAlternatives = 64

    package init(_ pattern: String) throws(ToolError) {
        var trimmed = pattern.trimmingCharacters(in: .whitespaces)
        while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
        if trimmed.hasPrefix("/") { trimmed.removeFirst() }
        guard !trimmed.isEmpty else { throw ToolError("The glob is empty; use a pattern such as *.swift.") }
        source = pattern
        matchesFileName = !trimmed.contains("/")
        alternatives = Self.expandBraces(Array(trimmed.utf8))
    }

    package func matches(_ relativePath: String) -> Bool {
        let path = Array(relativePath.utf8)
        let subject: ArraySlice<UInt8>
        if matchesFileName, let slash = path.lastIndex(of: UInt8(ascii: "/")) {
            subject = path[(slash + 1)...]
        } else {
            subject = path[...]
        }
        let text = Array(subject)
        return alternatives.contains { Self.match($0, 0, text, 0) }
    }

    private static let star = UInt8(ascii: "*")
    private static let slash = UInt8(ascii: "/")

    private static func match(_ pattern: [UInt8], _ patternIndex: Int, _ text: [UInt8], _ textIndex: Int) -> Bool {
        var p = patternIndex
        var t = textIndex
        while p < pattern.count {
            let byte = pattern[p]
            if byte == star {
                if p + 1 < pattern.count, pattern[p + 1] == star {
                    var rest = p + 2
                    if rest < pattern.count, pattern[rest] == slash {
                        // `**/`: zero or more whole folders.
                        rest += 1
                        if match(pattern, rest, text, t) { return true }
                        for position in t..<text.count where text[position] == slash {
                            if match(pattern, rest, text, position + 1) { return true }
                        }
                        return false
                    }
                    return (t...text.count).contains { match(pattern, rest, text, $0) }
                }
                var position = t
                while true {
                    if match(pattern, p + 1, text, position) { return true }
                    guard position < text.count, text[position] != slash else { return false }
                    position += 1
                }
            }
            guard t < text.count else { return false }
            switch byte {
            case UInt8(ascii: "?"):
                guard text[t] != slash else { return false }
            case UInt8(ascii: "["):
                if let (matched, next) = matchClass(pattern, p, text[t]) {
                    guard matched else { return false }
                    p = next
                    t += 1
                    continue
                }
                guard text[t] == byte else { return false }
            case UInt8(ascii: "\\") where p + 1 < pattern.count:
                p += 1
                guard text[t] == pattern[p] else { return false }
            default:
                guard text[t] == byte else { return false }
            }
            p += 1
            t += 1
        }
        return t == text.count
    }

    /// A `[…]` class at `start`: whether `byte` is in it and where the pattern continues; nil when unterminated
    /// (then `[` is literal).
    private static func matchClass(_ pattern: [UInt8], _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var index = start + 1
        var negated = false
        if index < pattern.count, pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.count {
            let current = pattern[index]
            if current == UInt8(ascii: "]") && !first {
                return (byte != slash && matched != negated, index + 1)
            }
            first = false
            if index + 2 < pattern.count, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]") {
                if pattern[index] <= byte && byte <= pattern[index + 2] { matched = true }
                index += 3
            } else {
                if current == byte { matched = true }
                index += 1
            }
        }
        return nil
    }

    /// `a{b,c}d` → `abd`, `acd`; nested braces expand too. Unbalanced braces stay literal.
    static func expandBraces(_ pattern: [UInt8]) -> [[UInt8]] {
        guard let open = pattern.firstIndex(of: UInt8(ascii: "{")) else { return [pattern] }
        var depth = 0
        var options: [[UInt8]] = []
        var current: [UInt8] = []
        var close: Int?
        for index in (open + 1)..<pattern.count {
            let byte = pattern[index]
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") {
                if depth == 0 {
                    close = index
                    break
                }
                depth -= 1
            }
            if byte == UInt8(ascii: ","), depth == 0 {
                options.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        guard let close else { return [pattern] }
        options.append(current)
        let prefix = Array(pattern[..<open])
        let suffixes = expandBraces(Array(pattern[(close + 1)...]))
        var result: [[UInt8]] = []
        for option in options {
            for expanded in expandBraces(option) {
                for suffix in suffixes where result.count < maximumAlternatives {
                    result.append(prefix + expanded + suffix)
                }
            }
        }
        return result
    }
}
