// The bundle as text: the prompt section the commands send, and the report `k2lsp context` prints.
import Foundation

/// The fixed parts of the rendered prompt. Engines refer to the markers in their instructions.
public enum ContextPromptFormat {
    public static let cursorMarker = "<<CURSOR>>"
    public static let selectionStartMarker = "<<SELECTION>>"
    public static let selectionEndMarker = "<</SELECTION>>"
    /// The title of the context section (a reply that repeats it echoes the prompt).
    public static let title = "Context from the workspace"
    static let preamble = "# \(title)\n\n"

    /// The heading line of an item.
    static func heading(
        source: ContextSource, path: String, lineRange: Range<Int>, symbol: String?, truncated: Bool, hasSelection: Bool
    ) -> String {
        let lines = lineRange.isEmpty ? "" : " (lines \(lineRange.lowerBound + 1)-\(lineRange.upperBound)\(truncated ? ", truncated" : ""))"
        switch source {
        case .projectNotes: return "### Project notes: \(path)\(lines)"
        case .repoMap: return "### Repository map: \(path)"
        case .importedFile: return "### Imported file: \(path)\(lines)"
        case .openDocument: return "### Open file: \(path)\(lines)"
        case .recentlyEdited: return "### Recently edited file: \(path)\(lines)"
        case .symbolDefinition: return "### Definition of `\(symbol ?? "")` in \(path)\(lines)"
        case .currentDocument: return "### Current file: \(path)\(lines)"
        case .cursorRegion:
            let marker = hasSelection
                ? "the selection is between \(selectionStartMarker) and \(selectionEndMarker)"
                : "the cursor is at \(cursorMarker)"
            return "### Where to work: \(path)\(lines); \(marker)"
        }
    }

    /// The length of a code fence longer than any run of backticks in the text, so that the text cannot close it.
    public static func fenceLength(for text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes -> Int in
            guard let base = bytes.baseAddress else { return 3 }
            var longest = 0
            var position = 0
            // Backticks are rare in most code: jump between them with memchr.
            while position < bytes.count, let found = memchr(base + position, 0x60, bytes.count - position) {
                var index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let start = index
                while index < bytes.count && bytes[index] == 0x60 { index += 1 }
                longest = max(longest, index - start)
                position = index
            }
            return max(3, longest + 1)
        }
    }

    /// An item as it appears in the prompt.
    static func render(heading: String, language: SourceLanguage, text: String) -> String {
        let fence = String(repeating: "`", count: fenceLength(for: text))
        let body = text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
        return heading + "\n" + fence + language.fenceName + "\n" + body + fence + "\n\n"
    }

    /// The UTF-8 length of `render(…)`, without building it.
    static func renderedByteCount(heading: String, language: SourceLanguage, text: String) -> Int {
        let fence = fenceLength(for: text)
        let textBytes = text.utf8.count
        let closingNewline = text.isEmpty || text.utf8.last == 0x0A ? 0 : 1
        return heading.utf8.count + 1 + fence + language.fenceName.utf8.count + 1 + textBytes + closingNewline + fence + 2
    }
}

extension ContextItem {
    /// The item as it appears in the prompt: a heading, then the text in a fence.
    public var rendered: String {
        ContextPromptFormat.render(heading: heading, language: language, text: text)
    }

    /// The UTF-8 length of `rendered`, computed without building it.
    var renderedByteCount: Int {
        ContextPromptFormat.renderedByteCount(heading: heading, language: language, text: text)
    }

    var heading: String {
        ContextPromptFormat.heading(
            source: source, path: path, lineRange: lineRange, symbol: symbol, truncated: truncated,
            hasSelection: hasSelection)
    }
}

extension ContextBundle {
    /// The context section of a prompt, deterministic: the same bundle always gives the same bytes, and items keep
    /// their stable-first order so that consecutive prompts share a long prefix.
    public func renderPrompt() -> String {
        var result = ContextPromptFormat.preamble
        for item in items { result += item.rendered }
        return result
    }

    /// A plain-text account of the bundle for `k2lsp context`: each item with its source, lines, tokens and reason,
    /// then what was skipped and why.
    public func renderReport() -> String {
        var lines: [String] = []
        lines.append("Context for \(documentPath):\(cursorLine + 1) (task: \(task.rawValue))")
        var budgetLine = "Budget: \(grouped(budget.budgetTokens)) tokens (window \(grouped(budget.contextWindow))"
        budgetLine += " - reply \(grouped(budget.replyMaxTokens)) - prompt \(grouped(budget.fixedPromptTokens))"
        if let cap = budget.maxContextTokens { budgetLine += ", capped at \(grouped(cap))" }
        budgetLine += "); used \(grouped(usedTokens)) in \(items.count) items"
        lines.append(budgetLine)
        var indexLine = "Index: \(grouped(index.fileCount)) files"
        indexLine += index.isListingComplete ? "" : " (listing in progress)"
        indexLine += index.isSymbolIndexComplete
            ? "; symbols complete (\(grouped(index.symbolFileCount)) files)"
            : "; symbols in progress (\(grouped(index.symbolFileCount)) files so far)"
        lines.append(indexLine)
        lines.append("")
        lines.append("Included, in prompt order:")
        let sourceWidth = ContextSource.allCases.map(\.rawValue.count).max() ?? 0
        for (number, item) in items.enumerated() {
            let range = item.lineRange.isEmpty ? "-" : "\(item.lineRange.lowerBound + 1)-\(item.lineRange.upperBound)"
            var row = pad("\(number + 1).", 4) + pad(item.source.rawValue, sourceWidth + 2)
            row += padLeft(grouped(item.tokens), 8) + " tok  " + pad(range, 12) + item.path
            if item.truncated { row += " (truncated)" }
            if item.redactedLineCount > 0 { row += " (\(item.redactedLineCount) lines redacted)" }
            lines.append(row)
            lines.append("      " + item.reason)
        }
        if items.isEmpty { lines.append("  (nothing)") }
        lines.append("")
        lines.append("Skipped:")
        for entry in skipped {
            var row = "  " + pad(entry.reason.code, 20) + pad(entry.source.rawValue, sourceWidth + 2) + entry.path
            if let tokens = entry.tokens { row += " (\(grouped(tokens)) tok)" }
            lines.append(row)
            lines.append("      " + entry.reason.description)
        }
        if skipped.isEmpty { lines.append("  (nothing)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// 262144 -> "262,144", without locale dependence.
    private func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }
}
