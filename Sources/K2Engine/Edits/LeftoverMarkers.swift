// What must never land in a file from a reply: edit markers, diff lines, think tags, fences and "..." elisions.
import K2Workspace

/// One line an edit would add that is reply format rather than code.
public struct LeftoverLine: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case searchReplaceMarker = "a SEARCH/REPLACE marker"
        case conflictMarker = "a merge-conflict marker"
        case divider = "a ======= divider line"
        case diffHeader = "a diff header"
        case diffLine = "a diff line (a +/- prefix on a line of the file)"
        case thinkTag = "a <think> tag"
        case fence = "a Markdown code fence"
        case elision = "an elision comment standing for unchanged code"
        case fileLabel = "a comment that only names the file (put the path before the code fence instead)"
        case promptMarkup = "prompt markup (a <<SELECTION>> or <<CURSOR>> marker, or a chat turn token)"
        case htmlEscape = "HTML-escaped code (&lt;, &gt;, &amp;, &quot; or &#34; where the code means <, >, & or \")"
    }

    public var kind: Kind
    /// 1-based line in the edited text.
    public var line: Int
    public var text: String

    public var description: String { "line \(line) would be \(kind.rawValue): `\(text.prefix(80))`" }
}

public enum LeftoverMarkers {
    /// Lines that `replacements` (minimal, ascending, against `original`) put into `edited` and that are reply format,
    /// not code: each line they touch, and each line of the text they insert (a replacement inside a line shows its
    /// own lines there, which the edited line would hide). A kind of line the original already has (a test fixture
    /// with conflict markers), and fences and rules in Markdown, are the file's own business and are not reported —
    /// except a structure line twice in a row (a doubled marker) and fences that no longer pair up.
    public static func find(original: String, edited: String, replacements: [TextReplacement], path: String)
        -> [LeftoverLine]
    {
        guard !replacements.isEmpty else { return [] }
        let oldLines = LineSplitter.lines(of: original).map(\.contentString)
        let newLines = LineSplitter.lines(of: edited).map(\.contentString)
        let isProse = isProseFile(path)
        // The kinds the original has, worked out only once a candidate turns up (most edits have none).
        var present: Set<LeftoverLine.Kind>?
        let originalSet = Set(oldLines)
        var found: [LeftoverLine] = []
        func check(_ line: String, number: Int, previous: String?) {
            guard let kind = kind(of: line, originalLines: originalSet, path: path) else { return }
            let doubled = previous == line && kind != .elision && !originalSet.contains(line)
            if present == nil { present = Set(oldLines.compactMap { Self.kind(of: $0, originalLines: [], path: path) }) }
            let isOwnKind = present?.contains(kind) == true || isProse && [.fence, .divider].contains(kind)
            guard doubled || !isOwnKind else { return }
            if !found.contains(where: { $0.line == number && $0.text == line }) {
                found.append(LeftoverLine(kind: kind, line: number, text: line))
            }
        }
        let newIndex = LineIndex(edited)
        var delta = 0
        for replacement in replacements {
            let start = replacement.range.lowerBound + delta
            let end = start + replacement.newText.utf8.count
            delta += replacement.newText.utf8.count - replacement.range.length
            let firstLine = newIndex.line(containing: start)
            let lastLine = min(newIndex.line(containing: end), newLines.count - 1)
            guard firstLine <= lastLine else { continue }
            for index in firstLine...lastLine where !originalSet.contains(newLines[index]) {
                check(newLines[index], number: index + 1, previous: index > 0 ? newLines[index - 1] : nil)
            }
            var previous: String?
            for line in ReplyText.lines(of: replacement.newText) {
                if !originalSet.contains(line) { check(line, number: firstLine + 1, previous: previous) }
                previous = line
            }
        }
        // Fences that pair up before the edit and not after it: a fence line lost or added on the way.
        if let open = FencedBlock.all(in: newLines).first(where: { !$0.isClosed }),
            FencedBlock.all(in: oldLines).allSatisfy(\.isClosed)
        {
            let line = newLines[open.openingLineIndex]
            if !found.contains(where: { $0.text == line }) {
                found.append(LeftoverLine(kind: .fence, line: open.openingLineIndex + 1, text: line))
            }
        }
        return found
    }

