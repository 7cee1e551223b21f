// Reading a model's reply as text: its lines, its Markdown fenced blocks, and lines that read like prose.

enum ReplyText {
    /// Lines split at `\n` with a trailing `\r` removed; splitting a `String` by `Character` would not split
    /// "\r\n", which Swift treats as one character.
    static func lines(of text: String) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            if byte == 0x0A {
                if current.last == 0x0D { current.removeLast() }
                lines.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        if current.last == 0x0D { current.removeLast() }
        lines.append(String(decoding: current, as: UTF8.self))
        return lines
    }

    /// The reply's lines without `<think>…</think>` (or `<thinking>…</thinking>`) sections, which are reasoning
    /// and never code. Tags count at the start of a line; a closing tag with no opening one ends reasoning that
    /// began with the reply. The provider strips these from streams already; this catches what slips through.
    static func removingThinking(_ lines: [String]) -> [String] {
        let tags = [("<think>", "</think>"), ("<thinking>", "</thinking>")]
        var kept: [String] = []
        var closing: String?
        for line in lines {
            let lineText = Self.trimmed(line)
            if let close = closing {
                if let end = line.range(of: close) {
                    closing = nil
                    let rest = String(line[end.upperBound...])
                    if !isBlank(rest) { kept.append(rest) }
                }
                continue
            }
            if let (open, close) = tags.first(where: { lineText.hasPrefix($0.0) }) {
                let afterOpen = lineText.dropFirst(open.count)
                if let end = afterOpen.range(of: close) {
                    let rest = String(afterOpen[end.upperBound...])
                    if !isBlank(rest) { kept.append(rest) }
                } else {
                    closing = close
                }
                continue
            }
            if let (_, close) = tags.first(where: { lineText.hasPrefix($0.1) }) {
                kept.removeAll()
                let rest = String(lineText.dropFirst(close.count))
                if !isBlank(rest) { kept.append(rest) }
                continue
            }
            kept.append(line)
        }
        return kept
    }

    /// Lines joined with `\n`, each ended by one: the shape a code block's content has.
    static func joinedAsLines(_ lines: some Collection<String>) -> String {
        lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    static func isBlank(_ line: some StringProtocol) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// Whether a text (of any number of lines) has nothing but whitespace.
    static func isBlankText(_ text: some StringProtocol) -> Bool {
        text.allSatisfy(\.isWhitespace)
    }

    static func trimmed(_ line: some StringProtocol) -> String {
        let isContent: (Character) -> Bool = { $0 != " " && $0 != "\t" }
        guard let start = line.firstIndex(where: isContent), let end = line.lastIndex(where: isContent) else { return "" }
        return String(line[start...end])
    }
}

/// A fenced code block found in a reply (CommonMark rules: ``` or ~~~, three or more, closed by a fence of the same
/// character at least as long, with nothing but whitespace after it).
struct FencedBlock: Sendable, Hashable {
    var openingLineIndex: Int
    /// The info string's first word (```` ```swift {.x} ```` gives `swift`).
    var language: String
    /// The whole info string, trimmed: it may name a file (```` ```python src/a.py ````).
    var info: String
    var contentLines: [String]
    var isClosed: Bool
    /// Index of the closing fence line; `lines.count` when the block is never closed.
    var closingLineIndex: Int

    var content: String { ReplyText.joinedAsLines(contentLines) }
    var isBlank: Bool { contentLines.allSatisfy(ReplyText.isBlank) }

    /// Every fenced block of `lines`, in order; a block still open at the end is returned with `isClosed == false`.
    static func all(in lines: [String]) -> [FencedBlock] {
        var blocks: [FencedBlock] = []
        var index = 0
        while index < lines.count {
            guard let opening = Fence(openingLine: lines[index]) else {
                index += 1
                continue
            }
            var block = FencedBlock(
                openingLineIndex: index, language: opening.language, info: opening.info, contentLines: [],
                isClosed: false, closingLineIndex: lines.count)
            index += 1
            while index < lines.count {
                if opening.isClosed(by: lines[index]) {
                    block.isClosed = true
                    block.closingLineIndex = index
                    index += 1
                    break
                }
                block.contentLines.append(opening.removingIndentation(from: lines[index]))
                index += 1
            }
            blocks.append(block)
        }
        return blocks
    }

