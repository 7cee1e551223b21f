// Languages the context builder knows, recognised from file extensions or LSP language ids.

public enum SourceLanguage: String, Sendable, Hashable, CaseIterable {
    case swift, python, javascript, typescript, go, rust, c, cpp, objectiveC, java, kotlin, csharp, ruby, php
    case shell, markdown, json, yaml, toml, html, css, sql, text, other

    private static let byExtension: [String: SourceLanguage] = [
        "swift": .swift, "py": .python, "pyi": .python, "js": .javascript, "jsx": .javascript, "mjs": .javascript,
        "cjs": .javascript, "ts": .typescript, "tsx": .typescript, "mts": .typescript, "cts": .typescript, "go": .go,
        "rs": .rust, "c": .c, "h": .c, "cc": .cpp, "cpp": .cpp, "cxx": .cpp, "hpp": .cpp, "hh": .cpp, "hxx": .cpp,
        "m": .objectiveC, "mm": .objectiveC, "java": .java, "kt": .kotlin, "kts": .kotlin, "cs": .csharp, "rb": .ruby,
        "php": .php, "sh": .shell, "bash": .shell, "zsh": .shell, "md": .markdown, "markdown": .markdown,
        "json": .json, "yaml": .yaml, "yml": .yaml, "toml": .toml, "html": .html, "htm": .html, "css": .css,
        "scss": .css, "sql": .sql, "txt": .text, "rst": .text,
    ]

    private static let byLanguageID: [String: SourceLanguage] = [
        "swift": .swift, "python": .python, "javascript": .javascript, "javascriptreact": .javascript,
        "typescript": .typescript, "typescriptreact": .typescript, "go": .go, "rust": .rust, "c": .c, "cpp": .cpp,
        "objective-c": .objectiveC, "objective-cpp": .objectiveC, "java": .java, "kotlin": .kotlin, "csharp": .csharp,
        "ruby": .ruby, "php": .php, "shellscript": .shell, "markdown": .markdown, "json": .json, "jsonc": .json,
        "yaml": .yaml, "toml": .toml, "html": .html, "css": .css, "scss": .css, "sql": .sql, "plaintext": .text,
    ]

    /// The language of a path, from its extension (README and similar names count as text). Works on bytes: the
    /// index asks this of every file.
    public init(path: String) {
        let utf8 = path.utf8
        var nameStart = utf8.startIndex
        var dot: String.UTF8View.Index?
        var index = utf8.endIndex
        while index > utf8.startIndex {
            let previous = utf8.index(before: index)
            let byte = utf8[previous]
            if byte == UInt8(ascii: "/") {
                nameStart = index
                break
            }
            if byte == UInt8(ascii: "."), dot == nil { dot = previous }
            index = previous
        }
        guard let dot, dot > nameStart else {
            let name = utf8[nameStart...]
            self = name.count >= 6 && name.prefix(6).elementsEqual("readme".utf8.map { $0 }, by: { $0 | 0x20 == $1 }) ? .text : .other
            return
        }
        let extensionBytes = utf8[utf8.index(after: dot)...]
        guard extensionBytes.count <= 8 else {
            self = .other
            return
        }
        let lowered = String(decoding: extensionBytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        self = Self.byExtension[lowered] ?? .other
    }

    /// The language of an editor document: its LSP language id, else its path.
    public init(languageID: String, path: String?) {
        if let known = Self.byLanguageID[languageID.lowercased()] {
            self = known
        } else {
            self = SourceLanguage(path: path ?? "")
        }
    }

    /// The info string of a Markdown code fence.
    public var fenceName: String {
        switch self {
        case .objectiveC: return "objc"
        case .other: return ""
        default: return rawValue
        }
    }

    /// Prose is estimated at a different rate than code.
    public var textKind: TextKind { self == .markdown || self == .text ? .prose : .code }
}
