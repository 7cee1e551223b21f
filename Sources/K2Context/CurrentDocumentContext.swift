// The current document's part of a bundle: whether it may be sent, the cursor region, and the document around it.
import K2Workspace

extension ContextAssembly {
    /// Checks the editor buffer (secret, assistant-ignored, binary) and redacts it; without this nothing of the
    /// document, nor anything derived from it, goes into the bundle.
    mutating func prepareCurrentDocument() {
        let document = request.document
        if let documentKey, let rule = snapshot.isExcludedByAssistantRules(documentKey) {
            skip(.currentDocument, key: documentKey, .ignored(rule: rule.description))
            return
        }
        let nameForSecretCheck = documentKey?.relativePath ?? document.filePath ?? document.uri
        switch snapshot.reader.prepare(
            text: document.text, relativePath: nameForSecretCheck, absolutePath: document.filePath, enforceSizeLimit: false) {
        case .failure(let refusal):
            skip(.currentDocument, key: documentKey, path: documentPath, ContextSkipReason(refusal))
        case .success(let file):
            // The whole buffer is redacted once; redaction keeps lines, and an untouched text keeps the editor's index.
            let redaction = file.redactedWhole()
            let untouched = redaction.redactedLines.isEmpty && redaction.text.utf8.count == document.lineIndex.utf8Count
            let lines = untouched ? TextLines(redaction.text, index: document.lineIndex) : TextLines(redaction.text)
            current = (redaction.redactedLines, lines)
            if let documentKey { includedFiles.insert(documentKey) }
        }
    }

    /// The UTF-8 offset in the redacted text for an offset in the editor's text. A boundary on a redacted line
    /// moves to the end of that line, so that no part of a secret is split around a marker.
    private func redactedOffset(_ offset: Int, lines: TextLines, redacted: Set<Int>) -> Int {
        let original = request.document.lineIndex
        let line = original.line(containing: offset)
        if redacted.contains(line) { return lines.contentEndOffset(line) }
        return (line < lines.indexLineCount ? lines.starts[line] : lines.utf8Count) + (offset - original.startOffset(ofLine: line))
    }

    mutating func addCursorRegion() {
        guard let (redactedLines, lines) = current else { return }
        let document = request.document
        let length = document.lineIndex.utf8Count
        let selection = TextRange(min(max(0, request.selection.lowerBound), length), min(max(0, request.selection.upperBound), length))
        let firstLine = document.lineIndex.line(containing: selection.lowerBound)
        let lastLine = selection.isEmpty ? firstLine : document.lineIndex.line(containing: selection.upperBound - 1)
        selectionLines = firstLine..<(max(firstLine, lastLine) + 1)
        let totalLines = lines.indexLineCount
        let redacted = Set(redactedLines)
        let selectionStart = redactedOffset(selection.lowerBound, lines: lines, redacted: redacted)
        let selectionEnd = max(selectionStart, redactedOffset(selection.upperBound, lines: lines, redacted: redacted))
        let documentKey = self.documentKey
        let documentPath = self.documentPath

        func region(contextLines: Int) -> (item: ContextItem, region: CursorRegion) {
            let range = max(0, selectionLines.lowerBound - contextLines)..<min(totalLines, selectionLines.upperBound + contextLines)
            let regionStart = lines.startOffset(range.lowerBound)
            let regionEnd = max(selectionEnd, lines.startOffset(range.upperBound))
            let prefix = lines.text.slice(TextRange(regionStart, selectionStart))
            let selected = lines.text.slice(TextRange(selectionStart, selectionEnd))
            let suffix = lines.text.slice(TextRange(selectionEnd, regionEnd))
            let marked = selection.isEmpty
                ? prefix + ContextPromptFormat.cursorMarker + suffix
                : prefix + ContextPromptFormat.selectionStartMarker + selected + ContextPromptFormat.selectionEndMarker + suffix
            let item = makeItem(
                .cursorRegion, key: documentKey, path: documentPath, lineRange: range, language: documentLanguage,
                reason: selection.isEmpty ? "the lines around the cursor" : "the selection and the lines around it",
                text: marked, truncated: false, redactedLineCount: redacted.count { range.contains($0) },
                hasSelection: !selection.isEmpty)
            let cursorRegion = CursorRegion(
                uri: document.uri, path: documentPath, lineRange: range, selection: selection, prefix: prefix,
                selectedText: selected, suffix: suffix)
            return (item, cursorRegion)
        }

        // The widest region that fits: binary search on the context lines.
        var low = 0
        var high = max(0, options.cursorRegionLines)
        let narrowest = region(contextLines: 0)
        guard narrowest.item.tokens <= remaining else {
            skip(.cursorRegion, key: documentKey, path: documentPath,
                 .selectionTooLarge(tokens: narrowest.item.tokens, available: remaining), tokens: narrowest.item.tokens)
            return
        }
        var best = narrowest
        while low < high {
            let middle = (low + high + 1) / 2
            let candidate = region(contextLines: middle)
            if candidate.item.tokens <= remaining {
                best = candidate
                low = middle
            } else {
                high = middle - 1
            }
        }
        append(best.item, key: nil)
        cursorRegion = best.region
        let identifierWindow = max(0, selectionLines.lowerBound - 15)..<min(totalLines, selectionLines.upperBound + 15)
        let windowStart = lines.startOffset(identifierWindow.lowerBound)
        // Names the current file declares need no definition from elsewhere; the index knows them without a scan.
        let declared = Set(
            documentKey.map { snapshot.symbols.nameHashes(in: $0) }
                ?? DeclarationScanner.declarations(in: lines.text, language: documentLanguage).map { NameHash.of($0.name) })
        nearbyIdentifiers = IdentifierScanner.identifiers(
            in: lines.slice(identifierWindow), nearestTo: selectionStart - windowStart, excludingHashes: declared)
    }

