// The one JSON text parser: bytes to `JSONValue` in a single pass, iterative, with an explicit nesting limit.

/// Why a text is not a JSON value k2lsp accepts.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Not JSON (a syntax error, an unescaped control character, trailing text).
        case syntax
        /// Valid JSON, but arrays and objects nest deeper than the limit.
        case tooDeep
    }

    public var kind: Kind
    /// The byte offset where the problem was found.
    public var offset: Int
    public var reason: String

    public var description: String { "\(reason) (at byte \(offset))" }
}

/// Parses JSON text (RFC 8259) into a `JSONValue`.
///
/// Nothing here recurses, so no input can exhaust the stack, and nesting is refused beyond `maximumDepth`: every
/// consumer of the value (typed decoding, hashing, freeing) walks it recursively. Types are recognised by their first
/// byte, so a value is parsed once, never tried as each type in turn. Strings are repaired rather than refused: bytes
/// that are not UTF-8 and `\u` escapes of lone UTF-16 surrogates become U+FFFD, because editors send buffer contents
/// as they are and a refused `didChange` would make the server's copy of a document diverge from the editor's.
public enum JSONParser {
    /// Deeper than any LSP or ACP message (a code action's edit is about ten levels) and far from any stack limit.
    public static let defaultMaximumDepth = 128

    public static func parse<Bytes: Collection>(
        _ bytes: Bytes, maximumDepth: Int = defaultMaximumDepth
    ) -> Result<JSONValue, JSONParseError> where Bytes.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in
            var parser = Parser(bytes: buffer, maximumDepth: maximumDepth)
            return parser.parseDocument()
        }) {
            return result
        }
        let copy = Array(bytes)
        return copy.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer, maximumDepth: maximumDepth)
            return parser.parseDocument()
        }
    }
}

