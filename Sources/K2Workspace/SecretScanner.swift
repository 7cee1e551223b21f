// One pass over UTF-8 bytes that finds key-like text and private-key blocks and replaces them with a marker.

/// The scanner behind `SecretFilter.redactLines`. It visits each byte once and looks closer only at a few trigger
/// bytes, so that redacting costs about as much as reading the text.
enum SecretScanner {
    /// A byte range to replace, and the line it is on.
    private struct Edit {
        var lower: Int
        var upper: Int
        var line: Int
    }

    static func redact(_ text: String) -> SecretRedaction {
        var text = text
        let (edits, lineCount) = text.withUTF8 { scan($0) }
        guard !edits.isEmpty else { return SecretRedaction(text: text, redactedLines: [], lineCount: lineCount) }
        let marker = Array(SecretPolicy.redactionMarker.utf8)
        var output: [UInt8] = []
        var lines: [Int] = []
        text.withUTF8 { bytes in
            output.reserveCapacity(bytes.count + edits.count * marker.count)
            var position = 0
            for edit in edits {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<edit.lower]))
                output.append(contentsOf: marker)
                position = edit.upper
                if lines.last != edit.line { lines.append(edit.line) }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position...]))
        }
        return SecretRedaction(text: String(decoding: output, as: UTF8.self), redactedLines: lines, lineCount: lineCount)
    }

    // MARK: - Byte classes

    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Bytes that may start something worth a closer look.
    private static let triggers: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in "\n\rsAgx-=:".utf8 { table[Int(byte)] = true }
        return table
    }()

    @inline(__always)
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    // MARK: - The pass

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> (edits: [Edit], lineCount: Int) {
        var edits: [Edit] = []
        var line = 0
        var lineStart = 0
        var index = 0
        let count = bytes.count
        triggers.withUnsafeBufferPointer { triggers in
            while index < count {
                let byte = bytes[index]
                if !triggers[Int(byte)] {
                    index += 1
                    continue
                }
                var resumeAt = index + 1
                switch byte {
                case newline:
                    line += 1
                    lineStart = index + 1
                case carriageReturn:
                    if index + 1 >= count || bytes[index + 1] != newline {
                        line += 1
                        lineStart = index + 1
                    }
                case UInt8(ascii: "-"):
                    if let end = privateKeyBlock(bytes, at: index, lineStart: lineStart, edits: &edits, line: &line) {
                        resumeAt = end
                        lineStart = end
                    }
                case UInt8(ascii: "="), UInt8(ascii: ":"):
                    if let edit = assignedSecret(bytes, operatorAt: index, lineStart: lineStart, line: line) {
                        edits.append(edit)
                        resumeAt = edit.upper
                    }
                default:
                    if index == lineStart || !isIdentifierByte(bytes[index - 1]),
                        let length = keyTokenLength(bytes, at: index)
                    {
                        edits.append(Edit(lower: index, upper: index + length, line: line))
                        resumeAt = index + length
                    }
                }
                index = resumeAt
            }
        }
        return (edits, line + 1)
    }

    // MARK: - Tokens with a known shape

    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ prefix: StaticString) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard index + length <= bytes.count else { return false }
        let start = prefix.utf8Start
        for offset in 0..<length where bytes[index + offset] != start[offset] { return false }
        return true
    }

    /// The length of a run of bytes that satisfy `accepts`, starting at `index`.
    private static func run(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int, _ accepts: (UInt8) -> Bool) -> Int {
        var end = index
        while end < bytes.count && accepts(bytes[end]) { end += 1 }
        return end - index
    }

    /// Whether the token ends at `end` (no identifier byte follows).
    private static func endsAt(_ bytes: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        end >= bytes.count || !isIdentifierByte(bytes[end])
    }

    private static func isKeyBody(_ byte: UInt8) -> Bool { isIdentifierByte(byte) || byte == UInt8(ascii: "-") }

    /// The length of a well-known API key format starting at `index`, nil when there is none.
    private static func keyTokenLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        switch bytes[index] {
        case UInt8(ascii: "s"):
            // OpenAI-style and Moonshot keys: sk-… with at least 20 random characters.
            guard hasPrefix(bytes, at: index, "sk-") else { return nil }
            let bodyLength = run(bytes, from: index + 3, isKeyBody)
            guard bodyLength >= 20 else { return nil }
            let body = UnsafeBufferPointer(rebasing: bytes[(index + 3)..<(index + 3 + bodyLength)])
            guard body.contains(where: isDigit), body.contains(where: isLetter) else { return nil }
            return 3 + bodyLength
        case UInt8(ascii: "A"):
            // AWS access key ids (AKIA…, ASIA…) and Google API keys (AIza…).
            if hasPrefix(bytes, at: index, "AKIA") || hasPrefix(bytes, at: index, "ASIA") {
                let bodyLength = run(bytes, from: index + 4) { isDigit($0) || ($0 >= 0x41 && $0 <= 0x5A) }
                return bodyLength == 16 && endsAt(bytes, index + 20) ? 20 : nil
            }
            if hasPrefix(bytes, at: index, "AIza") {
                let bodyLength = run(bytes, from: index + 4, isKeyBody)
                return bodyLength == 35 ? 39 : nil
            }
            return nil
        case UInt8(ascii: "g"):
            if hasPrefix(bytes, at: index, "github_pat_") {
                let bodyLength = run(bytes, from: index + 11, isIdentifierByte)
                return bodyLength >= 30 ? 11 + bodyLength : nil
            }
            if hasPrefix(bytes, at: index, "glpat-") {
                let bodyLength = run(bytes, from: index + 6, isKeyBody)
                return bodyLength >= 20 ? 6 + bodyLength : nil
            }
            guard index + 4 <= bytes.count, bytes[index + 1] == UInt8(ascii: "h"), bytes[index + 3] == UInt8(ascii: "_"),
                "pousr".utf8.contains(bytes[index + 2])
            else { return nil }
            let bodyLength = run(bytes, from: index + 4) { isLetter($0) || isDigit($0) }
            return bodyLength >= 30 ? 4 + bodyLength : nil
        case UInt8(ascii: "x"):
            // Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs-.
            guard hasPrefix(bytes, at: index, "xox"), index + 5 <= bytes.count, "bpars".utf8.contains(bytes[index + 3]),
                bytes[index + 4] == UInt8(ascii: "-")
            else { return nil }
            let bodyLength = run(bytes, from: index + 5, isKeyBody)
            return bodyLength >= 10 ? 5 + bodyLength : nil
        default:
            return nil
        }
    }

    // MARK: - Private key blocks

    private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var end = index
        while end < bytes.count && bytes[end] != newline { end += 1 }
        return end
    }

    /// The end of a line's content, before `\r\n` or `\n`.
    private static func contentEnd(_ bytes: UnsafeBufferPointer<UInt8>, lineEnd: Int, lineStart: Int) -> Int {
        lineEnd > lineStart && bytes[lineEnd - 1] == carriageReturn ? lineEnd - 1 : lineEnd
    }

    private static func contains(
        _ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString, from lower: Int, to upper: Int
    ) -> Bool {
        let length = needle.utf8CodeUnitCount
        var index = lower
        while index + length <= upper {
            if hasPrefix(bytes, at: index, needle) { return true }
            index += 1
        }
        return false
    }

    /// At `-----BEGIN … PRIVATE KEY-----`, redacts every line up to and including the END line (to the end of the
    /// text when there is none). Returns where scanning resumes (the start of the line after the block).
    private static func privateKeyBlock(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, lineStart: Int, edits: inout [Edit], line: inout Int
    ) -> Int? {
        guard hasPrefix(bytes, at: index, "-----BEGIN ") else { return nil }
        var end = lineEnd(bytes, from: index)
        guard contains(bytes, "PRIVATE KEY", from: index, to: end) else { return nil }
        // The whole line goes; drop what was already redacted on it.
        while let last = edits.last, last.lower >= lineStart { edits.removeLast() }
        var start = lineStart
        while true {
            edits.append(Edit(lower: start, upper: contentEnd(bytes, lineEnd: end, lineStart: start), line: line))
            let isLastLine = contains(bytes, "-----END", from: start == lineStart ? index + 11 : start, to: end)
            if isLastLine || end >= bytes.count { break }
            start = end + 1
            line += 1
            end = lineEnd(bytes, from: start)
        }
        // Resume on the line break so that the main loop counts it.
        return end
    }

    // MARK: - Assignments and URLs

    /// Normalised (lower case, no `_`, `-`, `.`) endings of names whose values are secrets.
    private static let secretNameEndings: [[UInt8]] = [
        "password", "passwd", "pwd", "passphrase", "secret", "secretkey", "token", "apikey", "accesskey",
        "privatekey", "credential", "credentials", "authkey",
    ].map { Array($0.utf8) }

    private static func isQuote(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`")
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isIdentifierByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// The secret value after `name =`, `name: `, `"name": `, `name := ` or `name => ` on one line,
    /// or the password in `scheme://user:password@host`.
    private static func assignedSecret(
        _ bytes: UnsafeBufferPointer<UInt8>, operatorAt index: Int, lineStart: Int, line: Int
    ) -> Edit? {
        let operatorByte = bytes[index]
        let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
        let previous: UInt8 = index > lineStart ? bytes[index - 1] : 0
        var valueStart = index + 1
        if operatorByte == UInt8(ascii: ":") {
            if next == UInt8(ascii: "/") { return urlPassword(bytes, colonAt: index, lineStart: lineStart, line: line) }
            if next == UInt8(ascii: ":") || previous == UInt8(ascii: ":") || next == UInt8(ascii: "=") { return nil }
        } else {
            if next == UInt8(ascii: "=") || "=!<>".utf8.contains(previous) { return nil }
            if next == UInt8(ascii: ">") { valueStart += 1 }
        }
        guard let name = nameBefore(bytes, index: previous == UInt8(ascii: ":") ? index - 1 : index, lineStart: lineStart),
            endsLikeSecretName(bytes, name)
        else { return nil }
        return secretValue(bytes, from: valueStart, line: line)
    }

    /// The name before an assignment operator: skips spaces and a closing quote, and hops over a type annotation
    /// (`name: Type =`).
    private static func nameBefore(_ bytes: UnsafeBufferPointer<UInt8>, index: Int, lineStart: Int) -> Range<Int>? {
        func name(endingBefore position: Int) -> (Range<Int>, Int)? {
            var end = position
            var spaces = 0
            while end > lineStart && isSpace(bytes[end - 1]) && spaces < 8 {
                end -= 1
                spaces += 1
            }
            if end > lineStart && isQuote(bytes[end - 1]) { end -= 1 }
            var start = end
            while start > lineStart && isNameByte(bytes[start - 1]) && end - start < 64 { start -= 1 }
            guard start < end else { return nil }
            return (start..<end, start)
        }
        guard let (first, firstStart) = name(endingBefore: index) else { return nil }
        var before = firstStart
        while before > lineStart && isSpace(bytes[before - 1]) { before -= 1 }
        if before > lineStart && bytes[before - 1] == UInt8(ascii: ":"), bytes[index] == UInt8(ascii: "="),
            let (annotated, _) = name(endingBefore: before - 1)
        {
            return annotated
        }
        return first
    }

    private static func endsLikeSecretName(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Bool {
        // Compare backwards, lower-cased, skipping separators; no allocation, since most names fail at once.
        func isSeparator(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        var last = name.upperBound - 1
        while last >= name.lowerBound && isSeparator(bytes[last]) { last -= 1 }
        guard last >= name.lowerBound, "dtnyesl".utf8.contains(lowered(bytes[last])) else { return false }
        endings: for ending in secretNameEndings {
            var position = last
            var endingIndex = ending.count - 1
            while endingIndex >= 0 {
                while position >= name.lowerBound && isSeparator(bytes[position]) { position -= 1 }
                guard position >= name.lowerBound, lowered(bytes[position]) == ending[endingIndex] else { continue endings }
                position -= 1
                endingIndex -= 1
            }
            return true
        }
        return false
    }

    /// A quoted literal of 8+ characters without spaces, or an unquoted value that looks random, after `from`.
    private static func secretValue(_ bytes: UnsafeBufferPointer<UInt8>, from position: Int, line: Int) -> Edit? {
        var start = position
        while start < bytes.count && isSpace(bytes[start]) { start += 1 }
        guard start < bytes.count else { return nil }
        if start + 1 < bytes.count, "bBrRuU".utf8.contains(bytes[start]), isQuote(bytes[start + 1]) { start += 1 }
        let first = bytes[start]
        if isQuote(first) {
            let contentStart = start + 1
            var end = contentStart
            while end < bytes.count && bytes[end] != first && bytes[end] != newline && bytes[end] != carriageReturn {
                if bytes[end] == UInt8(ascii: "\\") { end += 1 }
                end += 1
            }
            end = min(end, bytes.count)
            let content = UnsafeBufferPointer(rebasing: bytes[contentStart..<end])
            guard content.count >= 8, !content.contains(where: { isSpace($0) }), !looksLikePlaceholder(content) else {
                return nil
            }
            return Edit(lower: contentStart, upper: end, line: line)
        }
        let length = run(bytes, from: start) { !unquotedValueStops.contains($0) }
        let content = UnsafeBufferPointer(rebasing: bytes[start..<(start + length)])
        guard length >= 8, !looksLikePlaceholder(content), !content.contains(where: { "([{<$".utf8.contains($0) }),
            !isDottedName(content)
        else { return nil }
        let looksRandom = (content.contains(where: isDigit) && content.contains(where: isLetter)) || length >= 24
        return looksRandom ? Edit(lower: start, upper: start + length, line: line) : nil
    }

    private static let unquotedValueStops = Set(" \t\r\n,;)]}\"'".utf8)

    /// `${VAR}`, `{{ var }}`, `<your key>`, `%(name)s`, or an environment variable's name such as `API_KEY`.
    private static func looksLikePlaceholder(_ content: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = content.first else { return true }
        if "$<{%".utf8.contains(first) { return true }
        if content.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || isDigit($0) || $0 == UInt8(ascii: "_") }) { return true }
        if content.allSatisfy({ $0 == first }) { return true }
        return false
    }

    /// `config.api.token`: member access, not a value.
    private static func isDottedName(_ content: UnsafeBufferPointer<UInt8>) -> Bool {
        guard content.contains(UInt8(ascii: ".")) else { return false }
        var segmentStart = true
        for byte in content {
            if byte == UInt8(ascii: ".") {
                if segmentStart { return false }
                segmentStart = true
            } else if segmentStart {
                guard isLetter(byte) || byte == UInt8(ascii: "_") else { return false }
                segmentStart = false
            } else if !isIdentifierByte(byte) {
                return false
            }
        }
        return !segmentStart
    }

    /// `scheme://user:password@host`: the password, when the colon at `colonAt` starts `//`.
    private static func urlPassword(_ bytes: UnsafeBufferPointer<UInt8>, colonAt: Int, lineStart: Int, line: Int) -> Edit? {
        guard colonAt + 2 < bytes.count, bytes[colonAt + 2] == UInt8(ascii: "/") else { return nil }
        let authorityStart = colonAt + 3
        var index = authorityStart
        var passwordStart: Int?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/") || byte == newline || isSpace(byte) || isQuote(byte) || byte == UInt8(ascii: "?")
                || byte == UInt8(ascii: "#")
            {
                return nil
            }
            if byte == UInt8(ascii: ":") && passwordStart == nil { passwordStart = index + 1 }
            if byte == UInt8(ascii: "@") {
                guard let passwordStart, index > passwordStart else { return nil }
                let password = UnsafeBufferPointer(rebasing: bytes[passwordStart..<index])
                if looksLikePlaceholder(password) { return nil }
                return Edit(lower: passwordStart, upper: index, line: line)
            }
            index += 1
        }
        return nil
    }
}
