// write_file: create a file, or replace a file's whole content.
import AnyJSON
import K2Provider

public struct WriteFileTool: AgentTool {
    public let traits = ToolTraits(kind: .edit)

    public init() {}

    public let definition = ToolDefinition(
        name: "write_file",
        description: "Create a new file with the given content, or replace an existing file's whole content. Prefer edit_file for changes to part of an existing file. Nothing is saved to disk: the user reviews and applies all changes at the end.",
        parameters: [
            "type": "object",
            "properties": [
                "path": ["type": "string", "description": "Path relative to the workspace root."],
                "content": ["type": "string", "description": "The complete new content of the file."],
            ],
            "required": ["path", "content"],
        ])

    public func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
        let arguments = try ToolArguments(arguments, for: definition)
        let path = try workspace.resolve(arguments.requiredString("path"))
        try workspace.checkWritable(path)
        let content = arguments.requiredString("content")
        let current = try await workspace.currentText(of: path)
        try RedactionGuard.check(content, against: current, path: path.relative)
        try await workspace.setText(content, of: path)
        let lines = LineSlices(content).count
        if current == nil { return "Created \(path.relative) (\(lines) lines)." }
        return current == content
            ? "\(path.relative) already had this content; nothing changed."
            : "Replaced the content of \(path.relative) (\(lines) lines)."
    }
}
