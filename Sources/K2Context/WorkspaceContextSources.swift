// The workspace's part of a bundle: imported files, open and recently edited files, definitions, notes, repo map.
import K2Workspace

extension ContextAssembly {
    // MARK: - Imports

    /// Resolves the current document's imports to files (the repo map's outline needs them before they are read).
    mutating func resolveImports() {
        guard let (_, lines) = current, let documentKey else { return }
        let resolver = ImportResolver(snapshot: snapshot, current: documentKey)
        var seenTargets: Set<String> = []
        var documentIdentifiers: Set<UInt64>?
        for reference in ImportScanner.imports(in: lines.text, language: documentLanguage) {
            guard seenTargets.insert(reference.target + "\u{0}" + String(describing: reference.kind)).inserted else { continue }
            var resolved = resolver.resolve(reference)
            if resolved.files.isEmpty {
                if let (key, reason) = resolved.excluded {
                    skip(.importedFile, key: key, reason)
                } else if resolved.looksLocal {
                    skip(.importedFile, key: nil, path: reference.target, .unresolvedImport(target: reference.target))
                }
                continue
            }
            if resolved.isDirectory && resolved.files.count > options.maxFilesPerImport {
                // Prefer the files that declare names the current document uses; stable as the cursor moves.
                if documentIdentifiers == nil {
                    documentIdentifiers = Set(IdentifierScanner.identifiers(in: lines.text, nearestTo: 0).map(NameHash.of))
                }
                let used = documentIdentifiers ?? []
                let scored = resolved.files.map { key in (key, snapshot.symbols.nameHashes(in: key).count { used.contains($0) }) }
                resolved.files = scored.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.map(\.0)
                let left = resolved.files.count - options.maxFilesPerImport
                resolved.files = Array(resolved.files.prefix(options.maxFilesPerImport))
                skip(.importedFile, key: nil, path: "\(reference.target) (\(left) more files)", .limitReached(limit: options.maxFilesPerImport))
            }
            resolvedImports.append(resolved)
        }
    }

    /// Reads the resolved imports, in the order of the import statements.
    mutating func addImports() {
        var added = 0
        for resolved in resolvedImports {
            let reference = resolved.reference
            let statement = "imported by the current file (line \(reference.line + 1): `\(reference.target)`)"
            for key in resolved.files where !includedFiles.contains(key) {
                addCounted(.importedFile, key: key, reason: statement, limit: options.maxImportedFiles, added: &added)
            }
        }
    }

    /// Reads a file and adds it whole or cut, unless `limit` files of this kind are in already; counts what it adds.
    private mutating func addCounted(_ kind: ContextSource, key: FileKey, reason: String, limit: Int, added: inout Int) {
        guard added < limit else {
            skip(kind, key: key, .limitReached(limit: limit))
            return
        }
        switch source.text(of: key) {
        case .failure(let refusal):
            skip(kind, key: key, ContextSkipReason(refusal))
        case .success(let text):
            if addFile(kind, key: key, file: text, reason: reason, cap: options.maxTokensPerFile) != nil { added += 1 }
        }
    }

    // MARK: - Open and recently edited files

    /// Why a file other than the current one may not be used; nil when it may.
    func exclusion(_ key: FileKey) -> ContextSkipReason? {
        if snapshot.progress.isListingComplete && snapshot.file(key) != nil { return nil }
        return snapshot.exclusionReason(key)
    }

