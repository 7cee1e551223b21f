// One interpreter for every reply shape: it says what the reply is, whatever format was asked for.

/// A tool call as the interpreter needs it.
public struct ReplyToolCall: Sendable, Hashable {
    public var name: String
    public var arguments: String

    public init(name: String, arguments: String) {
        self.name = name
        self.arguments = arguments
    }
}

/// The shapes a reply can have, for messages ("K2 replied with a unified diff …").
public enum ReplyShape: String, Sendable, Hashable {
    case searchReplace = "SEARCH/REPLACE blocks"
    case editFileCalls = "edit_file calls"
    case unifiedDiff = "a unified diff"
    case wholeFiles = "code blocks naming files"
    case codeBlock = "one code block"
    case bareCode = "code without a fence"
}

/// What a reply is, its file names not yet resolved.
public enum InterpretedReply: Sendable, Hashable {
    /// One code block (or bare code) for the selection; `namedPath` is the file the block named, if it named one.
    case selectionReplacement(code: String, namedPath: String?, shape: ReplyShape)
    /// Edits in reply order; an edit without a path is for the request's document.
    case operations([EditOperation], shape: ReplyShape)

    public var shape: ReplyShape {
        switch self {
        case .selectionReplacement(_, _, let shape), .operations(_, let shape): return shape
        }
    }
}

public enum ReplyInterpreter {
    /// Reads a reply. Whatever `format` asked for, SEARCH/REPLACE blocks, a unified diff and `edit_file` calls are
    /// taken for what they are; `format` only decides what a lone code block means: the selection's new text
    /// (`.selection`), or the whole file (`.searchReplace`, checked later against the file). `<think>` sections
    /// are dropped first; a fence left open means the reply was cut off; prose that repeats the prompt
    /// (`PromptEcho`) means the model ran on into a prompt of its own, and its code blocks may belong to that.
    public static func interpret(content: String, toolCalls: [ReplyToolCall], format: EditReplyFormat)
        -> Result<InterpretedReply, ReplyFormatError>
    {
        let lines = ReplyText.removingThinking(ReplyText.lines(of: content))
        var callOperations: [EditOperation] = []
        for call in toolCalls {
            guard call.name == "edit_file" else { return .failure(.unknownTool(call.name)) }
            switch EditFileCall.parse(arguments: call.arguments) {
            case .success(let edit): callOperations.append(.editFile(edit))
            case .failure(let error): return .failure(error)
            }
        }

        if lines.contains(where: { [.search, .replace].contains(SearchReplaceReply.Marker($0)) }) {
            return searchReplace(lines).map { blocks in
                .operations(blocks + callOperations, shape: .searchReplace)
            }
        }
        let fences = FencedBlock.all(in: lines)
        if let open = fences.first(where: { !$0.isClosed }) {
            return .failure(.unterminatedCodeBlock(openingLine: open.openingLineIndex + 1))
        }
        if let echo = promptEcho(in: lines, fences: fences) { return .failure(echo) }
        if UnifiedDiffReply.isPresent(in: lines, fences: fences) {
            return UnifiedDiffReply.parse(ReplyText.joinedAsLines(lines)).map { hunks in
                .operations(hunks.map(EditOperation.diffHunk) + callOperations, shape: .unifiedDiff)
            }
        }
        if !callOperations.isEmpty { return .success(.operations(callOperations, shape: .editFileCalls)) }
        return codeBlocks(lines, fences: fences, format: format)
    }

