// write_file: create a file, or replace a file's whole content.
import AnyJSON
import K2Provider

public struct WriteFileTool: AgentTool {
    public let traits = ToolTraits(kind: .edit)
    public let definition: ToolDefinition

    public init(delivery: AgentChangeDelivery = .atTheEnd) {
        definition = ToolDefinition(
            name: "write_file",
            description: "Create a new file with the given content, or replace an existing file's whole content. Prefer edit_file for changes to part of an existing file. \(delivery.toolNote)",
            parameters: [
                "type": "object",
                "properties": [
                    "path": ["type": "string", "description": "Path relative to the workspace root."],
                    "content": ["type": "string", "description": "The complete new content of the file."],
                ],
                "required": ["path", "content"],
            ])
    }

    public func presentation(of arguments: JSONValue, in workspace: AgentWorkspace) async -> ToolCallPresentation {
        let path = arguments["path"]?.stringValue ?? "a file"
        guard let planned = try? await plan(arguments, in: workspace) else {
            return ToolCallPresentation(title: "Write \(path)", locations: workspace.locations(ofPathIn: arguments))
        }
        return planned.presentation(title: planned.before == nil ? "Create \(path)" : "Write \(path)", in: workspace)
    }

    public func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
        let planned = try await plan(arguments, in: workspace)
        let relative = planned.path.relative
        if planned.before == planned.after { return "\(relative) already had this content; nothing changed." }
        try await workspace.setText(planned.after, of: planned.path)
        let lines = LineSlices(planned.after).count
        if planned.before == nil { return "Created \(relative) (\(lines) lines)." }
        return "Replaced the content of \(relative) (\(lines) lines)."
    }

    func plan(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws(ToolError) -> PlannedFileChange {
        let arguments = try ToolArguments(arguments, for: definition)
        let path = try workspace.resolve(arguments.requiredString("path"))
        try workspace.checkWritable(path)
        let content = arguments.requiredString("content")
        let current = try await workspace.currentText(of: path)
        try RedactionGuard.check(content, against: current, path: path.relative)
        return PlannedFileChange(path: path, before: current, after: content)
    }
}
