// The identifiers used near the cursor, nearest first, without keywords: the names worth finding definitions for.

enum IdentifierScanner {
    /// Keywords and very common names of the languages the builder knows; never worth a definition.
    static let commonWords: Set<String> = [
        "abstract", "actor", "and", "any", "as", "assert", "async", "await", "bool", "boolean", "break", "byte",
        "case", "catch", "char", "class", "const", "continue", "def", "default", "defer", "del", "delete", "do",
        "double", "elif", "else", "enum", "except", "export", "extends", "extension", "false", "final", "finally",
        "float", "fn", "for", "from", "func", "function", "get", "global", "go", "guard", "if", "impl", "implements",
        "import", "in", "init", "inout", "instanceof", "int", "interface", "internal", "is", "lambda", "let", "long",
        "match", "mod", "module", "mut", "new", "nil", "none", "not", "null", "object", "open", "or", "override",
        "package", "pass", "private", "protected", "protocol", "pub", "public", "raise", "return", "self", "set",
        "short", "some", "static", "str", "string", "struct", "super", "switch", "this", "throw", "throws", "trait",
        "true", "try", "type", "typeof", "undefined", "unsafe", "use", "val", "var", "void", "where", "while", "with",
        "yield", "True", "False", "None", "Self", "String", "Int", "Bool", "Double", "Float", "Array", "Dictionary",
        "Optional", "Void", "Error", "print", "len", "range", "console", "log", "fmt", "std", "println", "printf",
        "main", "args", "error", "err", "ctx", "value", "result", "data", "item", "items", "index", "count",
    ]

    /// Identifiers of at least three characters in `text`, each once, ordered by the distance of their nearest use
    /// from `anchorOffset` (a UTF-8 offset into `text`).
    static func identifiers(in text: String, nearestTo anchorOffset: Int, excludingHashes excluded: Set<UInt64> = []) -> [String] {
        var nearest: [String: Int] = [:]
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard LineCursor.isWordStart(byte) else {
                    // Skip numbers as a whole so that `0x1F` does not yield `x1F`.
                    if byte >= 0x30 && byte <= 0x39 {
                        while index < bytes.count && LineCursor.isWordByte(bytes[index]) { index += 1 }
                    } else {
                        index += 1
                    }
                    continue
                }
                let start = index
                while index < bytes.count && LineCursor.isWordByte(bytes[index]) { index += 1 }
                guard index - start >= 3 else { continue }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                guard !commonWords.contains(name), excluded.isEmpty || !excluded.contains(NameHash.of(name)) else { continue }
                let distance = abs(start - anchorOffset)
                if let known = nearest[name], known <= distance { continue }
                nearest[name] = distance
            }
        }
        return nearest.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
    }
}
