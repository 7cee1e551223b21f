// Lightweight per-language declaration patterns: which names a file declares, on which lines, and where each ends.

public enum DeclarationKind: String, Sendable, Hashable {
    case function, type, variable, module, macro
    /// `extension Foo`, `impl Foo`: shown in outlines, not a definition of the name.
    case `extension`
}

/// A declaration found by line patterns (not a parser: good enough to find definitions and draw an outline).
public struct Declaration: Sendable, Hashable {
    public let name: String
    public let kind: DeclarationKind
    /// Zero-based line.
    public let line: Int
    /// Leading whitespace in columns (a tab counts 4).
    public let indent: Int
}

enum DeclarationScanner {
    /// What declares a name in one language.
    struct Rules: Sendable {
        var modifiers = WordTable<Bool>([String]())
        var keywords = WordTable<DeclarationKind>([])
        /// Keywords that declare something only at the top level (`let`, `var`, `const`).
        var topLevelOnly = WordTable<Bool>([String]())
        /// `type name(…)` lines declare functions and methods (C-like languages).
        var callables = false
        /// A callable needs a word before its name (a return type), which sets it apart from a call.
        var callableNeedsReturnType = true
        /// Top-level `NAME = …` declares a variable (Python).
        var assignments = false
        /// `#define NAME`.
        var preprocessor = false

        init(
            modifiers: [String] = [], keywords: KeyValuePairs<String, DeclarationKind> = [:], topLevelOnly: [String] = [],
            callables: Bool = false, callableNeedsReturnType: Bool = true, assignments: Bool = false, preprocessor: Bool = false
        ) {
            self.modifiers = WordTable(modifiers)
            self.keywords = WordTable(keywords.map { ($0.key, $0.value) })
            self.topLevelOnly = WordTable(topLevelOnly)
            self.callables = callables
            self.callableNeedsReturnType = callableNeedsReturnType
            self.assignments = assignments
            self.preprocessor = preprocessor
        }
    }

    private static let swiftRules = Rules(
        modifiers: [
            "public", "private", "fileprivate", "internal", "open", "package", "static", "final", "override", "mutating",
            "nonmutating", "convenience", "required", "lazy", "weak", "unowned", "nonisolated", "indirect", "dynamic",
            "optional",
        ],
        keywords: [
            "func": .function, "class": .type, "struct": .type, "enum": .type, "protocol": .type, "actor": .type,
            "extension": .extension, "typealias": .type, "let": .variable, "var": .variable, "macro": .macro,
        ],
        topLevelOnly: ["let", "var"])

    private static let pythonRules = Rules(
        modifiers: ["async"], keywords: ["def": .function, "class": .type], assignments: true)

    private static let scriptRules = Rules(
        modifiers: [
            "export", "default", "async", "declare", "abstract", "public", "private", "protected", "static", "readonly",
            "override", "get", "set",
        ],
        keywords: [
            "function": .function, "class": .type, "interface": .type, "type": .type, "enum": .type, "const": .variable,
            "let": .variable, "var": .variable, "namespace": .module,
        ],
        topLevelOnly: ["const", "let", "var", "type"], callables: true, callableNeedsReturnType: false)

    private static let goRules = Rules(
        keywords: ["func": .function, "type": .type, "var": .variable, "const": .variable],
        topLevelOnly: ["func", "type", "var", "const"])

    private static let rustRules = Rules(
        modifiers: ["pub", "async", "unsafe", "extern", "default"],
        keywords: [
            "fn": .function, "struct": .type, "enum": .type, "trait": .type, "union": .type, "type": .type,
            "const": .variable, "static": .variable, "mod": .module, "macro_rules": .macro, "impl": .extension,
        ])

    private static let cRules = Rules(
        modifiers: ["static", "inline", "extern", "constexpr", "virtual", "explicit", "friend", "const", "unsigned"],
        keywords: ["struct": .type, "class": .type, "union": .type, "enum": .type, "namespace": .module],
        callables: true, preprocessor: true)

