// The context builder: gathers sources by priority within the token budget, then orders them stable-first.
import K2Workspace

/// Turns a request into a `ContextBundle`. Budget is spent in priority order (cursor region, current document,
/// imports, open and recently edited files, definitions of names near the cursor, project notes, repo map); the
/// bundle is then ordered for the prompt with what changes least first.
public struct ContextBuilder: Sendable {
    public let index: WorkspaceIndex
    public let estimator: TokenEstimator

    public init(index: WorkspaceIndex, estimator: TokenEstimator = TokenEstimator()) {
        self.index = index
        self.estimator = estimator
    }

    /// Builds the bundle; does not wait for indexing (a partial index gives a smaller bundle). Throws only
    /// `CancellationError`, checked between stages.
    public func build(_ request: ContextRequest) async throws -> ContextBundle {
        let snapshot = await index.snapshot()
        try Task.checkCancellation()
        var assembly = ContextAssembly(request: request, snapshot: snapshot, rates: estimator.rates)
        return try assembly.build()
    }
}

/// The state of one build.
struct ContextAssembly {
    /// Below this many tokens an item is not worth its heading.
    static let minimumItemTokens = 32

    let request: ContextRequest
    let options: ContextOptions
    let snapshot: WorkspaceSnapshot
    let rates: TokenRates
    var source: ContextTextSource
    var remaining: Int
    var items: [ContextSource: [ContextItem]] = [:]
    var skipped: [SkippedContext] = []
    /// Files already in the bundle whole or in part; no second source adds them.
    var includedFiles: Set<FileKey> = []

    let documentKey: FileKey?
    let documentPath: String
    let documentLanguage: SourceLanguage
    /// The current document, redacted, with its lines; nil when it may not be sent.
    var current: (redactedLines: [Int], lines: TextLines)?
    var selectionLines: Range<Int> = 0..<1
    var cursorRegion: CursorRegion?
    /// Identifiers near the cursor, nearest first, minus those the current document declares.
    var nearbyIdentifiers: [String] = []
    var resolvedImports: [ResolvedImport] = []

    init(request: ContextRequest, snapshot: WorkspaceSnapshot, rates: TokenRates) {
        self.request = request
        self.options = request.options
        self.snapshot = snapshot
        self.rates = rates
        self.source = ContextTextSource(snapshot: snapshot, openDocuments: request.openDocuments + [request.document])
        self.remaining = request.options.budgetTokens
        let path = request.document.filePath
        let key = path.flatMap { snapshot.location(ofPath: $0) }
        self.documentKey = key
        self.documentPath = key.map { snapshot.displayPath($0) } ?? path ?? request.document.uri
        self.documentLanguage = SourceLanguage(languageID: request.document.languageID, path: path)
    }

    mutating func build() throws -> ContextBundle {
        prepareCurrentDocument()
        resolveImports()
        try Task.checkCancellation()
        // The parts that change least get a share fixed by the budget alone, so that they come out byte-identical
        // from one request to the next (providers cache that prefix); everything else is spent by priority.
        let stableShare = min(options.projectNotesMaxTokens + options.repoMapMaxTokens, options.budgetTokens / 10)
        addProjectNotes(limit: stableShare)
        addRepoMap(limit: stableShare - (items[.projectNotes] ?? []).reduce(0) { $0 + $1.tokens })
        try Task.checkCancellation()
        guard current != nil else { return assemble() }
        addCursorRegion()
        addCurrentDocument(cap: remaining / 2)
        addImports()
        try Task.checkCancellation()
        addOpenDocuments()
        addRecentlyEdited()
        try Task.checkCancellation()
        addSymbolDefinitions()
        expandCurrentDocument()
        return assemble()
    }

    // MARK: - Items and budget

    func uri(_ key: FileKey?) -> String? {
        guard let key else { return nil }
        if let buffer = source.buffer(key) { return buffer.uri }
        return snapshot.uri(key)
    }

    func makeItem(
        _ kind: ContextSource, key: FileKey?, path: String, lineRange: Range<Int>, language: SourceLanguage,
        symbol: String? = nil, reason: String, text: String, truncated: Bool, redactedLineCount: Int = 0,
        hasSelection: Bool = false
    ) -> ContextItem {
        let draft = ContextItem(
            source: kind, path: path, uri: kind == .cursorRegion || kind == .currentDocument ? request.document.uri : uri(key),
            lineRange: lineRange, language: language, symbol: symbol, reason: reason, text: text, tokens: 0,
            truncated: truncated, redactedLineCount: redactedLineCount, hasSelection: hasSelection)
        let tokens = rates.estimate(byteCount: draft.renderedByteCount, kind: language.textKind)
        return ContextItem(
            source: draft.source, path: draft.path, uri: draft.uri, lineRange: lineRange, language: language, symbol: symbol,
            reason: reason, text: text, tokens: tokens, truncated: truncated, redactedLineCount: redactedLineCount,
            hasSelection: hasSelection)
    }

