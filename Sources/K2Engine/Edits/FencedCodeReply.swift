// A reply that replaces a selection: one fenced code block, and the rule for its trailing newline.
import K2Workspace

public enum FencedCodeReply {
    /// The code of the reply's single fenced block (each line ended by `\n`). Prose around the block is ignored;
    /// empty blocks next to the real one are ignored. A reply without any fence is accepted as bare code only when
    /// it is one line that does not read like prose ("Here is the code:", "This adds a check."): in a reply of
    /// several lines without a fence, where code starts and prose ends is a guess (numbered steps and `#` notes
    /// read like code), and a wrong guess puts words into the user's file, so it is an error.
    public static func parse(_ reply: String) -> Result<String, ReplyFormatError> {
        let lines = ReplyText.lines(of: reply)
        let blocks = FencedBlock.all(in: lines)
        if let open = blocks.first(where: { !$0.isClosed }) {
            return .failure(.unterminatedCodeBlock(openingLine: open.openingLineIndex + 1))
        }
        let nonBlankBlocks = blocks.filter { !$0.isBlank }
        if nonBlankBlocks.count > 1 { return .failure(.severalCodeBlocks(count: nonBlankBlocks.count)) }
        if let block = nonBlankBlocks.first { return .success(block.content) }
        if !blocks.isEmpty { return .success("") }  // Only empty blocks: the model means "nothing here".
        return bareCode(lines).map(Result.success) ?? .failure(.noCodeBlock)
    }

    static func bareCode(_ lines: [String]) -> String? {
        guard let first = lines.firstIndex(where: { !ReplyText.isBlank($0) }),
            let last = lines.lastIndex(where: { !ReplyText.isBlank($0) })
        else { return nil }
        guard first == last, !ProseLines.isRemark(lines[first]) else { return nil }
        return ReplyText.joinedAsLines(lines[first...last])
    }

    /// The text to put in place of `selection`. The block's final newline is kept only when the selection ends where
    /// a line starts (a whole-line selection, which took its line break with it, or an empty selection at a line
    /// start, which inserts whole lines); a selection that ends inside a line, or before a line break, or at the end
    /// of a text without a final newline, gets the code without it. Line breaks follow the text's dominant ending.
    public static func replacement(forSelection selection: TextRange, in text: String, code: String) -> String {
        let lineIndex = LineIndex(text)
        let end = max(0, min(selection.upperBound, lineIndex.utf8Count))
        let endsAtLineStart = lineIndex.startOffset(ofLine: lineIndex.line(containing: end)) == end
        var code = code
        if !endsAtLineStart {
            if code.hasSuffix("\r\n") {
                code.removeLast(1)  // "\r\n" is one Character.
            } else if code.hasSuffix("\n") || code.hasSuffix("\r") {
                code.removeLast()
            }
        }
        let ending = LineEnding.dominant(in: text)
        return ending == .lf ? code : LineBreaks.converting(code, to: ending)
    }
}

enum LineBreaks {
    /// `text` with every line break replaced by `ending`.
    static func converting(_ text: String, to ending: LineEnding) -> String {
        var bytes: [UInt8] = []
        for line in LineSplitter.lines(of: text) {
            bytes.append(contentsOf: line.content)
            if line.ending != nil { bytes.append(contentsOf: ending.bytes) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