    static func kind(of line: String, originalLines: Set<String>, path: String) -> LeftoverLine.Kind? {
        let trimmed = ReplyText.trimmed(line)
        guard let first = trimmed.first else { return nil }
        switch first {
        case "<", "=", ">":
            switch SearchReplaceReply.Marker(line) {
            case .search?, .replace?: return .searchReplaceMarker
            case .divider?: return .divider
            case nil: break
            }
            let run = trimmed.prefix(while: { $0 == first }).count
            if run == 7, first != "=", line.hasPrefix(String(repeating: first, count: 7)) { return .conflictMarker }
            if trimmed == "<think>" || trimmed == "</think>" { return .thinkTag }
        case "`", "~":
            if FencedBlock.isFenceLine(trimmed) { return .fence }
        default:
            break
        }
        if PromptEcho.holdsMarkup(line) { return .promptMarkup }
        if HTMLEscapes.isEscapedCode(trimmed, path: path) { return .htmlEscape }
        if line.hasPrefix("@@ ") && line.dropFirst(3).contains("@@") { return .diffHeader }
        if line.hasPrefix("diff --git ") || line.hasPrefix("+++ b/") || line.hasPrefix("--- a/") { return .diffHeader }
        // A file's own line behind a + or - is a diff line pasted in (a Markdown bullet has a space after its dash).
        if line.hasPrefix("+") || line.hasPrefix("-"), line.count > 3, originalLines.contains(String(line.dropFirst())) {
            return .diffLine
        }
        if Elision.isElision(line, path: path) { return .elision }
        if !originalLines.isEmpty, isFileLabel(trimmed, path: path) { return .fileLabel }
        return nil
    }

    /// `# src/settings.py` or `// main.swift` for the file being edited: the model's label for its code block.
    /// (Only for files that have text: a new file's header comment naming itself is the file's own.)
    private static func isFileLabel(_ trimmed: String, path: String) -> Bool {
        let leaders = ["//", "#", "--", "/*", "<!--", ";"]
        guard let leader = leaders.first(where: trimmed.hasPrefix) else { return false }
        var rest = Substring(trimmed.dropFirst(leader.count))
        for trailer in ["*/", "-->"] where rest.hasSuffix(trailer) { rest = rest.dropLast(trailer.count) }
        guard let named = ReplyPathName.fromLine(String(rest)) else { return false }
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return named.split(separator: "/").last.map(String.init) == base
    }

    /// Markdown and reStructuredText hold fences, rules and underlines of their own.
    static func isProseFile(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return [".md", ".markdown", ".mdx", ".rst", ".adoc", ".org"].contains(where: lowered.hasSuffix)
    }
}

/// Lines that stand for code a model left out: `...`, `// ... existing code ...`, `# rest of the file unchanged`.
public enum Elision {
    private static let commentLeaders = ["//", "#", "--", "/*", "*/", "<!--", "-->", ";", "*"]
    private static let phrases = [
        "existing code", "rest of", "unchanged", "remains the same", "remain the same", "same as before",
        "other code", "other methods", "other fields", "other functions", "omitted", "previous code", "more code",
        "your code", "code here", "remaining", "as before", "existing",
    ]
    private static let codeWords = ["code", "file", "function", "method", "class", "implementation", "body", "lines"]

    /// Whether the line is an elision. A bare `...` is one except in Python, where it is the Ellipsis statement;
    /// `...rest` (a spread) and comments that merely mention the rest of something are not.
    public static func isElision(_ line: String, path: String) -> Bool {
        var text = ReplyText.trimmed(line)
        guard !text.isEmpty, text.count <= 80 else { return false }
        if isDots(text) { return !allowsBareEllipsis(path) }
        var wasComment = false
        var stripped = true
        while stripped {
            stripped = false
            for leader in commentLeaders where text.hasPrefix(leader) {
                text = ReplyText.trimmed(text.dropFirst(leader.count))
                wasComment = true
                stripped = true
            }
            for leader in commentLeaders where text.hasSuffix(leader) && text.count > leader.count {
                text = ReplyText.trimmed(text.dropLast(leader.count))
                stripped = true
            }
        }
        let lowered = text.lowercased()
        let hasPhrase = phrases.contains(where: lowered.contains)
        guard wasComment else {
            return (lowered.hasPrefix("... ") || lowered.hasPrefix("… ")) && hasPhrase
        }
        if lowered.isEmpty { return false }
        if isDots(lowered) { return true }
        let hasDots = lowered.contains("...") || lowered.contains("…")
        if hasDots { return hasPhrase }
        return hasPhrase && lowered.count <= 48 && codeWords.contains(where: lowered.contains)
    }