    mutating func append(_ item: ContextItem, key: FileKey?) {
        items[item.source, default: []].append(item)
        remaining -= item.tokens
        if let key, item.source != .symbolDefinition { includedFiles.insert(key) }
    }

    mutating func skip(_ kind: ContextSource, key: FileKey?, path: String? = nil, _ reason: ContextSkipReason, tokens: Int? = nil) {
        let shownPath = path ?? key.map { snapshot.displayPath($0) } ?? ""
        skipped.append(SkippedContext(source: kind, path: shownPath, uri: uri(key), reason: reason, tokens: tokens))
    }

    /// Adds lines of a file, whole when they fit in `cap` and the budget, otherwise cut at line boundaries (around
    /// `anchor` when given, else from the top). Records a skip when not even a few lines fit.
    @discardableResult
    mutating func addFile(
        _ kind: ContextSource, key: FileKey, file: FileText, reason: String, symbol: String? = nil,
        lines givenLines: TextLines? = nil, within range: Range<Int>? = nil, anchor: Range<Int>? = nil, cap: Int
    ) -> ContextItem? {
        let language = SourceLanguage(path: key.relativePath)
        let path = snapshot.displayPath(key)
        let available = min(cap, remaining)
        // A whole file needs no line starts: most imported files fit and go in as they are.
        if givenLines == nil && range == nil {
            let redaction = file.redactedWhole()
            let endsWithBreak = redaction.text.utf8.last == 0x0A || redaction.text.utf8.last == 0x0D
            let lineCount = redaction.text.isEmpty ? 0 : redaction.lineCount - (endsWithBreak ? 1 : 0)
            let whole = makeItem(
                kind, key: key, path: path, lineRange: 0..<lineCount, language: language, symbol: symbol, reason: reason,
                text: redaction.text, truncated: false, redactedLineCount: redaction.redactedLines.count)
            if whole.tokens <= available {
                append(whole, key: key)
                return whole
            }
        }
        let lines = givenLines ?? TextLines(file.unredactedText)
        let bounds = range ?? lines.allLines
        // Only the lines that are sent are redacted: scanning what is not sent would cost more than reading it.
        func item(_ chosen: Range<Int>) -> ContextItem {
            let redaction = file.redacted(lines.byteRange(chosen))
            return makeItem(
                kind, key: key, path: path, lineRange: chosen, language: language, symbol: symbol, reason: reason,
                text: redaction.text, truncated: chosen != bounds, redactedLineCount: redaction.redactedLines.count)
        }
        let whole = item(bounds)
        if whole.tokens <= available {
            append(whole, key: key)
            return whole
        }
        let overheadBytes = whole.renderedByteCount - lines.byteCount(bounds)
        let maxBytes = rates.byteCount(forTokens: available, kind: language.textKind) - overheadBytes
        guard available >= Self.minimumItemTokens, maxBytes > 0 else {
            skip(kind, key: key, .overBudget(needed: whole.tokens, available: max(0, available)), tokens: whole.tokens)
            return nil
        }
        var chosen = anchor.flatMap { lines.window(around: $0, within: bounds, maxBytes: maxBytes) }
            ?? lines.prefix(from: bounds.lowerBound, maxBytes: maxBytes)
        while !chosen.isEmpty {
            let candidate = item(chosen)
            if candidate.tokens <= available {
                append(candidate, key: key)
                return candidate
            }
            chosen = chosen.lowerBound..<(chosen.upperBound - 1)
        }
        skip(kind, key: key, .overBudget(needed: whole.tokens, available: available), tokens: whole.tokens)
        return nil
    }

    // MARK: - The bundle

    func assemble() -> ContextBundle {
        var ordered: [ContextItem] = []
        for kind in ContextSource.allCases.sorted(by: { $0.promptRank < $1.promptRank }) {
            var group = items[kind] ?? []
            switch kind {
            case .openDocument, .recentlyEdited:
                group.sort { $0.path < $1.path }
            case .symbolDefinition:
                group.sort { ($0.path, $0.lineRange.lowerBound) < ($1.path, $1.lineRange.lowerBound) }
            default:
                break
            }
            ordered += group
        }
        let cursorLine = request.document.lineIndex.line(containing: request.selection.lowerBound)
        return ContextBundle(
            task: request.task, documentURI: request.document.uri, documentPath: documentPath, cursorLine: cursorLine,
            items: ordered, skipped: skipped, budget: ContextBudget(options),
            usedTokens: ordered.reduce(0) { $0 + $1.tokens }, cursorRegion: cursorRegion, index: snapshot.progress)
    }
}
