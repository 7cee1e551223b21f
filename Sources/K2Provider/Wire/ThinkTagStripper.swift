// Moves inline `<think>…</think>` reasoning out of streamed content, also when a tag is split across chunks.

/// Servers without a reasoning parser (self-hosted K2 Thinking) put reasoning inline in `content`.
struct ThinkTagStripper: Sendable {
    enum Piece: Sendable, Hashable {
        case content(String)
        case reasoning(String)
        /// A `</think>` with no opening tag: the template put `<think>` in the prompt, so the content so far
        /// was reasoning.
        case strayClose
    }

    private var scanner = TagScanner(tags: ["<think>", "</think>"])
    private var insideThink = false
    /// After `</think>` the model usually writes blank lines before the answer; they are not content.
    private var trimmingLeadingWhitespace = false

    mutating func feed(_ text: String) -> [Piece] {
        pieces(from: scanner.feed(text))
    }

    mutating func flush() -> [Piece] {
        pieces(from: scanner.flush())
    }

    private mutating func pieces(from segments: [TagScanner.Segment]) -> [Piece] {
        var pieces: [Piece] = []
        for segment in segments {
            switch segment {
            case .tag("<think>"):
                insideThink = true
            case .tag(_):
                if insideThink {
                    insideThink = false
                } else {
                    pieces.append(.strayClose)
                }
                trimmingLeadingWhitespace = true
            case .text(let text) where insideThink:
                pieces.append(.reasoning(text))
            case .text(var text):
                if trimmingLeadingWhitespace {
                    text = String(text.drop(while: \.isWhitespace))
                    if text.isEmpty { continue }
                    trimmingLeadingWhitespace = false
                }
                pieces.append(.content(text))
            }
        }
        return pieces
    }
}
