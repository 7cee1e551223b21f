// Removes K2's raw special tokens that some engines leak into content, keeping any leaked tool-call section.
import Foundation

/// Engines without K2's tool-call parser leak `<|tool_calls_section_begin|>…<|tool_calls_section_end|>` (and
/// stray chat-template tokens) into `content`. The section is cut out of the visible text and kept, so the
/// calls inside it can still be recovered when the server sent no structured ones.
struct RawMarkerStripper: Sendable {
    static let sectionBegin = ["<|tool_calls_section_begin|>", "<|tool_call_section_begin|>"]
    static let sectionEnd = ["<|tool_calls_section_end|>", "<|tool_call_section_end|>"]
    static let callBegin = "<|tool_call_begin|>"
    static let argumentBegin = "<|tool_call_argument_begin|>"
    static let callEnd = "<|tool_call_end|>"
    static let templateTokens = ["<|im_end|>", "<|im_user|>", "<|im_assistant|>", "<|im_system|>", "<|im_middle|>"]

    private var scanner = TagScanner(
        tags: sectionBegin + sectionEnd + [callBegin, argumentBegin, callEnd] + templateTokens
    )
    private var insideSection = false
    /// Everything between the section markers, inner markers included.
    private(set) var leakedSection = ""

    /// Returns the visible part of `text`.
    mutating func feed(_ text: String) -> String {
        visibleText(from: scanner.feed(text))
    }

    mutating func flush() -> String {
        visibleText(from: scanner.flush())
    }

    private mutating func visibleText(from segments: [TagScanner.Segment]) -> String {
        var visible = ""
        for segment in segments {
            switch segment {
            case .tag(let tag) where Self.sectionBegin.contains(tag):
                insideSection = true
            case .tag(let tag) where Self.sectionEnd.contains(tag):
                insideSection = false
            case .tag(let tag):
                if insideSection { leakedSection += tag }
            case .text(let text):
                if insideSection { leakedSection += text } else { visible += text }
            }
        }
        return visible
    }

    /// The calls written in the leaked section: `<|tool_call_begin|>functions.NAME:IDX<|tool_call_argument_begin|>
    /// {json}<|tool_call_end|>`, in order.
    func leakedToolCalls() -> [ToolCall] {
        leakedSection.components(separatedBy: Self.callBegin).dropFirst().compactMap { part in
            let pieces = part.components(separatedBy: Self.argumentBegin)
            guard pieces.count == 2 else { return nil }
            let id = pieces[0].trimmingCharacters(in: .whitespacesAndNewlines)
            let arguments = pieces[1].components(separatedBy: Self.callEnd)[0]
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard let name = ToolCallIDNormalizer.functionName(fromNativeID: id) else { return nil }
            return ToolCall(id: id, name: name, arguments: arguments)
        }
    }
}