    static func isFenceLine(_ line: String) -> Bool {
        Fence(openingLine: line) != nil
    }
}

struct Fence {
    /// The info string of a line that can open a fence, nil for other lines.
    static func opening(_ line: String) -> String? {
        Fence(openingLine: line)?.info
    }

    var character: Character
    var length: Int
    var indentation: Int
    var info: String
    var language: String

    init?(openingLine line: String) {
        let indentation = line.prefix(while: { $0 == " " }).count
        let rest = line.dropFirst(indentation)
        guard let first = rest.first, first == "`" || first == "~" else { return nil }
        let length = rest.prefix(while: { $0 == first }).count
        guard length >= 3 else { return nil }
        let info = ReplyText.trimmed(rest.dropFirst(length))
        if first == "`" && info.contains("`") { return nil }
        self.character = first
        self.length = length
        self.indentation = indentation
        self.info = info
        self.language = String(info.prefix(while: { $0 != " " && $0 != "{" }))
    }

    func isClosed(by line: String) -> Bool {
        let rest = line.drop(while: { $0 == " " })
        let run = rest.prefix(while: { $0 == character }).count
        return run >= length && ReplyText.isBlank(rest.dropFirst(run))
    }

    /// CommonMark removes up to the opening fence's indentation from each content line.
    func removingIndentation(from line: String) -> String {
        let spaces = min(indentation, line.prefix(while: { $0 == " " }).count)
        return String(line.dropFirst(spaces))
    }
}

/// Lines that read like a model talking rather than code: "Here is the updated function:", "Sure!".
enum ProseLines {
    private static let conversationalOpeners: Set<String> = [
        "here", "here's", "heres", "sure", "certainly", "okay", "ok", "below", "note", "explanation", "i",
        "i've", "i'll", "i'm", "completion", "output", "answer", "done", "absolutely", "great",
    ]
    private static let codeCharacters: Set<Character> = ["=", ";", "{", "}", "(", ")", "[", "]", "<", ">", "\"", "`"]

    /// An introduction a model puts before code: it opens with a conversational word, or it is a sentence that
    /// ends with a colon. Code lines contain operators or brackets; these do not.
    static func isPreamble(_ line: String) -> Bool {
        let trimmed = ReplyText.trimmed(line)
        guard let firstWord = words(of: trimmed).first else { return false }
        if conversationalOpeners.contains(firstWord.lowercased()) && !trimmed.contains(where: codeCharacters.contains) {
            return true
        }
        return isSentence(trimmed) && trimmed.hasSuffix(":")
    }

    /// A remark a model puts after code: a preamble-like line or a sentence that ends with a full stop.
    static func isRemark(_ line: String) -> Bool {
        let trimmed = ReplyText.trimmed(line)
        return isPreamble(trimmed) || (isSentence(trimmed) && (trimmed.hasSuffix(".") || trimmed.hasSuffix("!")))
    }

    /// Starts with a capital letter, has three or more words, the first two made of letters only, and no code.
    private static func isSentence(_ trimmed: String) -> Bool {
        let sentenceWords = words(of: trimmed)
        guard sentenceWords.count >= 3, let first = trimmed.first, first.isUppercase else { return false }
        let leadingWordsAreWords = sentenceWords.prefix(2).allSatisfy { word in
            word.allSatisfy { $0.isLetter || $0 == "'" }
        }
        let hasCode = trimmed.contains(where: { $0 == "=" || $0 == ";" || $0 == "{" || $0 == "}" })
        return leadingWordsAreWords && !hasCode
    }

    /// Words with surrounding punctuation removed.
    private static func words(of text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { word in
            String(word.trimmingCharacters(in: [",", ".", "!", ":", "?"]))
        }.filter { !$0.isEmpty }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in characters: Set<Character>) -> Substring {
        var result = self
        while let first = result.first, characters.contains(first) { result = result.dropFirst() }
        while let last = result.last, characters.contains(last) { result = result.dropLast() }
        return result
    }
}