    private static let javaRules = Rules(
        modifiers: [
            "public", "private", "protected", "internal", "static", "final", "abstract", "synchronized", "native",
            "default", "sealed", "strictfp", "transient", "volatile", "partial", "async", "override", "virtual",
            "readonly", "unsafe", "extern", "new",
        ],
        keywords: [
            "class": .type, "interface": .type, "enum": .type, "record": .type, "struct": .type, "namespace": .module,
        ],
        callables: true)

    private static let kotlinRules = Rules(
        modifiers: [
            "public", "private", "internal", "protected", "open", "abstract", "override", "data", "sealed", "inline",
            "suspend", "operator", "infix", "enum", "annotation", "inner", "value", "const", "lateinit", "companion",
            "external", "tailrec", "final", "expect", "actual",
        ],
        keywords: [
            "fun": .function, "class": .type, "interface": .type, "object": .type, "typealias": .type,
            "val": .variable, "var": .variable,
        ],
        topLevelOnly: ["val", "var"])

    private static let rubyRules = Rules(keywords: ["def": .function, "class": .type, "module": .module])

    private static let phpRules = Rules(
        modifiers: ["public", "private", "protected", "static", "abstract", "final", "readonly"],
        keywords: ["function": .function, "class": .type, "interface": .type, "trait": .type, "enum": .type])

    static func rules(for language: SourceLanguage) -> Rules? {
        switch language {
        case .swift: return swiftRules
        case .python: return pythonRules
        case .javascript, .typescript: return scriptRules
        case .go: return goRules
        case .rust: return rustRules
        case .c, .cpp, .objectiveC: return cRules
        case .java, .csharp: return javaRules
        case .kotlin: return kotlinRules
        case .ruby: return rubyRules
        case .php: return phpRules
        default: return nil
        }
    }

    /// Words that start statements, never declarations.
    static let statementWords = WordTable<Bool>([
        "if", "else", "for", "foreach", "while", "do", "switch", "case", "return", "throw", "catch", "try", "finally",
        "new", "delete", "sizeof", "typeof", "await", "yield", "using", "goto", "break", "continue", "defer", "guard",
        "when", "match", "elif", "except", "with", "lambda", "assert", "print", "echo", "import", "from", "package",
        "require", "include", "super", "this", "self", "typedef", "pass", "raise", "del", "global", "nonlocal",
    ])

    private static let hashOfFunc = NameHash.of("func")
    private static let hashOfEnum = NameHash.of("enum")
    private static let hashOfClass = NameHash.of("class")
    private static let hashOfStruct = NameHash.of("struct")
    private static let hashOfConst = NameHash.of("const")
    private static let hashOfFn = NameHash.of("fn")
    private static let swiftClassMembers = Set(["func", "var", "let", "subscript", "init"].map(NameHash.of))

    /// Every declaration in a text; `maxIndent` keeps only shallow ones (an outline wants top-level and members).
    static func declarations(in text: String, language: SourceLanguage, maxIndent: Int = .max) -> [Declaration] {
        var text = text
        return text.withUTF8 { declarations(in: $0, language: language, maxIndent: maxIndent) }
    }