private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var position = 0

    /// Open containers, innermost last; `objects`/`arrays` hold the members read so far, `keys` the pending key.
    var isObject: [Bool] = []
    var objects: [[String: JSONValue]] = []
    var keys: [String] = []
    var arrays: [[JSONValue]] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private enum Scan {
        case value(JSONValue)
        case opened
        case failed(JSONParseError)
    }

    mutating func parseDocument() -> Result<JSONValue, JSONParseError> {
        skipWhitespace()
        guard position < bytes.count else { return .failure(syntax("The text is empty.")) }
        while true {
            var completed: JSONValue
            switch scanValue() {
            case .failed(let error): return .failure(error)
            case .opened: continue
            case .value(let value): completed = value
            }
            // Hand the value to its container; close every container that ends here.
            while true {
                guard let objectOnTop = isObject.last else {
                    skipWhitespace()
                    guard position == bytes.count else { return .failure(syntax("Unexpected text after the JSON value.")) }
                    return .success(completed)
                }
                skipWhitespace()
                if objectOnTop {
                    let key = keys.removeLast()
                    objects[objects.count - 1][key] = completed
                    if peek(UInt8(ascii: ",")) {
                        position += 1
                        if let error = readKey() { return .failure(error) }
                        break
                    }
                    guard peek(UInt8(ascii: "}")) else { return .failure(syntax("Expected ',' or '}' in an object.")) }
                    position += 1
                    isObject.removeLast()
                    completed = .object(objects.removeLast())
                } else {
                    arrays[arrays.count - 1].append(completed)
                    if peek(UInt8(ascii: ",")) {
                        position += 1
                        skipWhitespace()
                        break
                    }
                    guard peek(UInt8(ascii: "]")) else { return .failure(syntax("Expected ',' or ']' in an array.")) }
                    position += 1
                    isObject.removeLast()
                    completed = .array(arrays.removeLast())
                }
            }
        }
    }

    /// Reads one value, or opens a container (and reads up to its first member).
    private mutating func scanValue() -> Scan {
        skipWhitespace()
        guard position < bytes.count else { return .failed(syntax("The text ends where a value was expected.")) }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            guard isObject.count < maximumDepth else { return .failed(tooDeep()) }
            position += 1
            skipWhitespace()
            if peek(UInt8(ascii: "}")) {
                position += 1
                return .value(.object([:]))
            }
            isObject.append(true)
            objects.append([:])
            if let error = readKey() { return .failed(error) }
            return .opened
        case UInt8(ascii: "["):
            guard isObject.count < maximumDepth else { return .failed(tooDeep()) }
            position += 1
            skipWhitespace()
            if peek(UInt8(ascii: "]")) {
                position += 1
                return .value(.array([]))
            }
            isObject.append(false)
            arrays.append([])
            return .opened
        case UInt8(ascii: "\""):
            switch readString() {
            case .success(let string): return .value(.string(string))
            case .failure(let error): return .failed(error)
            }
        case UInt8(ascii: "t"):
            return literal("true", .bool(true))
        case UInt8(ascii: "f"):
            return literal("false", .bool(false))
        case UInt8(ascii: "n"):
            return literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return readNumber()
        default:
            return .failed(syntax("Unexpected character where a value was expected."))
        }
    }

    /// Reads `"key" :` of an object member.
    private mutating func readKey() -> JSONParseError? {
        skipWhitespace()
        guard peek(UInt8(ascii: "\"")) else { return syntax("Expected a string key in an object.") }
        switch readString() {
        case .failure(let error): return error
        case .success(let key): keys.append(key)
        }
        skipWhitespace()
        guard peek(UInt8(ascii: ":")) else { return syntax("Expected ':' after an object key.") }
        position += 1
        return nil
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> Scan {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return .failed(syntax("Unexpected end of the text.")) }
        let pointer = word.utf8Start
        for index in 0..<count where bytes[position + index] != pointer[index] {
            return .failed(syntax("Unknown literal."))
        }
        position += count
        return .value(value)
    }

    private mutating func readNumber() -> Scan {
        let start = position
        var isInteger = true
        if peek(UInt8(ascii: "-")) { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { return .failed(syntax("A number needs digits.")) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                return .failed(syntax("A number must not have leading zeros."))
            }
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if peek(UInt8(ascii: ".")) {
            isInteger = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                return .failed(syntax("A number needs digits after the decimal point."))
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            isInteger = false
            position += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else {
                return .failed(syntax("A number needs digits in its exponent."))
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let integer = Int(text) { return .value(.int(integer)) }
        guard let double = Double(text) else { return .failed(syntax("Unreadable number.")) }
        // JSON has one number type: integral values compare equal however they were written (1, 1.0, 1e0).
        if double.rounded() == double, abs(double) < 9_007_199_254_740_992, let integer = Int(exactly: double) {
            return .value(.int(integer))
        }
        return .value(.double(double))
    }

    private mutating func readString() -> Result<String, JSONParseError> {
        position += 1  // the opening quote
        let start = position
        // Fast path: no escapes, so the bytes are the string.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return .success(string)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return .failure(syntax("A control character in a string must be escaped.")) }
            position += 1
        }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return .success(String(decoding: buffer, as: UTF8.self))
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = readHexUnit() else { return .failure(syntax("A \\u escape needs four hex digits.")) }
                    append(scalarStartingWith: unit, to: &buffer)
                default:
                    return .failure(syntax("Unknown escape in a string."))
                }
            default:
                if byte < 0x20 { return .failure(syntax("A control character in a string must be escaped.")) }
                buffer.append(byte)
                position += 1
            }
        }
        return .failure(syntax("A string is not closed."))
    }

    /// Appends the scalar of a `\u` escape; a high surrogate takes the low one after it. A surrogate without its
    /// partner is U+FFFD, as `String(decoding:as:)` does for broken UTF-8.
    private mutating func append(scalarStartingWith unit: UInt16, to buffer: inout [UInt8]) {
        var scalar: Unicode.Scalar?
        if UTF16.isLeadSurrogate(unit) {
            let saved = position
            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                position += 2
                if let trail = readHexUnit(), UTF16.isTrailSurrogate(trail) {
                    let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(trail) - 0xDC00)
                    scalar = Unicode.Scalar(value)
                } else {
                    position = saved  // not a partner: that escape is read on its own
                }
            }
        } else if !UTF16.isTrailSurrogate(unit) {
            scalar = Unicode.Scalar(unit)
        }
        UTF8.encode(scalar ?? "\u{FFFD}") { buffer.append($0) }
    }

    private mutating func readHexUnit() -> UInt16? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        position += 4
        return value
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool {
        position < bytes.count && bytes[position] == byte
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func syntax(_ reason: String) -> JSONParseError {
        JSONParseError(kind: .syntax, offset: position, reason: reason)
    }

    private func tooDeep() -> JSONParseError {
        JSONParseError(
            kind: .tooDeep, offset: position,
            reason: "Arrays and objects nest deeper than \(maximumDepth) levels.")
    }
}