    /// SEARCH/REPLACE blocks; the rest of the reply must not hold another kind of edit or a cut-off fence.
    private static func searchReplace(_ lines: [String]) -> Result<[EditOperation], ReplyFormatError> {
        let parsed: [(block: SearchReplaceBlock, lines: ClosedRange<Int>)]
        switch SearchReplaceReply.parse(lines: lines) {
        case .success(let blocks): parsed = blocks
        case .failure(let error): return .failure(error)
        }
        // Outside the blocks (whose own lines may hold fences of the file they edit) only prose and fences remain.
        var outside = lines
        for (_, range) in parsed { for index in range { outside[index] = "" } }
        let outsideFences = FencedBlock.all(in: outside)
        if let open = outsideFences.first(where: { !$0.isClosed }) {
            return .failure(.unterminatedCodeBlock(openingLine: open.openingLineIndex + 1))
        }
        if let echo = promptEcho(in: outside, fences: outsideFences) { return .failure(echo) }
        // A marker-like line outside every block is a marker the model mistyped, or one cut off mid-line.
        if let broken = outside.first(where: { $0.hasPrefix("<<<<<") || $0.hasPrefix(">>>>>") }) {
            return .failure(
                .malformedSearchReplaceBlock(number: parsed.count + 1, problem: .unexpectedMarker(String(broken.prefix(40)))))
        }
        if zip(outside, outside.dropFirst()).contains(where: UnifiedDiffReply.isHeaderPair) {
            return .failure(.mixedFormats("SEARCH/REPLACE blocks and a unified diff"))
        }
        return .success(parsed.map { EditOperation.searchReplace($0.block) })
    }

    /// Replies of fenced code blocks (or bare code): the selection's text, a whole file, or files named per block.
    private static func codeBlocks(_ lines: [String], fences: [FencedBlock], format: EditReplyFormat)
        -> Result<InterpretedReply, ReplyFormatError>
    {
        let blocks = fences.filter { !$0.isBlank }
        for block in blocks {
            // A fence line doubled: the model's marker, not the file's first line.
            if let first = block.contentLines.first, ReplyText.trimmed(first) == ReplyText.trimmed(lines[block.openingLineIndex]) {
                return .failure(.doubledFence(line: block.openingLineIndex + 2))
            }
            if UnifiedDiffReply.isDiffFence(block) {
                return .failure(.malformedDiff("The ```\(block.language) block has no @@ hunk or ---/+++ file headers, so it is no diff k2lsp can apply."))
            }
        }
        let named = blocks.map { block in
            ReplyPathName.fromFenceInfo(block.info) ?? pathLine(before: block.openingLineIndex, in: lines)
        }
        if blocks.count > 1 {
            guard named.allSatisfy({ $0 != nil }) else {
                return .failure(format == .selection ? .severalCodeBlocks(count: blocks.count) : .noSearchReplaceBlocks)
            }
            return .success(
                .operations(
                    zip(blocks, named).enumerated().map { offset, pair in
                        .wholeFile(WholeFileBlock(path: pair.1, content: pair.0.content, number: offset + 1))
                    }, shape: .wholeFiles))
        }
        if let block = blocks.first {
            switch format {
            case .selection:
                return .success(.selectionReplacement(code: block.content, namedPath: named[0], shape: .codeBlock))
            case .searchReplace:
                return .success(
                    .operations(
                        [.wholeFile(WholeFileBlock(path: named[0], content: block.content, number: 1))],
                        shape: named[0] == nil ? .codeBlock : .wholeFiles))
            }
        }
        guard format == .selection else { return .failure(.noSearchReplaceBlocks) }
        if !fences.isEmpty {
            return .success(.selectionReplacement(code: "", namedPath: nil, shape: .codeBlock))  // "nothing here"
        }
        guard let code = FencedCodeReply.bareCode(lines) else { return .failure(.noCodeBlock) }
        return .success(.selectionReplacement(code: code, namedPath: nil, shape: .bareCode))
    }

    /// The first line outside the code blocks that repeats the prompt.
    private static func promptEcho(in lines: [String], fences: [FencedBlock]) -> ReplyFormatError? {
        var insideBlock = Set<Int>()
        for block in fences { insideBlock.formUnion(block.openingLineIndex...min(block.closingLineIndex, lines.count - 1)) }
        guard let index = lines.indices.first(where: { !insideBlock.contains($0) && PromptEcho.isEcho(prose: lines[$0]) })
        else { return nil }
        return .promptEcho(line: index + 1, text: ReplyText.trimmed(lines[index]))
    }

    /// A line that is only a file name, just before a fence (a blank line between is allowed).
    private static func pathLine(before fenceLine: Int, in lines: [String]) -> String? {
        var index = fenceLine - 1
        while index >= max(0, fenceLine - 2) {
            let line = lines[index]
            index -= 1
            if ReplyText.isBlank(line) { continue }
            if FencedBlock.isFenceLine(line) { return nil }
            return ReplyPathName.fromLine(line)
        }
        return nil
    }
}
