// The bundle as text: the prompt section the commands send, and the report `k2lsp context` prints.

/// The fixed parts of the rendered prompt. Engines refer to the markers in their instructions.
public enum ContextPromptFormat {
    public static let cursorMarker = "<<CURSOR>>"
    public static let selectionStartMarker = "<<SELECTION>>"
    public static let selectionEndMarker = "<</SELECTION>>"
    static let preamble = "# Context from the workspace\n\n"

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

    /// A code fence longer than any run of backticks in the text, so that the text cannot close it.
    static func fence(for text: String) -> String {
        var longest = 0
        var current = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "`") {
                current += 1
                longest = max(longest, current)
            } else {
                current = 0
            }
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// An item as it appears in the prompt.
    static func render(heading: String, language: SourceLanguage, text: String) -> String {
        let fence = fence(for: text)
        let body = text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
        return heading + "\n" + fence + language.fenceName + "\n" + body + fence + "\n\n"
    }
}

extension ContextItem {
    /// The item as it appears in the prompt: a heading, then the text in a fence.
    public var rendered: String {
        let hasSelection = source == .cursorRegion && text.contains(ContextPromptFormat.selectionStartMarker)
        let heading = ContextPromptFormat.heading(
            source: source, path: path, lineRange: lineRange, symbol: symbol, truncated: truncated,
            hasSelection: hasSelection)
        return ContextPromptFormat.render(heading: heading, language: language, text: text)
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
