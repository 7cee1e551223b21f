// Git's wildmatch: glob matching with `**`, character classes and escapes, exactly as .gitignore uses it.

/// A port of git's `wildmatch.c` (git 2.39), kept close to the original so that ignore patterns behave as git's do.
/// Texts are UTF-8 bytes; bytes past the end read as NUL, as in the C code.
enum Wildmatch {
    private enum Outcome { case match, noMatch, abortAll, abortToDoubleStar }

    /// Whether `text` matches `pattern`. With `pathname`, `*`, `?` and classes never match `/` (git's WM_PATHNAME).
    static func matches(_ pattern: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>, pathname: Bool)
        -> Bool
    {
        dowild(pattern, 0, text, 0, pathname: pathname) == .match
    }

    private static let slash = UInt8(ascii: "/")
    private static let star = UInt8(ascii: "*")
    private static let question = UInt8(ascii: "?")
    private static let backslash = UInt8(ascii: "\\")
    private static let openBracket = UInt8(ascii: "[")
    private static let closeBracket = UInt8(ascii: "]")
    private static let bang = UInt8(ascii: "!")
    private static let caret = UInt8(ascii: "^")
    private static let dash = UInt8(ascii: "-")
    private static let colon = UInt8(ascii: ":")

    @inline(__always)
    private static func at(_ buffer: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt8 {
        index < buffer.count ? buffer[index] : 0
    }

    @inline(__always)
    static func isGlobSpecial(_ byte: UInt8) -> Bool {
        byte == star || byte == question || byte == openBracket || byte == backslash
    }

    private static func containsSlash(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var index = start
        while index < text.count {
            if text[index] == slash { return true }
            index += 1
        }
        return false
    }

    private static func dowild(
        _ pattern: UnsafeBufferPointer<UInt8>, _ patternStart: Int,
        _ text: UnsafeBufferPointer<UInt8>, _ textStart: Int, pathname: Bool
    ) -> Outcome {
        var p = patternStart
        var t = textStart
        while at(pattern, p) != 0 {
            var patternByte = at(pattern, p)
            var textByte = at(text, t)
            if textByte == 0 && patternByte != star { return .abortAll }
            switch patternByte {
            case backslash:
                p += 1
                patternByte = at(pattern, p)
                if textByte != patternByte { return .noMatch }
            case question:
                if pathname && textByte == slash { return .noMatch }
            case star:
                let matchSlash: Bool
                p += 1
                if at(pattern, p) == star {
                    let previousIndex = p - 2
                    p += 1
                    while at(pattern, p) == star { p += 1 }
                    let next = at(pattern, p)
                    let startsSegment = previousIndex < patternStart || pattern[previousIndex] == slash
                    let endsSegment = next == 0 || next == slash || (next == backslash && at(pattern, p + 1) == slash)
                    if startsSegment && endsSegment {
                        // `**/` may match nothing: try the rest of the pattern right here first.
                        if next == slash && dowild(pattern, p + 1, text, t, pathname: pathname) == .match {
                            return .match
                        }
                        matchSlash = true
                    } else {
                        matchSlash = false
                    }
                } else {
                    matchSlash = !pathname
                }
                let next = at(pattern, p)
                if next == 0 {
                    // A trailing `**` matches everything; a trailing `*` only what has no more slashes.
                    if !matchSlash && containsSlash(text, from: t) { return .noMatch }
                    return .match
                } else if !matchSlash && next == slash {
                    // One `*` before a slash matches exactly one directory name.
                    var slashIndex = t
                    while slashIndex < text.count && text[slashIndex] != slash { slashIndex += 1 }
                    if slashIndex >= text.count { return .noMatch }
                    t = slashIndex
                    break
                }
                while textByte != 0 {
                    // Skip ahead to the next occurrence of a literal that follows the star.
                    if !isGlobSpecial(next) {
                        while true {
                            textByte = at(text, t)
                            if textByte == 0 || (!matchSlash && textByte == slash) || textByte == next { break }
                            t += 1
                        }
                        if textByte != next { return .noMatch }
                    }
                    let matched = dowild(pattern, p, text, t, pathname: pathname)
                    if matched != .noMatch {
                        if !matchSlash || matched != .abortToDoubleStar { return matched }
                    } else if !matchSlash && textByte == slash {
                        return .abortToDoubleStar
                    }
                    t += 1
                    textByte = at(text, t)
                }
                return .abortAll
            case openBracket:
                guard let classOutcome = matchClass(pattern, &p, textByte: textByte, pathname: pathname) else {
                    break
                }
                return classOutcome
            default:
                if textByte != patternByte { return .noMatch }
            }
            p += 1
            t += 1
        }
        return at(text, t) != 0 ? .noMatch : .match
    }

    /// Matches a bracket expression starting at `p` (on the `[`); leaves `p` on its `]`.
    /// Returns nil when the byte matched, an outcome to return otherwise.
    private static func matchClass(
        _ pattern: UnsafeBufferPointer<UInt8>, _ p: inout Int, textByte: UInt8, pathname: Bool
    ) -> Outcome? {
        p += 1
        var classByte = at(pattern, p)
        if classByte == caret { classByte = bang }
        let negated = classByte == bang
        if negated {
            p += 1
            classByte = at(pattern, p)
        }
        var previous: UInt8 = 0
        var matched = false
        while true {
            if classByte == 0 { return .abortAll }
            if classByte == backslash {
                p += 1
                classByte = at(pattern, p)
                if classByte == 0 { return .abortAll }
                if textByte == classByte { matched = true }
            } else if classByte == dash && previous != 0 && at(pattern, p + 1) != 0
                && at(pattern, p + 1) != closeBracket
            {
                p += 1
                classByte = at(pattern, p)
                if classByte == backslash {
                    p += 1
                    classByte = at(pattern, p)
                    if classByte == 0 { return .abortAll }
                }
                if textByte <= classByte && textByte >= previous { matched = true }
                classByte = 0
            } else if classByte == openBracket && at(pattern, p + 1) == colon {
                let nameStart = p + 2
                p = nameStart
                while at(pattern, p) != 0 && at(pattern, p) != closeBracket { p += 1 }
                classByte = at(pattern, p)
                if classByte == 0 { return .abortAll }
                let nameLength = p - nameStart - 1
                if nameLength < 0 || pattern[p - 1] != colon {
                    // Not a `[:name:]`: the `[` is an ordinary member of the set.
                    p = nameStart - 2
                    classByte = openBracket
                    if textByte == classByte { matched = true }
                } else {
                    let name = String(decoding: UnsafeBufferPointer(rebasing: pattern[nameStart..<(nameStart + nameLength)]), as: UTF8.self)
                    guard let member = characterClassContains(name, textByte) else { return .abortAll }
                    if member { matched = true }
                    classByte = 0
                }
            } else if textByte == classByte {
                matched = true
            }
            previous = classByte
            p += 1
            classByte = at(pattern, p)
            if classByte == closeBracket { break }
        }
        if matched == negated || (pathname && textByte == slash) { return .noMatch }
        return nil
    }

    /// Membership in a POSIX class by name, nil for an unknown name (git then aborts the match).
    private static func characterClassContains(_ name: String, _ byte: UInt8) -> Bool? {
        let isUpper = byte >= 0x41 && byte <= 0x5A
        let isLower = byte >= 0x61 && byte <= 0x7A
        let isDigit = byte >= 0x30 && byte <= 0x39
        let isAlpha = isUpper || isLower
        let isPrint = byte >= 0x20 && byte < 0x7F
        switch name {
        case "alnum": return isAlpha || isDigit
        case "alpha": return isAlpha
        case "blank": return byte == 0x20 || byte == 0x09
        case "cntrl": return byte < 0x20 || byte == 0x7F
        case "digit": return isDigit
        case "graph": return isPrint && byte != 0x20
        case "lower": return isLower
        case "print": return isPrint
        case "punct": return isPrint && byte != 0x20 && !isAlpha && !isDigit
        case "space": return byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
        case "upper": return isUpper
        case "xdigit": return isDigit || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
        default: return nil
        }
    }
}