    mutating func addOpenDocuments() {
        let recency = Dictionary(request.recentlyEdited.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let candidates = request.openDocuments
            .filter { $0.uri != request.document.uri }
            .sorted { (recency[$0.uri] ?? Int.max, $0.uri) < (recency[$1.uri] ?? Int.max, $1.uri) }
        var added = 0
        for document in candidates {
            guard let path = document.filePath, let key = snapshot.location(ofPath: path) else {
                skip(.openDocument, key: nil, path: document.uri, .outsideWorkspace)
                continue
            }
            if includedFiles.contains(key) { continue }
            if let reason = exclusion(key) {
                skip(.openDocument, key: key, reason)
                continue
            }
            let reason = recency[document.uri] != nil ? "open in the editor, edited recently" : "open in the editor"
            addCounted(.openDocument, key: key, reason: reason, limit: options.maxOpenDocuments, added: &added)
        }
    }

    mutating func addRecentlyEdited() {
        let open = Set(request.openDocuments.map(\.uri))
        var added = 0
        for uri in request.recentlyEdited where uri != request.document.uri && !open.contains(uri) {
            guard let path = FileURI.path(fromURI: uri), let key = snapshot.location(ofPath: path) else { continue }
            if includedFiles.contains(key) { continue }
            if let reason = exclusion(key) {
                skip(.recentlyEdited, key: key, reason)
                continue
            }
            guard added < options.maxRecentlyEdited else { break }
            let reason = "edited in this session, now closed (read from disk)"
            addCounted(.recentlyEdited, key: key, reason: reason, limit: options.maxRecentlyEdited, added: &added)
        }
    }

    // MARK: - Definitions

    mutating func addSymbolDefinitions() {
        var added = 0
        var linesByFile: [FileKey: TextLines] = [:]
        var declarationsByFile: [FileKey: [Declaration]] = [:]
        var taken: [FileKey: [Range<Int>]] = [:]
        for name in nearbyIdentifiers.prefix(64) where added < options.maxSymbolDefinitions {
            let locations = snapshot.definitions(of: name).filter { $0.file != documentKey && snapshot.file($0.file) != nil }
            if locations.isEmpty { continue }
            if locations.count > options.maxDefinitionsPerName {
                skip(.symbolDefinition, key: nil, path: name, .ambiguousSymbol(name: name, definitions: locations.count))
                continue
            }
            for location in locations where added < options.maxSymbolDefinitions && !includedFiles.contains(location.file) {
                let key = location.file
                guard case .success(let file) = source.text(of: key) else { continue }
                let language = SourceLanguage(path: key.relativePath)
                let lines = linesByFile[key] ?? TextLines(file.unredactedText)
                linesByFile[key] = lines
                // The index says where the name was declared; an edited buffer may have moved it, then search.
                var found = DeclarationScanner.declaration(onLine: location.line, of: lines, language: language)
                if found?.name != name {
                    let declarations = declarationsByFile[key] ?? DeclarationScanner.declarations(in: lines.text, language: language)
                    declarationsByFile[key] = declarations
                    found = declarations.filter { $0.name == name && $0.kind != .extension }
                        .min { abs($0.line - location.line) < abs($1.line - location.line) }
                }
                guard let declaration = found, declaration.kind != .extension else { continue }
                let range = DeclarationExtent.lines(
                    of: declaration, in: lines, language: language, maxLines: options.maxDefinitionLines
                ).clamped(to: 0..<max(1, lines.lineCount))
                if taken[key, default: []].contains(where: { $0.overlaps(range) }) { continue }
                let reason = "defines `\(name)`, used near the cursor"
                if addFile(.symbolDefinition, key: key, file: file, reason: reason, symbol: name, lines: lines, within: range,
                    cap: options.maxTokensPerFile) != nil
                {
                    taken[key, default: []].append(range)
                    added += 1
                }
            }
        }
    }

    // MARK: - Project notes and the repo map

    static let noteFileNames = ["AGENTS.md"]
    static let readmeFileNames = ["README.md", "README", "README.rst", "README.txt", "Readme.md", "readme.md"]

    /// AGENTS.md and a README of the current root, each whole and only when short, within `limit` tokens.
    mutating func addProjectNotes(limit: Int) {
        let root = documentKey?.root ?? 0
        var used = 0
        guard root < snapshot.roots.count else { return }
        let readme = Self.readmeFileNames.first { snapshot.file(FileKey(root: root, relativePath: $0)) != nil }
        for name in Self.noteFileNames + (readme.map { [$0] } ?? []) {
            let key = FileKey(root: root, relativePath: name)
            guard snapshot.file(key) != nil else { continue }
            switch source.text(of: key) {
            case .failure(let refusal):
                skip(.projectNotes, key: key, ContextSkipReason(refusal))
            case .success(let file):
                let redaction = file.redactedWhole()
                let item = makeItem(
                    .projectNotes, key: key, path: snapshot.displayPath(key), lineRange: TextLines(redaction.text).allLines,
                    language: SourceLanguage(path: name), reason: "project notes, short enough to include whole",
                    text: redaction.text, truncated: false, redactedLineCount: redaction.redactedLines.count)
                if item.tokens > options.projectNotesMaxTokens {
                    skip(.projectNotes, key: key, .tooLongForNotes(tokens: item.tokens, limit: options.projectNotesMaxTokens), tokens: item.tokens)
                } else if item.tokens > min(remaining, limit - used) {
                    let available = max(0, min(remaining, limit - used))
                    skip(.projectNotes, key: key, .overBudget(needed: item.tokens, available: available), tokens: item.tokens)
                } else {
                    append(item, key: key)
                    used += item.tokens
                }
            }
        }
    }

    /// The file tree and the outline of related files, within `limit` tokens.
    mutating func addRepoMap(limit: Int) {
        let mapBudget = min(options.repoMapMaxTokens, remaining, limit)
        guard snapshot.fileCount > 0 else { return }
        guard mapBudget >= Self.minimumItemTokens * 2 else {
            skip(.repoMap, key: nil, path: "file tree", .overBudget(needed: Self.minimumItemTokens * 2, available: max(0, remaining)))
            return
        }
        let headingBytes = 96
        let treeBytes = rates.byteCount(forTokens: mapBudget / 2) - headingBytes
        let tree = RepoMap.tree(snapshot, maxBytes: max(0, treeBytes))
        if !tree.text.isEmpty {
            let shown = tree.listedFiles == tree.totalFiles ? "all \(tree.totalFiles) files" : "\(tree.listedFiles) of \(tree.totalFiles) files named, the rest counted per folder"
            let item = makeItem(
                .repoMap, key: nil, path: "file tree", lineRange: 0..<0, language: .other,
                reason: "the workspace's files (\(shown))", text: tree.text, truncated: tree.listedFiles < tree.totalFiles)
            if item.tokens <= remaining { append(item, key: nil) }
        }
        addOutline(budget: min(remaining, mapBudget - (items[.repoMap]?.first?.tokens ?? 0)))
    }

    /// Declarations of the files related to the current one (its imports, its folder, the open files): stable as the
    /// cursor moves, so it belongs to the cacheable prefix.
    private mutating func addOutline(budget: Int) {
        guard budget >= Self.minimumItemTokens else { return }
        var related: [FileKey] = []
        var seen: Set<FileKey> = documentKey.map { [$0] } ?? []
        for resolved in resolvedImports {
            for key in resolved.files.prefix(options.maxFilesPerImport) where seen.insert(key).inserted { related.append(key) }
        }
        if let documentKey {
            let directory = RootFiles.split(documentKey.relativePath).directory
            for key in snapshot.filesDirectly(in: directory, root: documentKey.root).prefix(40) where seen.insert(key).inserted {
                related.append(key)
            }
        }
        for document in request.openDocuments {
            if let path = document.filePath, let key = snapshot.location(ofPath: path), snapshot.file(key) != nil,
                seen.insert(key).inserted
            {
                related.append(key)
            }
        }
        guard !related.isEmpty else { return }
        let outline = RepoMap.outline(files: related, source: &source, maxBytes: rates.byteCount(forTokens: budget) - 96)
        guard !outline.text.isEmpty else { return }
        let omitted = outline.omittedFiles > 0 ? ", \(outline.omittedFiles) more left out" : ""
        let item = makeItem(
            .repoMap, key: nil, path: "declarations in related files", lineRange: 0..<0, language: .other,
            reason: "top-level declarations of \(outline.listedFiles) files near the current one\(omitted)",
            text: outline.text, truncated: outline.omittedFiles > 0)
        if item.tokens <= remaining { append(item, key: nil) }
    }
}
