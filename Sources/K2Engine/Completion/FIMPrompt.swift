// The chat prompt for inline completion: the file with a cursor marker, since K2 has no fill-in-the-middle endpoint.

/// System and user messages plus stop sequences for one completion request.
///
/// The whole file goes in one piece with `<|cursor|>` where the cursor is, between `<|file|>` and `<|end_of_file|>`.
/// One marker inside the unbroken file lets the model read the text before and after the cursor as the single text
/// it is, which separate "prefix" and "suffix" sections do not. The `<|name|>` shape is what chat models know as
/// out-of-band markup, no programming language writes it, and none of these names is a K2 special token (those are
/// `<|im_…|>` and `<|tool_call…|>`). If the file itself contains a marker, all three get a number (`<|cursor_1|>`…)
/// until none occurs in it. The system message stays byte-identical across requests (Moonshot caches prefixes); what
/// changes comes last. The stop sequences end a reply that starts to reproduce the markup.
public struct FIMPrompt: Sendable, Hashable {
    public var system: String
    public var user: String
    public var stop: [String]

    public struct Markers: Sendable, Hashable {
        public var fileStart: String
        public var cursor: String
        public var fileEnd: String

        init(number: Int?) {
            let tag = number.map { "_\($0)" } ?? ""
            fileStart = "<|file\(tag)|>"
            cursor = "<|cursor\(tag)|>"
            fileEnd = "<|end_of_file\(tag)|>"
        }

        var all: [String] { [fileStart, cursor, fileEnd] }
    }

    public static func render(prefix: String, suffix: String, languageID: String, path: String) -> FIMPrompt {
        let markers = markers(avoiding: [prefix, suffix])
        let system = """
            You are a code completion engine. The user sends a file between \(markers.fileStart) and \
            \(markers.fileEnd), with the cursor marked \(markers.cursor). Reply with only the text to insert at the \
            cursor: no explanation, no Markdown fences, and none of the text that already comes before or after the \
            cursor. Match the file's indentation and style. Finish the current statement or block, then stop. If \
            nothing should be inserted, reply with nothing.
            """
        let user = """
            File: \(path) (\(languageID))
            \(markers.fileStart)
            \(prefix)\(markers.cursor)\(suffix)
            \(markers.fileEnd)
            Text to insert at \(markers.cursor):
            """
        return FIMPrompt(system: system, user: user, stop: markers.all)
    }

    /// The unnumbered markers, or the first numbered set that none of `texts` contains.
    static func markers(avoiding texts: [String]) -> Markers {
        var number: Int? = nil
        while true {
            let candidate = Markers(number: number)
            if !texts.contains(where: { text in candidate.all.contains(where: text.contains) }) { return candidate }
            number = (number ?? 0) + 1
        }
    }
}