    /// Whether any line of `text` is an elision. In a search text that matched nothing, a bare `...` is one in
    /// every language: had it been the file's Ellipsis statement, the text would have matched.
    static func containsElision(_ text: String, path: String, inSearchText: Bool = false) -> Bool {
        ReplyText.lines(of: text).contains { line in
            isElision(line, path: path) || inSearchText && isDots(ReplyText.trimmed(line))
        }
    }

    static func isDots(_ text: some StringProtocol) -> Bool {
        text == "..." || text == "…" || text == "...." || text == "(...)" || text == "[...]"
    }

    private static func allowsBareEllipsis(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".py") || lowered.hasSuffix(".pyi") || lowered.hasSuffix(".pyx")
    }
}

/// Code that reached k2lsp HTML-escaped (`result = &#34;0&#34;`, `if n &gt; 1`): a chat template that escapes the
/// prompt teaches the model to escape its answer. An entity inside a string literal (`"&amp;"`) or a comment is the
/// code's own, and so is any in a file of markup, where entities are the language.
enum HTMLEscapes {
    private static let markupExtensions: Set<String> = [
        "html", "htm", "xhtml", "xml", "svg", "xsl", "xslt", "jsx", "tsx", "vue", "svelte", "astro", "php", "erb",
        "ejs", "hbs", "handlebars", "mustache", "jinja", "j2", "twig", "liquid", "cshtml", "razor", "xaml", "plist",
    ]
    private static let commentLeaders = ["//", "/*", "*", "--", ";", "<!--", "# "]
    private static let names: Set<String> = ["lt", "gt", "amp", "quot", "apos", "nbsp"]

    /// Whether a trimmed line of code holds a character reference outside its string literals and comments.
    static func isEscapedCode(_ trimmed: String, path: String) -> Bool {
        guard trimmed.contains("&"), trimmed.contains(";") else { return false }
        let fileExtension = path.split(separator: "/").last?.split(separator: ".").last.map { $0.lowercased() } ?? ""
        if markupExtensions.contains(fileExtension) || LeftoverMarkers.isProseFile(path) { return false }
        if trimmed == "#" || commentLeaders.contains(where: trimmed.hasPrefix) { return false }
        return holdsReference(outsideStrings(trimmed))
    }

    /// The line with the text of its quoted strings ("…", '…', `…`) removed; an unclosed quote ends the code.
    private static func outsideStrings(_ line: String) -> String {
        var code = ""
        var quote: Character?
        var escaped = false
        for character in line {
            if let open = quote {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == open { quote = nil }
                continue
            }
            if character == "\"" || character == "'" || character == "`" {
                quote = character
            } else {
                code.append(character)
            }
        }
        return code
    }

    /// `&lt;`, `&#34;`, `&#x27;` and the like.
    private static func holdsReference(_ code: String) -> Bool {
        let characters = Array(code)
        for (index, character) in characters.enumerated() where character == "&" {
            var end = index + 1
            while end < characters.count, end - index <= 8, characters[end] != ";" { end += 1 }
            guard end < characters.count, characters[end] == ";", end > index + 1 else { continue }
            let name = String(characters[(index + 1)..<end])
            if names.contains(name) { return true }
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                if name.count > 2, name.dropFirst(2).allSatisfy(\.isHexDigit) { return true }
            } else if name.hasPrefix("#"), name.count > 1, name.dropFirst().allSatisfy(\.isNumber) {
                return true
            }
        }
        return false
    }
}