    static func declarations(in bytes: UnsafeBufferPointer<UInt8>, language: SourceLanguage, maxIndent: Int = .max)
        -> [Declaration]
    {
        var result: [Declaration] = []
        scan(bytes, language: language, maxIndent: maxIndent) { found, lineNumber, indent in
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[found.name.range]), as: UTF8.self)
            result.append(Declaration(name: name, kind: found.kind, line: lineNumber, indent: indent))
        }
        return result
    }

    /// Declarations as (name hash, line) pairs for the symbol index: no String is made.
    static func symbolEntries(in bytes: UnsafeBufferPointer<UInt8>, language: SourceLanguage) -> [SymbolEntry] {
        var result: [SymbolEntry] = []
        scan(bytes, language: language, maxIndent: .max) { found, lineNumber, _ in
            if found.kind != .extension { result.append(SymbolEntry(nameHash: found.name.hash, line: Int32(lineNumber))) }
        }
        return result
    }

    private static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, language: SourceLanguage, maxIndent: Int,
        _ found: (_ declaration: (name: Word, kind: DeclarationKind), _ line: Int, _ indent: Int) -> Void
    ) {
        guard let rules = rules(for: language) else { return }
        var lineStart = 0
        var lineNumber = 0
        let count = bytes.count
        while lineStart <= count {
            var lineEnd = lineStart
            while lineEnd < count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var line = LineCursor(bytes: bytes, start: lineStart, end: lineEnd)
            let indent = line.skipIndent()
            if indent <= maxIndent, let declaration = declaration(on: &line, rules: rules, language: language, indent: indent) {
                found(declaration, lineNumber, indent)
            }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
    }

    /// The declaration on one line (`lines` indexes `bytes`), nil when the line declares nothing.
    static func declaration(onLine lineNumber: Int, of lines: TextLines, language: SourceLanguage) -> Declaration? {
        guard let rules = rules(for: language), lineNumber >= 0, lineNumber < lines.indexLineCount else { return nil }
        var text = lines.text
        return text.withUTF8 { bytes in
            var line = LineCursor(bytes: bytes, start: lines.startOffset(lineNumber), end: lines.contentEndOffset(lineNumber))
            let indent = line.skipIndent()
            return declaration(on: &line, rules: rules, language: language, indent: indent).map {
                Declaration(name: line.text($0.name.range), kind: $0.kind, line: lineNumber, indent: indent)
            }
        }
    }

    private static func declaration(on line: inout LineCursor, rules: Rules, language: SourceLanguage, indent: Int)
        -> (name: Word, kind: DeclarationKind)?
    {
        guard let first = line.current else { return nil }
        let startsLikeDeclaration = LineCursor.isWordStart(first) || first == UInt8(ascii: "@") || first == UInt8(ascii: "#")
        guard startsLikeDeclaration else { return nil }
        if first == UInt8(ascii: "#") {
            guard rules.preprocessor, line.consume("#define") || line.consume("# define") else { return nil }
            line.skipSpaces()
            return line.word().map { ($0, .macro) }
        }
        if language == .objectiveC, line.consume("@interface") || line.consume("@implementation") || line.consume("@protocol") {
            line.skipSpaces()
            return line.word().map { ($0, .type) }
        }
        var modifierCount = 0
        while let current = line.current, current == UInt8(ascii: "@") {
            // Attributes and annotations: `@MainActor`, `@objc(name)`, `@Override`.
            line.advance()
            _ = line.word()
            line.skipBalanced(UInt8(ascii: "("), UInt8(ascii: ")"))
            line.skipSpaces()
        }
        let bytes = line.bytes
        var firstWordStart = line.position
        while let word = line.word() {
            line.skipBalanced(UInt8(ascii: "("), UInt8(ascii: ")"))
            line.skipSpaces()
            if rules.modifiers.contains(word, in: bytes) || isModifierBeforeKeyword(word, line: line, language: language) {
                modifierCount += 1
                if modifierCount > 8 { return nil }
                firstWordStart = line.position
                continue
            }
            if let kind = rules.keywords.value(of: word, in: bytes) {
                if indent > 0 && rules.topLevelOnly.contains(word, in: bytes) { return nil }
                return name(after: word, kind: kind, line: &line, language: language).map { ($0, kind) }
            }
            if rules.assignments && indent == 0, let current = line.current {
                let isAssignment = (current == UInt8(ascii: "=") && line.peek(1) != UInt8(ascii: "="))
                    || current == UInt8(ascii: ":")
                return isAssignment && modifierCount == 0 && !statementWords.contains(word, in: bytes) ? (word, .variable) : nil
            }
            if rules.callables {
                return callable(line: &line, firstWordStart: firstWordStart, rules: rules, indent: indent)
                    .map { ($0, .function) }
            }
            return nil
        }
        return nil
    }

    /// `class func` in Swift, `const fn` / `unsafe fn` in Rust: a keyword used as a modifier.
    private static func isModifierBeforeKeyword(_ word: Word, line: LineCursor, language: SourceLanguage) -> Bool {
        guard language == .swift || language == .rust else { return false }
        var lookahead = line
        guard let next = lookahead.word() else { return false }
        switch language {
        case .swift: return word.hash == hashOfClass && swiftClassMembers.contains(next.hash)
        default: return word.hash == hashOfConst && next.hash == hashOfFn
        }
    }

    /// The declared name after a keyword, handling receivers, generics, dotted names and forward declarations.
    private static func name(after keyword: Word, kind: DeclarationKind, line: inout LineCursor, language: SourceLanguage)
        -> Word?
    {
        line.skipSpaces()
        if language == .go && keyword.hash == hashOfFunc && line.current == UInt8(ascii: "(") {
            line.skipBalanced(UInt8(ascii: "("), UInt8(ascii: ")"))
            line.skipSpaces()
        }
        if line.current == UInt8(ascii: "*") || line.current == UInt8(ascii: "!") {
            line.advance()
            line.skipSpaces()
        }
        if line.current == UInt8(ascii: "<") {
            line.skipBalanced(UInt8(ascii: "<"), UInt8(ascii: ">"))
            line.skipSpaces()
        }
        guard var name = line.word() else { return nil }
        if keyword.hash == hashOfEnum, name.hash == hashOfClass || name.hash == hashOfStruct {
            line.skipSpaces()
            guard let inner = line.word() else { return nil }
            name = inner
        }
        // `fun String.trimmed`, `def self.build`: the last component is the name.
        while line.current == UInt8(ascii: "."), LineCursor.isWordStart(line.peek(1) ?? 0) {
            line.advance()
            guard let next = line.word() else { break }
            name = next
        }
        if (language == .c || language == .cpp || language == .objectiveC) && kind == .type {
            line.skipSpaces()
            if line.current == UInt8(ascii: ";") { return nil }  // A forward declaration.
        }
        return name
    }

    /// `ReturnType name(…) {` and the like: the identifier before the first `(`.
    private static func callable(line: inout LineCursor, firstWordStart: Int, rules: Rules, indent: Int) -> Word? {
        guard indent <= 8 else { return nil }
        let (nameRange, hasParenthesis) = line.identifierBeforeFirstParenthesis(from: firstWordStart)
        guard hasParenthesis, let nameRange else { return nil }
        let bytes = line.bytes
        let name = Word(range: nameRange, hash: NameHash.of(bytes, nameRange))
        guard !statementWords.contains(name, in: bytes), !rules.keywords.contains(name, in: bytes) else { return nil }
        if line.containsAssignment(from: firstWordStart, to: nameRange.lowerBound) { return nil }
        let firstWordRange = firstWordStart..<min(line.wordEnd(from: firstWordStart), line.end)
        if statementWords.contains(Word(range: firstWordRange, hash: NameHash.of(bytes, firstWordRange)), in: bytes) { return nil }
        let last = line.lastNonSpace()
        if rules.callableNeedsReturnType {
            guard nameRange.lowerBound > firstWordStart else { return nil }
            let allowsPrototype = indent == 0 && rules.preprocessor
            guard last == UInt8(ascii: "{") || last == UInt8(ascii: ")") || last == UInt8(ascii: ",")
                || (allowsPrototype && last == UInt8(ascii: ";"))
            else { return nil }
        } else {
            // `call(arg, () => {` is a call with a closure, not a method.
            guard last == UInt8(ascii: "{"), line.parenthesesBalance(from: firstWordStart) else { return nil }
        }
        return name
    }
}

