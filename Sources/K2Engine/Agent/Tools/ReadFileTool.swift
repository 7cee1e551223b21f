// read_file: a text file of the workspace, whole or a range of lines, as the run currently sees it.
import AnyJSON
import K2Provider

public struct ReadFileTool: AgentTool {
    public let traits = ToolTraits(kind: .read)

    public init() {}

    public let definition = ToolDefinition(
        name: "read_file",
        description: "Read a text file of the workspace, as it is now (your earlier edits included). Returns a header line with the line range and the file's line count, then the text itself (line numbers are not part of the text). Give start_line and end_line (1-based, inclusive) to read part of a long file.",
        parameters: [
            "type": "object",
            "properties": [
                "path": ["type": "string", "description": "Path relative to the workspace root."],
                "start_line": ["type": "integer", "description": "First line to read (1-based). Default: 1."],
                "end_line": ["type": "integer", "description": "Last line to read (inclusive). Default: the last line."],
            ],
            "required": ["path"],
        ])

    public func presentation(of arguments: JSONValue, in workspace: AgentWorkspace) async -> ToolCallPresentation {
        let path = arguments["path"]?.stringValue ?? "a file"
        let first = arguments["start_line"]?.intValue
        let lines = first.map { first in arguments["end_line"]?.intValue.map { " (lines \(first)-\($0))" } ?? " (from line \(first))" }
        return ToolCallPresentation(
            title: "Read \(path)" + (lines ?? ""), locations: workspace.locations(ofPathIn: arguments, line: first))
    }

    public func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
        let arguments = try ToolArguments(arguments, for: definition)
        let path = try workspace.resolve(arguments.requiredString("path"))
        guard let text = try await workspace.currentText(of: path) else {
            throw ToolError("\(path.relative) does not exist; list_files shows the files of the workspace.")
        }
        let lines = LineSlices(try workspace.textForModel(text, path: path))
        if lines.count == 0 { return "\(path.relative) is empty (0 lines)." }
        let first = arguments.integer("start_line") ?? 1
        let last = min(arguments.integer("end_line") ?? lines.count, lines.count)
        guard first >= 1, first <= lines.count else {
            throw ToolError("start_line \(first) is outside \(path.relative), which has \(lines.count) lines.")
        }
        guard last >= first else {
            throw ToolError("end_line \(last) comes before start_line \(first).")
        }
        let header =
            first == 1 && last == lines.count
            ? "\(path.relative): all \(lines.count) lines"
            : "\(path.relative): lines \(first)-\(last) of \(lines.count)"
        return header + "\n" + lines.text(from: first, through: last)
    }
}

/// A text's lines, 1-based, each with its own line break; a final line break does not start another line.
struct LineSlices {
    private let lines: [Substring]

    init(_ text: String) {
        var lines: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            // "\r\n" is one Character. Only the breaks editors count: a form feed or U+2028 is not one.
            let character = text[index]
            if character == "\n" || character == "\r\n" || character == "\r" {
                let next = text.index(after: index)
                lines.append(text[start..<next])
                start = next
            }
            index = text.index(after: index)
        }
        if start < text.endIndex { lines.append(text[start...]) }
        self.lines = lines
    }

    var count: Int { lines.count }

    /// Lines `first` through `last`, with their line breaks.
    func text(from first: Int, through last: Int) -> String {
        lines[(first - 1)..<last].joined()
    }

    /// Each line without its line break, numbered from 1.
    var numbered: [(number: Int, text: Substring)] {
        lines.enumerated().map { offset, line in
            var content = line
            while let last = content.last, last.isNewline { content = content.dropLast() }
            return (offset + 1, content)
        }
    }
}
