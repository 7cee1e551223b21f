// One pass over UTF-8 bytes that finds key-like text and private-key blocks and replaces them with a marker.

/// The scanner behind `SecretFilter.redactLines`. It visits each byte once through a class table and looks closer
/// only at a few trigger bytes, so that redacting costs about as much as reading the text. Line numbers are worked
/// out afterwards, and only for what was redacted.
enum SecretScanner {
    /// A byte range to replace.
    private struct Edit {
        var lower: Int
        var upper: Int
    }

    static func redact(_ text: String) -> SecretRedaction {
        var text = text
        let (edits, lineCount) = text.withUTF8 { bytes in (scan(bytes), countLineBreaks(bytes, 0..<bytes.count) + 1) }
        guard !edits.isEmpty else { return SecretRedaction(text: text, redactedLines: [], lineCount: lineCount) }
        let marker = Array(SecretPolicy.redactionMarker.utf8)
        var output: [UInt8] = []
        var lines: [Int] = []
        text.withUTF8 { bytes in
            output.reserveCapacity(bytes.count + edits.count * marker.count)
            var position = 0
            var line = 0
            for edit in edits {
                line += countLineBreaks(bytes, position..<edit.lower)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<edit.lower]))
                output.append(contentsOf: marker)
                if lines.last != line { lines.append(line) }
                line += countLineBreaks(bytes, edit.lower..<edit.upper)
                position = edit.upper
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position...]))
        }
        return SecretRedaction(text: String(decoding: output, as: UTF8.self), redactedLines: lines, lineCount: lineCount)
    }

    /// Line breaks as `LineIndex` counts them: `\n`, `\r\n` and a lone `\r`.
    static func countLineBreaks(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        let (newlines, returns) = countNewlinesAndReturns(bytes, range)
        guard returns > 0 else { return newlines }
        var lone = 0
        for index in range where bytes[index] == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A) {
            lone += 1
        }
        return newlines + lone
    }

    /// How many `\n` and `\r` a range holds, sixteen bytes at a time.
    private static func countNewlinesAndReturns(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (Int, Int) {
        guard let base = bytes.baseAddress else { return (0, 0) }
        let newline = SIMD16<UInt8>(repeating: 0x0A)
        let carriageReturn = SIMD16<UInt8>(repeating: 0x0D)
        let ones = SIMD16<UInt8>(repeating: 1)
        let zeros = SIMD16<UInt8>()
        var newlines = 0
        var returns = 0
        var index = range.lowerBound
        while index + 16 <= range.upperBound {
            // Lanes count to at most 255 before they are added up.
            var newlineLanes = SIMD16<UInt8>()
            var returnLanes = SIMD16<UInt8>()
            var rounds = 0
            while rounds < 255 && index + 16 <= range.upperBound {
                let chunk = ByteVectors.load(base, index)
                newlineLanes &+= zeros.replacing(with: ones, where: chunk .== newline)
                returnLanes &+= zeros.replacing(with: ones, where: chunk .== carriageReturn)
                index += 16
                rounds += 1
            }
            newlines += Int(SIMD16<UInt16>(truncatingIfNeeded: newlineLanes).wrappedSum())
            returns += Int(SIMD16<UInt16>(truncatingIfNeeded: returnLanes).wrappedSum())
        }
        while index < range.upperBound {
            if base[index] == 0x0A { newlines += 1 }
            if base[index] == 0x0D { returns += 1 }
            index += 1
        }
        return (newlines, returns)
    }

    // MARK: - Byte classes

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
    private static func isUpperOrDigit(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || isDigit(byte) }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    @inline(__always)
    private static func isQuote(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x27 || byte == 0x60 }

    @inline(__always)
    private static func isLineBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }

    /// The bytes worth a closer look: `-` (PEM and PuTTY blocks, `sk-`, `xoxb-`, `glpat-`), `=` and `:`
    /// (assignments, URLs, `.pgpass` lines), `A` (AWS and Google keys), `g` (GitHub tokens) and `k` (Stripe's
    /// `sk_live_`).
    @inline(__always)
    private static func isTrigger(_ byte: UInt8) -> Bool {
        byte == 0x2D || byte == 0x3D || byte == 0x3A || byte == 0x41 || byte == 0x67 || byte == 0x6B
    }

    // MARK: - The pass

    /// Sixteen bytes at a time: a vector compare finds the trigger bytes, and only those are looked at, so that
    /// ordinary text costs a few instructions per sixteen bytes.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Edit] {
        var edits: [Edit] = []
        guard let base = bytes.baseAddress else { return edits }
        let count = bytes.count
        let dashes = SIMD16<UInt8>(repeating: 0x2D)
        let equals = SIMD16<UInt8>(repeating: 0x3D)
        let colons = SIMD16<UInt8>(repeating: 0x3A)
        let capitalA = SIMD16<UInt8>(repeating: 0x41)
        let lowerG = SIMD16<UInt8>(repeating: 0x67)
        let (lowerH, lowerI) = (SIMD16<UInt8>(repeating: 0x68), SIMD16<UInt8>(repeating: 0x69))
        let (capitalK, capitalS, capitalI) = (SIMD16<UInt8>(repeating: 0x4B), SIMD16<UInt8>(repeating: 0x53), SIMD16<UInt8>(repeating: 0x49))
        let (lowerK, underscores) = (SIMD16<UInt8>(repeating: 0x6B), SIMD16<UInt8>(repeating: 0x5F))
        // Triggers before `resume` lie inside something already handled.
        var resume = 0
        var chunk = 0
        // The vector after the chunk, shifted by one, pairs `g` with `h`/`i`, `A` with `K`/`S`/`I` and `k` with `_`:
        // single letters would fire on every other word.
        while chunk + 17 <= count {
            let vector = ByteVectors.load(base, chunk)
            let following = ByteVectors.load(base, chunk + 1)
            let github = (vector .== lowerG) .& ((following .== lowerH) .| (following .== lowerI))
            let amazonOrGoogle = (vector .== capitalA) .& ((following .== capitalK) .| (following .== capitalS) .| (following .== capitalI))
            let stripe = (vector .== lowerK) .& (following .== underscores)
            let hits = (vector .== dashes) .| (vector .== equals) .| (vector .== colons) .| github .| amazonOrGoogle .| stripe
            if ByteVectors.hasAny(hits) {
                var bits = ByteVectors.bitmask(hits)
                while bits != 0 {
                    let index = chunk + bits.trailingZeroBitCount
                    bits &= bits - 1
                    if index >= resume { resume = handle(bytes, at: index, edits: &edits) }
                }
            }
            chunk = max(chunk + 16, resume)
        }
        var index = max(chunk, resume)
        while index < count {
            index = isTrigger(bytes[index]) ? max(index + 1, handle(bytes, at: index, edits: &edits)) : index + 1
        }
        return edits
    }

    /// Looks closer at one trigger byte; returns where scanning resumes.
    private static func handle(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, edits: inout [Edit]) -> Int {
        switch bytes[index] {
        case 0x2D:
            if let end = privateKeyBlock(bytes, at: index, edits: &edits) { return end }
            if let end = puttyKeyBlock(bytes, at: index, edits: &edits) { return end }
            if let edit = tokenEndingInDash(bytes, dashAt: index, notBefore: edits.last?.upper ?? 0) {
                edits.append(edit)
                return edit.upper
            }
        case 0x6B:
            if let edit = stripeKey(bytes, kAt: index) {
                edits.append(edit)
                return edit.upper
            }
        case 0x41, 0x67:
            // Most of these letters sit inside words: a token needs a boundary before it.
            if index > 0 && isIdentifierByte(bytes[index - 1]) { return index + 1 }
            if let length = letterToken(bytes, at: index) {
                edits.append(Edit(lower: index, upper: index + length))
                return index + length
            }
        default:
            if let edit = assignedSecret(bytes, operatorAt: index) {
                edits.append(edit)
                return edit.upper
            }
        }
        return index + 1
    }

    // MARK: - Tokens with a known shape

    @inline(__always)
    private static func byte(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt8 {
        index >= 0 && index < bytes.count ? bytes[index] : 0
    }

    /// Whether `literal` occurs at `index`.
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard index >= 0, index + length <= bytes.count else { return false }
        let start = literal.utf8Start
        var offset = 0
        while offset < length {
            if bytes[index + offset] != start[offset] { return false }
            offset += 1
        }
        return true
    }

    /// The length of a run of bytes that satisfy `accepts`, starting at `index`.
    @inline(__always)
    private static func run(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int, _ accepts: (UInt8) -> Bool) -> Int {
        var end = index
        while end < bytes.count && accepts(bytes[end]) { end += 1 }
        return end - index
    }

    @inline(__always)
    private static func isKeyBody(_ byte: UInt8) -> Bool { isIdentifierByte(byte) || byte == 0x2D }

    /// Whether a token may start at `index`: nothing of a word before it.
    @inline(__always)
    private static func startsToken(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index == 0 || !isIdentifierByte(bytes[index - 1])
    }

    /// Keys whose prefix ends in a dash: `sk-…` (OpenAI-style, Moonshot), `xoxb-…` (Slack), `glpat-…` (GitLab).
    private static func tokenEndingInDash(_ bytes: UnsafeBufferPointer<UInt8>, dashAt index: Int, notBefore limit: Int) -> Edit? {
        let before = byte(bytes, index - 1)
        if before == UInt8(ascii: "k"), byte(bytes, index - 2) == UInt8(ascii: "s"), index - 2 >= limit, startsToken(bytes, index - 2) {
            let bodyLength = run(bytes, from: index + 1, isKeyBody)
            guard bodyLength >= 20 else { return nil }
            let body = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<(index + 1 + bodyLength)])
            guard body.contains(where: isDigit), body.contains(where: isLetter) else { return nil }
            return Edit(lower: index - 2, upper: index + 1 + bodyLength)
        }
        switch before {
        case UInt8(ascii: "b"), UInt8(ascii: "p"), UInt8(ascii: "a"), UInt8(ascii: "r"), UInt8(ascii: "s"):
            guard matches(bytes, at: index - 4, "xox"), index - 4 >= limit, startsToken(bytes, index - 4) else { return nil }
            let bodyLength = run(bytes, from: index + 1, isKeyBody)
            return bodyLength >= 10 ? Edit(lower: index - 4, upper: index + 1 + bodyLength) : nil
        case UInt8(ascii: "t"):
            guard matches(bytes, at: index - 5, "glpat"), index - 5 >= limit, startsToken(bytes, index - 5) else { return nil }
            let bodyLength = run(bytes, from: index + 1, isKeyBody)
            return bodyLength >= 20 ? Edit(lower: index - 5, upper: index + 1 + bodyLength) : nil
        default:
            return nil
        }
    }

    /// Keys that start with `A` (AWS `AKIA…`/`ASIA…`, Google `AIza…`) or `g` (GitHub `ghp_…`, `github_pat_…`).
    private static func letterToken(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let second = byte(bytes, index + 1)
        let third = byte(bytes, index + 2)
        let fourth = byte(bytes, index + 3)
        if bytes[index] == UInt8(ascii: "A") {
            if (second == UInt8(ascii: "K") || second == UInt8(ascii: "S")) && third == UInt8(ascii: "I") && fourth == UInt8(ascii: "A") {
                let bodyLength = run(bytes, from: index + 4, isUpperOrDigit)
                return bodyLength == 16 && !isIdentifierByte(byte(bytes, index + 20)) ? 20 : nil
            }
            if second == UInt8(ascii: "I") && third == UInt8(ascii: "z") && fourth == UInt8(ascii: "a") {
                return run(bytes, from: index + 4, isKeyBody) == 35 ? 39 : nil
            }
            return nil
        }
        if second == UInt8(ascii: "i"), matches(bytes, at: index, "github_pat_") {
            let bodyLength = run(bytes, from: index + 11, isIdentifierByte)
            return bodyLength >= 30 ? 11 + bodyLength : nil
        }
        guard second == UInt8(ascii: "h"), fourth == 0x5F,
            third == UInt8(ascii: "p") || third == UInt8(ascii: "o") || third == UInt8(ascii: "u")
                || third == UInt8(ascii: "s") || third == UInt8(ascii: "r")
        else { return nil }
        let bodyLength = run(bytes, from: index + 4) { isLetter($0) || isDigit($0) }
        return bodyLength >= 30 ? 4 + bodyLength : nil
    }

    /// Stripe secret and restricted keys: `sk_live_…`, `rk_live_…` and their `_test_` forms (`k` at `kAt`).
    private static func stripeKey(_ bytes: UnsafeBufferPointer<UInt8>, kAt index: Int) -> Edit? {
        let first = byte(bytes, index - 1)
        guard first == UInt8(ascii: "s") || first == UInt8(ascii: "r"), startsToken(bytes, index - 1),
            matches(bytes, at: index + 1, "_live_") || matches(bytes, at: index + 1, "_test_")
        else { return nil }
        let bodyLength = run(bytes, from: index + 7) { isLetter($0) || isDigit($0) }
        return bodyLength >= 16 ? Edit(lower: index - 1, upper: index + 7 + bodyLength) : nil
    }

    // MARK: - Private key blocks

    private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var end = index
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        return end
    }

    /// The end of a line's content, before `\r\n` or `\n`.
    private static func contentEnd(_ bytes: UnsafeBufferPointer<UInt8>, lineEnd: Int, lineStart: Int) -> Int {
        lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
    }

    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString, from lower: Int, to upper: Int)
        -> Bool
    {
        var index = lower
        while index + needle.utf8CodeUnitCount <= upper {
            if matches(bytes, at: index, needle) { return true }
            index += 1
        }
        return false
    }

    /// At `-----BEGIN … PRIVATE KEY-----`, redacts every line up to and including the END line (to the end of the
    /// text when there is none). Returns where scanning resumes (the line break after the block).
    private static func privateKeyBlock(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, edits: inout [Edit]) -> Int? {
        guard byte(bytes, index + 1) == 0x2D, matches(bytes, at: index, "-----BEGIN ") else { return nil }
        var end = lineEnd(bytes, from: index)
        guard contains(bytes, "PRIVATE KEY", from: index, to: end) else { return nil }
        var lineStart = index
        while lineStart > 0 && !isLineBreak(bytes[lineStart - 1]) { lineStart -= 1 }
        // The whole line goes; drop what was already redacted on it.
        while let last = edits.last, last.lower >= lineStart { edits.removeLast() }
        var start = lineStart
        while true {
            edits.append(Edit(lower: start, upper: contentEnd(bytes, lineEnd: end, lineStart: start)))
            let isLastLine = contains(bytes, "-----END", from: start == lineStart ? index + 11 : start, to: end)
            if isLastLine || end >= bytes.count { break }
            start = end + 1
            end = lineEnd(bytes, from: start)
        }
        return end
    }

    /// At `PuTTY-User-Key-File-N: …` (a `.ppk` key, `-` at `index` after `PuTTY`), redacts every line up to and
    /// including `Private-MAC:` (to the end of the text when there is none).
    private static func puttyKeyBlock(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, edits: inout [Edit]) -> Int? {
        guard matches(bytes, at: index - 5, "PuTTY-User-Key-File-") else { return nil }
        var lineStart = index - 5
        while lineStart > 0 && !isLineBreak(bytes[lineStart - 1]) { lineStart -= 1 }
        while let last = edits.last, last.lower >= lineStart { edits.removeLast() }
        var start = lineStart
        var end = lineEnd(bytes, from: start)
        while true {
            edits.append(Edit(lower: start, upper: contentEnd(bytes, lineEnd: end, lineStart: start)))
            if matches(bytes, at: start, "Private-MAC:") || end >= bytes.count { break }
            start = end + 1
            end = lineEnd(bytes, from: start)
        }
        return end
    }

    // MARK: - Assignments and URLs

    /// Normalised (lower case, no `_`, `-`, `.`) endings of names whose values are secrets.
    private static let secretNameEndings: [[UInt8]] = [
        "password", "passwd", "pwd", "passphrase", "secret", "secretkey", "token", "apikey", "accesskey",
        "privatekey", "credential", "credentials", "authkey", "auth", "keydata",
    ].map { Array($0.utf8) }

    /// A header whose value is a credential after an optional scheme word (`Authorization: Bearer …`, git's
    /// `extraheader = AUTHORIZATION: basic …`).
    private static let authorizationName = Array("authorization".utf8)

    @inline(__always)
    private static func isNameByte(_ byte: UInt8) -> Bool { isIdentifierByte(byte) || byte == 0x2D || byte == 0x2E }

    /// The secret value after `name =`, `name: `, `"name": `, `name := ` or `name => ` on one line,
    /// or the password in `scheme://user:password@host`.
    private static func assignedSecret(_ bytes: UnsafeBufferPointer<UInt8>, operatorAt index: Int) -> Edit? {
        let isColon = bytes[index] == UInt8(ascii: ":")
        let next = byte(bytes, index + 1)
        let previous: UInt8 = index > 0 ? bytes[index - 1] : 0
        var valueStart = index + 1
        var nameEnd = index
        if isColon {
            if next == UInt8(ascii: "/") { return urlPassword(bytes, colonAt: index) }
            if isDigit(next) || next == UInt8(ascii: "*"), let edit = pgpassPassword(bytes, colonAt: index) { return edit }
            if next == UInt8(ascii: ":") || previous == UInt8(ascii: ":") || next == UInt8(ascii: "=") { return nil }
        } else {
            if next == UInt8(ascii: "=") || previous == UInt8(ascii: "=") || previous == UInt8(ascii: "!")
                || previous == UInt8(ascii: "<") || previous == UInt8(ascii: ">")
            {
                return nil
            }
            if next == UInt8(ascii: ">") { valueStart += 1 }
            if previous == UInt8(ascii: ":") { nameEnd -= 1 }
        }
        // Cheap rejections first: most names do not end like a secret's, and most values are not literals.
        if !lastNameByteCouldEndSecret(bytes, before: nameEnd) {
            // `name: Type = "literal"` may still hide a secret name before the annotation.
            guard !isColon, startsWithQuote(bytes, from: valueStart),
                let name = nameBefore(bytes, index: nameEnd, allowAnnotation: true), endsLikeSecretName(bytes, name)
            else { return nil }
            return secretValue(bytes, from: valueStart)
        }
        guard let name = nameBefore(bytes, index: nameEnd, allowAnnotation: !isColon) else { return nil }
        if endsWith(bytes, name, authorizationName) { return authorizationCredential(bytes, from: valueStart) }
        guard endsLikeSecretName(bytes, name) else { return nil }
        return secretValue(bytes, from: valueStart)
    }

    /// The credential of an `Authorization` value: past an optional quote and scheme word (`Bearer`, `Basic`,
    /// `token`), a run of base64 or token characters, 8 or more, that is not a placeholder (`$TOKEN`, `${…}`).
    private static func authorizationCredential(_ bytes: UnsafeBufferPointer<UInt8>, from position: Int) -> Edit? {
        var start = position
        while start < bytes.count && isSpace(bytes[start]) { start += 1 }
        if isQuote(byte(bytes, start)) { start += 1 }
        let word = run(bytes, from: start, isLetter)
        if word > 0, isSpace(byte(bytes, start + word)) {
            start += word
            while start < bytes.count && isSpace(bytes[start]) { start += 1 }
        }
        let length = run(bytes, from: start) { byte in
            isIdentifierByte(byte) || byte == 0x2D || byte == 0x2E || byte == 0x7E || byte == 0x2B || byte == 0x2F
                || byte == 0x3D
        }
        guard length >= 8 else { return nil }
        let content = UnsafeBufferPointer(rebasing: bytes[start..<(start + length)])
        return looksLikePlaceholder(content) ? nil : Edit(lower: start, upper: start + length)
    }

    /// A `.pgpass` line, `host:port:database:user:password` (the colon at `colonAt` ends the host, a port or `*`
    /// follows): the password.
    private static func pgpassPassword(_ bytes: UnsafeBufferPointer<UInt8>, colonAt: Int) -> Edit? {
        @inline(__always) func isHostByte(_ byte: UInt8) -> Bool {
            isIdentifierByte(byte) || byte == 0x2E || byte == 0x2D || byte == 0x2A
        }
        @inline(__always) func isFieldByte(_ byte: UInt8) -> Bool {
            !(byte == 0x3A || isSpace(byte) || isLineBreak(byte) || isQuote(byte))
        }
        var hostStart = colonAt
        while hostStart > 0 && isHostByte(bytes[hostStart - 1]) { hostStart -= 1 }
        guard hostStart < colonAt, hostStart == 0 || (!isNameByte(bytes[hostStart - 1]) && bytes[hostStart - 1] != 0x3A)
        else { return nil }
        var position = colonAt + 1
        let port = byte(bytes, position) == UInt8(ascii: "*") ? 1 : run(bytes, from: position, isDigit)
        guard port > 0, byte(bytes, position + port) == 0x3A else { return nil }
        position += port + 1
        for _ in 0..<2 {
            let field = run(bytes, from: position, isFieldByte)
            guard field > 0, byte(bytes, position + field) == 0x3A else { return nil }
            position += field + 1
        }
        let password = run(bytes, from: position) { !(isSpace($0) || isLineBreak($0) || isQuote($0)) }
        guard password >= 4 else { return nil }
        let content = UnsafeBufferPointer(rebasing: bytes[position..<(position + password)])
        return looksLikePlaceholder(content) ? nil : Edit(lower: position, upper: position + password)
    }

    /// Whether the byte that ends the name before `position` (past spaces and a quote) is one a secret name can
    /// end with: d (password), t (secret), n (token, authorization), y (key), e (passphrase), s/l (credentials),
    /// h (auth), a (client-key-data).
    @inline(__always)
    private static func lastNameByteCouldEndSecret(_ bytes: UnsafeBufferPointer<UInt8>, before position: Int) -> Bool {
        var end = nameEnd(bytes, before: position)
        while end > 0 && (bytes[end - 1] == 0x5F || bytes[end - 1] == 0x2D || bytes[end - 1] == 0x2E) { end -= 1 }
        guard end > 0 else { return false }
        switch bytes[end - 1] | 0x20 {
        case UInt8(ascii: "d"), UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "y"), UInt8(ascii: "e"),
            UInt8(ascii: "s"), UInt8(ascii: "l"), UInt8(ascii: "h"), UInt8(ascii: "a"):
            return true
        default:
            return false
        }
    }

    /// Whether the value after `position` starts with a string literal.
    @inline(__always)
    private static func startsWithQuote(_ bytes: UnsafeBufferPointer<UInt8>, from position: Int) -> Bool {
        var start = position
        while start < bytes.count && isSpace(bytes[start]) { start += 1 }
        let first = byte(bytes, start)
        return isQuote(first) || (isLetter(first) && isQuote(byte(bytes, start + 1)))
    }

    /// Where a name before `position` ends: past up to eight spaces and one closing quote.
    @inline(__always)
    private static func nameEnd(_ bytes: UnsafeBufferPointer<UInt8>, before position: Int) -> Int {
        var end = position
        var spaces = 0
        while end > 0 && isSpace(bytes[end - 1]) && spaces < 8 {
            end -= 1
            spaces += 1
        }
        if end > 0 && isQuote(bytes[end - 1]) { end -= 1 }
        return end
    }

    /// The name that ends before `position`: skips spaces and a closing quote.
    @inline(__always)
    private static func name(_ bytes: UnsafeBufferPointer<UInt8>, endingBefore position: Int) -> Range<Int>? {
        let end = nameEnd(bytes, before: position)
        var start = end
        while start > 0 && isNameByte(bytes[start - 1]) && end - start < 64 { start -= 1 }
        return start < end ? start..<end : nil
    }

    /// The name before an assignment operator; with `allowAnnotation`, hops over a type annotation
    /// (`name: Type =`).
    private static func nameBefore(_ bytes: UnsafeBufferPointer<UInt8>, index: Int, allowAnnotation: Bool) -> Range<Int>? {
        guard let first = name(bytes, endingBefore: index) else { return nil }
        guard allowAnnotation else { return first }
        var before = first.lowerBound
        while before > 0 && isSpace(bytes[before - 1]) { before -= 1 }
        if before > 0 && bytes[before - 1] == UInt8(ascii: ":"), let annotated = name(bytes, endingBefore: before - 1) {
            return annotated
        }
        return first
    }

    private static func endsLikeSecretName(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Bool {
        guard let last = lastNameByte(bytes, name) else { return false }
        switch lowered(bytes[last]) {
        case UInt8(ascii: "d"), UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "y"), UInt8(ascii: "e"),
            UInt8(ascii: "s"), UInt8(ascii: "l"), UInt8(ascii: "h"), UInt8(ascii: "a"):
            break
        default:
            return false
        }
        return secretNameEndings.contains { endsWith(bytes, name, $0) }
    }

    @inline(__always) private static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x5F || byte == 0x2D || byte == 0x2E }
    @inline(__always) private static func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// The name's last byte that is not a separator.
    @inline(__always)
    private static func lastNameByte(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Int? {
        var last = name.upperBound - 1
        while last >= name.lowerBound && isSeparator(bytes[last]) { last -= 1 }
        return last >= name.lowerBound ? last : nil
    }

    /// Whether the name ends with `ending` (lower case, no separators), compared backwards, lower-cased, skipping
    /// separators; no allocation, since most names fail at once.
    private static func endsWith(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>, _ ending: [UInt8]) -> Bool {
        guard var position = lastNameByte(bytes, name) else { return false }
        var endingIndex = ending.count - 1
        while endingIndex >= 0 {
            while position >= name.lowerBound && isSeparator(bytes[position]) { position -= 1 }
            guard position >= name.lowerBound, lowered(bytes[position]) == ending[endingIndex] else { return false }
            position -= 1
            endingIndex -= 1
        }
        return true
    }

    /// A quoted literal of 8+ characters without spaces, or an unquoted value that looks random, after `from`.
    private static func secretValue(_ bytes: UnsafeBufferPointer<UInt8>, from position: Int) -> Edit? {
        var start = position
        while start < bytes.count && isSpace(bytes[start]) { start += 1 }
        guard start < bytes.count else { return nil }
        // Python string prefixes: b"…", r"…", u"…".
        switch bytes[start] {
        case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "r"), UInt8(ascii: "R"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            if isQuote(byte(bytes, start + 1)) { start += 1 }
        default:
            break
        }
        let first = bytes[start]
        if isQuote(first) {
            let contentStart = start + 1
            var end = contentStart
            while end < bytes.count && bytes[end] != first && !isLineBreak(bytes[end]) {
                if bytes[end] == UInt8(ascii: "\\") { end += 1 }
                end += 1
            }
            end = min(end, bytes.count)
            let content = UnsafeBufferPointer(rebasing: bytes[contentStart..<end])
            guard content.count >= 8, !content.contains(where: isSpace), !looksLikePlaceholder(content) else { return nil }
            return Edit(lower: contentStart, upper: end)
        }
        let length = run(bytes, from: start) { byte in
            !(isSpace(byte) || isLineBreak(byte) || isQuote(byte) || byte == 0x2C || byte == 0x3B || byte == 0x29
                || byte == 0x5D || byte == 0x7D)
        }
        let content = UnsafeBufferPointer(rebasing: bytes[start..<(start + length)])
        let hasCodeSyntax = content.contains { byte in
            byte == 0x28 || byte == 0x5B || byte == 0x7B || byte == 0x3C || byte == 0x24
        }
        guard length >= 8, !looksLikePlaceholder(content), !hasCodeSyntax, !isDottedName(content) else { return nil }
        let looksRandom = (content.contains(where: isDigit) && content.contains(where: isLetter)) || length >= 24
        return looksRandom ? Edit(lower: start, upper: start + length) : nil
    }

    /// `${VAR}`, `{{ var }}`, `<your key>`, `%(name)s`, a run of one character, or an environment variable's name
    /// such as `API_KEY`.
    private static func looksLikePlaceholder(_ content: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = content.first else { return true }
        if first == 0x24 || first == 0x3C || first == 0x7B || first == 0x25 { return true }
        if content.allSatisfy({ isUpperOrDigit($0) || $0 == 0x5F }) { return true }
        if content.allSatisfy({ $0 == first }) { return true }
        return false
    }

    /// `config.api.token`: member access, not a value.
    private static func isDottedName(_ content: UnsafeBufferPointer<UInt8>) -> Bool {
        guard content.contains(0x2E) else { return false }
        var segmentStart = true
        for byte in content {
            if byte == 0x2E {
                if segmentStart { return false }
                segmentStart = true
            } else if segmentStart {
                guard isLetter(byte) || byte == 0x5F else { return false }
                segmentStart = false
            } else if !isIdentifierByte(byte) {
                return false
            }
        }
        return !segmentStart
    }

    /// `scheme://user:password@host`: the password, when the colon at `colonAt` starts `//`.
    private static func urlPassword(_ bytes: UnsafeBufferPointer<UInt8>, colonAt: Int) -> Edit? {
        guard byte(bytes, colonAt + 2) == UInt8(ascii: "/") else { return nil }
        var index = colonAt + 3
        var passwordStart: Int?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x2F || isLineBreak(byte) || isSpace(byte) || isQuote(byte) || byte == 0x3F || byte == 0x23 {
                return nil
            }
            if byte == 0x3A && passwordStart == nil { passwordStart = index + 1 }
            if byte == 0x40 {
                guard let passwordStart, index > passwordStart else { return nil }
                let password = UnsafeBufferPointer(rebasing: bytes[passwordStart..<index])
                return looksLikePlaceholder(password) ? nil : Edit(lower: passwordStart, upper: index)
            }
            index += 1
        }
        return nil
    }
}