/// A declaration in the symbol index: its name's hash and its line.
struct SymbolEntry: Sendable {
    let nameHash: UInt64
    let line: Int32
}

/// A cursor over one line's bytes.
struct LineCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let start: Int
    var position: Int
    let end: Int

    init(bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) {
        self.bytes = bytes
        self.start = start
        self.position = start
        self.end = end
    }

    var current: UInt8? { position < end ? bytes[position] : nil }

    func peek(_ offset: Int) -> UInt8? { position + offset < end ? bytes[position + offset] : nil }

    mutating func advance() { position += 1 }

    static func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte == 0x24
    }

    static func isWordByte(_ byte: UInt8) -> Bool { isWordStart(byte) || (byte >= 0x30 && byte <= 0x39) }

    /// Skips leading whitespace; returns the indent in columns.
    mutating func skipIndent() -> Int {
        var columns = 0
        while let byte = current, byte == 0x20 || byte == 0x09 {
            columns += byte == 0x09 ? 4 : 1
            position += 1
        }
        return columns
    }

    mutating func skipSpaces() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0D { position += 1 }
    }

    /// Consumes an identifier and returns where it is and its hash.
    mutating func word() -> Word? {
        guard let first = current, Self.isWordStart(first) else { return nil }
        let start = position
        var hash = NameHash.offsetBasis
        while position < end {
            let byte = bytes[position]
            guard Self.isWordByte(byte) else { break }
            hash = (hash ^ UInt64(byte)) &* NameHash.prime
            position += 1
        }
        return Word(range: start..<position, hash: hash)
    }

    func wordEnd(from start: Int) -> Int {
        var index = start
        while index < end && Self.isWordByte(bytes[index]) { index += 1 }
        return index
    }

    mutating func consume(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard position + length <= end else { return false }
        let start = literal.utf8Start
        for offset in 0..<length where bytes[position + offset] != start[offset] { return false }
        position += length
        return true
    }

    /// Skips a balanced group when the cursor is on its opening byte.
    mutating func skipBalanced(_ open: UInt8, _ close: UInt8) {
        guard current == open else { return }
        var depth = 0
        while let byte = current {
            if byte == open { depth += 1 }
            if byte == close {
                depth -= 1
                if depth == 0 {
                    position += 1
                    return
                }
            }
            position += 1
        }
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The identifier right before the first `(` at or after `start`, and whether there is a `(` at all.
    func identifierBeforeFirstParenthesis(from start: Int) -> (Range<Int>?, Bool) {
        var index = start
        while index < end && bytes[index] != UInt8(ascii: "(") {
            if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") { return (nil, false) }
            index += 1
        }
        guard index < end else { return (nil, false) }
        var nameEnd = index
        while nameEnd > start && (bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09) { nameEnd -= 1 }
        var nameStart = nameEnd
        while nameStart > start && Self.isWordByte(bytes[nameStart - 1]) { nameStart -= 1 }
        guard nameStart < nameEnd, Self.isWordStart(bytes[nameStart]) else { return (nil, true) }
        return (nameStart..<nameEnd, true)
    }

    /// Whether an `=` (not `==`) lies in the range: `x = call(…)` is a statement.
    func containsAssignment(from start: Int, to upper: Int) -> Bool {
        var index = start
        while index < upper {
            if bytes[index] == UInt8(ascii: "=") { return true }
            index += 1
        }
        return false
    }

    /// As many `(` as `)` from `from` to the end of the line.
    func parenthesesBalance(from lower: Int) -> Bool {
        var depth = 0
        for index in lower..<end {
            if bytes[index] == UInt8(ascii: "(") { depth += 1 }
            if bytes[index] == UInt8(ascii: ")") { depth -= 1 }
        }
        return depth == 0
    }

    func lastNonSpace() -> UInt8? {
        var index = end
        while index > start {
            let byte = bytes[index - 1]
            if byte != 0x20 && byte != 0x09 && byte != 0x0D { return byte }
            index -= 1
        }
        return nil
    }
}