    /// The document around the cursor, whole when it fits in `cap`; the cursor region already holds the nearest lines.
    mutating func addCurrentDocument(cap: Int) {
        guard let (redactedLines, lines) = current, let region = cursorRegion else { return }
        if region.lineRange.lowerBound == 0 && region.lineRange.upperBound >= lines.lineCount { return }
        let key = documentKey ?? FileKey(root: 0, relativePath: documentPath)
        let language = documentLanguage
        let path = documentPath
        let anchor = selectionLines.clamped(to: lines.allLines)
        func item(_ range: Range<Int>) -> ContextItem {
            makeItem(
                .currentDocument, key: key, path: path, lineRange: range, language: language,
                reason: "the file being edited, from the editor's buffer", text: lines.slice(range),
                truncated: range != lines.allLines, redactedLineCount: redactedLines.count { range.contains($0) })
        }
        let whole = item(lines.allLines)
        let available = min(cap, remaining)
        if whole.tokens <= available {
            append(whole, key: nil)
            return
        }
        let overheadBytes = whole.renderedByteCount - lines.byteCount(lines.allLines)
        var maxBytes = rates.byteCount(forTokens: available, kind: language.textKind) - overheadBytes
        while maxBytes > 0, available >= Self.minimumItemTokens,
            let window = lines.window(around: anchor.isEmpty ? 0..<min(1, lines.lineCount) : anchor, maxBytes: maxBytes)
        {
            let candidate = item(window)
            if candidate.tokens <= available {
                append(candidate, key: nil)
                return
            }
            maxBytes -= max(1, (candidate.tokens - available) * Int(rates.codeCharactersPerToken))
        }
        skip(.currentDocument, key: documentKey, path: documentPath, .overBudget(needed: whole.tokens, available: available), tokens: whole.tokens)
    }

    /// Gives what the other sources left to the current document, when it was cut.
    mutating func expandCurrentDocument() {
        guard let existing = items[.currentDocument]?.first, existing.truncated, remaining > 0 else { return }
        items[.currentDocument] = nil
        remaining += existing.tokens
        let skippedBefore = skipped.count
        addCurrentDocument(cap: remaining)
        if items[.currentDocument] == nil {
            skipped.removeLast(skipped.count - skippedBefore)
            append(existing, key: nil)
        }
    }
}
