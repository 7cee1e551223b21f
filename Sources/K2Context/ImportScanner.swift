// The imports and includes of a source file, read per language from its lines.

/// One import statement, as written.
public struct ImportReference: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Swift `import Module`.
        case swiftModule
        /// Python `import a.b` (level 0) or `from ..a import b, c` (level 2, names b and c).
        case python(level: Int, names: [String])
        /// A JS/TS module specifier, or a Ruby `require_relative` path.
        case relativePath
        /// Go `import "module/path/pkg"`.
        case goPackage
        /// Rust `mod name;`.
        case rustModule
        /// Rust `use crate::a::b` / `use super::x` / `use self::x`, as path segments.
        case rustUse
        /// C/C++ `#include "x.h"`.
        case include
        /// Java/Kotlin `import a.b.C` (`a.b.*` when `isWildcard`).
        case jvm(isWildcard: Bool)
    }

    public let kind: Kind
    /// The module, path or package as written (`a.b`, `./x`, `crate::a::b`, `x.h`).
    public let target: String
    /// Zero-based line of the statement.
    public let line: Int
}

enum ImportScanner {
    /// The imports of a text; only the leading lines of a file hold them in most languages, but Python and JS can
    /// import anywhere, so every line is looked at.
    static func imports(in text: String, language: SourceLanguage) -> [ImportReference] {
        guard let prefixes = linePrefixes(of: language) else { return [] }
        var text = text
        return text.withUTF8 { bytes in
            var result: [ImportReference] = []
            var inGoBlock = false
            var lineStart = 0
            var lineNumber = 0
            while lineStart <= bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                var first = lineStart
                while first < lineEnd && (bytes[first] == 0x20 || bytes[first] == 0x09) { first += 1 }
                var last = lineEnd
                while last > first && (bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 || bytes[last - 1] == 0x0D) { last -= 1 }
                // Most lines are rejected on their first byte (or, for JS, a keyword search) before any string is made.
                let content = UnsafeBufferPointer(rebasing: bytes[first..<last])
                let isCandidate =
                    first < last
                    && (inGoBlock
                        || (prefixes.isEmpty
                            ? containsWord(content, "import") || containsWord(content, "require")
                                || containsWord(content, "from")
                            : prefixes.contains { content.starts(with: $0) }))
                if isCandidate {
                    let line = Substring(String(decoding: content, as: UTF8.self))
                    parse(line, lineNumber, language: language, inGoBlock: &inGoBlock, &result)
                }
                lineStart = lineEnd + 1
                lineNumber += 1
            }
            return result
        }
    }

    /// How lines that can hold an import start; empty means "anywhere on the line" (JS/TS); nil, no imports.
    private static func linePrefixes(of language: SourceLanguage) -> [[UInt8]]? {
        let prefixes: [String]
        switch language {
        case .swift: prefixes = ["import ", "@"]
        case .python: prefixes = ["import ", "from "]
        case .javascript, .typescript: prefixes = []
        case .go: prefixes = ["import"]
        case .java, .kotlin: prefixes = ["import "]
        case .rust: prefixes = ["mod ", "pub ", "use "]
        case .c, .cpp, .objectiveC: prefixes = ["#"]
        case .ruby: prefixes = ["require_relative"]
        default: return nil
        }
        return prefixes.map { Array($0.utf8) }
    }

    private static func containsWord(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard bytes.count >= length else { return false }
        let start = word.utf8Start
        var index = 0
        while index + length <= bytes.count {
            if bytes[index] == start[0] {
                var offset = 1
                while offset < length && bytes[index + offset] == start[offset] { offset += 1 }
                if offset == length { return true }
            }
            index += 1
        }
        return false
    }

    private static func parse(
        _ line: Substring, _ number: Int, language: SourceLanguage, inGoBlock: inout Bool, _ result: inout [ImportReference]
    ) {
        switch language {
        case .swift: swiftImport(line, number, &result)
        case .python: pythonImport(line, number, &result)
        case .javascript, .typescript: scriptImports(line, number, &result)
        case .go: goImport(line, number, inBlock: &inGoBlock, &result)
        case .rust: rustImport(line, number, &result)
        case .c, .cpp, .objectiveC: includeDirective(line, number, &result)
        case .java, .kotlin: jvmImport(line, number, &result)
        case .ruby: rubyRequire(line, number, &result)
        default: break
        }
    }

    private static func words(_ line: Substring) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    private static let swiftImportKinds: Set<Substring> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias", "actor"]

    private static func swiftImport(_ line: Substring, _ number: Int, _ result: inout [ImportReference]) {
        var tokens = words(line)[...]
        while let first = tokens.first, first.hasPrefix("@") { tokens = tokens.dropFirst() }
        guard tokens.first == "import" else { return }
        tokens = tokens.dropFirst()
        if let kind = tokens.first, swiftImportKinds.contains(kind) { tokens = tokens.dropFirst() }
        guard let module = tokens.first?.split(separator: ".").first else { return }
        result.append(ImportReference(kind: .swiftModule, target: String(module), line: number))
    }

    private static func pythonImport(_ line: Substring, _ number: Int, _ result: inout [ImportReference]) {
        if line.hasPrefix("import ") {
            for part in line.dropFirst(7).split(separator: ",") {
                guard let module = words(part).first else { continue }
                result.append(ImportReference(kind: .python(level: 0, names: []), target: String(module), line: number))
            }
        } else if line.hasPrefix("from ") {
            let tokens = words(line)
            guard tokens.count >= 3, tokens[2] == "import" else { return }
            let source = tokens[1]
            let level = source.prefix { $0 == "." }.count
            let module = source.dropFirst(level)
            let names = tokens[3...].joined(separator: " ")
                .split(whereSeparator: { $0 == "," || $0 == "(" || $0 == ")" })
                .compactMap { words($0).first.map(String.init) }
                .filter { $0 != "*" && $0 != "\\" }
            result.append(ImportReference(kind: .python(level: level, names: names), target: String(module), line: number))
        }
    }

    /// `from '…'`, `import '…'`, `require('…')`, `import('…')` anywhere on the line; relative specifiers only.
    private static func scriptImports(_ line: Substring, _ number: Int, _ result: inout [ImportReference]) {
        for marker in ["from ", "import ", "require(", "import(", "from\t"] {
            var searchStart = line.startIndex
            while let range = line.range(of: marker, range: searchStart..<line.endIndex) {
                searchStart = range.upperBound
                let rest = line[range.upperBound...].drop { $0 == " " }
                guard let quote = rest.first, quote == "'" || quote == "\"" || quote == "`" else { continue }
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: quote) else { continue }
                let specifier = String(body[..<close])
                if specifier.hasPrefix("./") || specifier.hasPrefix("../") || specifier == "." || specifier == ".." {
                    result.append(ImportReference(kind: .relativePath, target: specifier, line: number))
                }
            }
        }
    }

    private static func goImport(_ line: Substring, _ number: Int, inBlock: inout Bool, _ result: inout [ImportReference]) {
        if inBlock {
            if line.hasPrefix(")") {
                inBlock = false
                return
            }
            if let path = quoted(line) { result.append(ImportReference(kind: .goPackage, target: path, line: number)) }
            return
        }
        guard line.hasPrefix("import") else { return }
        let rest = line.dropFirst(6).drop { $0 == " " || $0 == "\t" }
        if rest.hasPrefix("(") {
            inBlock = true
            if let path = quoted(rest) { result.append(ImportReference(kind: .goPackage, target: path, line: number)) }
        } else if let path = quoted(rest) {
            result.append(ImportReference(kind: .goPackage, target: path, line: number))
        }
    }

    private static func quoted(_ text: Substring) -> String? {
        guard let open = text.firstIndex(of: "\"") else { return nil }
        let body = text[text.index(after: open)...]
        guard let close = body.firstIndex(of: "\"") else { return nil }
        return String(body[..<close])
    }

    private static func rustImport(_ line: Substring, _ number: Int, _ result: inout [ImportReference]) {
        var tokens = words(line)[...]
        if let first = tokens.first, first == "pub" || first.hasPrefix("pub(") { tokens = tokens.dropFirst() }
        guard let keyword = tokens.first, tokens.count >= 2 else { return }
        let argument = tokens[tokens.index(after: tokens.startIndex)]
        if keyword == "mod", argument.hasSuffix(";") {
            result.append(ImportReference(kind: .rustModule, target: String(argument.dropLast()), line: number))
        } else if keyword == "use" {
            let path = argument.prefix { $0 != ";" && $0 != "{" }
            guard path.hasPrefix("crate::") || path.hasPrefix("super::") || path.hasPrefix("self::") else { return }
            let trimmed = path.hasSuffix("::") ? path.dropLast(2) : path
            result.append(ImportReference(kind: .rustUse, target: String(trimmed), line: number))
        }
    }

    private static func includeDirective(_ line: Substring, _ number: Int, _ result: inout [ImportReference]) {
        guard line.hasPrefix("#") else { return }
        let directive = line.dropFirst().drop { $0 == " " }
        guard directive.hasPrefix("include") || directive.hasPrefix("import") else { return }
        if let path = quoted(directive) { result.append(ImportReference(kind: .include, target: path, line: number)) }
    }

    private static func jvmImport(_ line: Substring, _ number: Int, _ result: inout [ImportReference]) {
        var tokens = words(line)[...]
        guard tokens.first == "import" else { return }
        tokens = tokens.dropFirst()
        if tokens.first == "static" { tokens = tokens.dropFirst() }
        guard var target = tokens.first else { return }
        while target.hasSuffix(";") { target = target.dropLast() }
        let isWildcard = target.hasSuffix(".*")
        let name = String(isWildcard ? target.dropLast(2) : target)
        result.append(ImportReference(kind: .jvm(isWildcard: isWildcard), target: name, line: number))
    }

    private static func rubyRequire(_ line: Substring, _ number: Int, _ result: inout [ImportReference]) {
        guard line.hasPrefix("require_relative") else { return }
        let rest = line.dropFirst("require_relative".count)
        let quote: Character = rest.contains("'") ? "'" : "\""
        guard let open = rest.firstIndex(of: quote) else { return }
        let body = rest[rest.index(after: open)...]
        guard let close = body.firstIndex(of: quote) else { return }
        var path = String(body[..<close])
        if !path.hasPrefix(".") { path = "./" + path }
        result.append(ImportReference(kind: .relativePath, target: path.hasSuffix(".rb") ? path : path + ".rb", line: number))
    }
}
