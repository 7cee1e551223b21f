// get_diagnostics: the errors and warnings the editor showed, for one file or the whole workspace.
import AnyJSON
import K2Provider
import K2Workspace

public struct GetDiagnosticsTool: AgentTool {
    public let traits = ToolTraits(kind: .read)

    public init() {}

    public let definition = ToolDefinition(
        name: "get_diagnostics",
        description: "The diagnostics (errors, warnings) the editor reported when the task started, as path:line: severity: message. They do not reflect your edits. path limits them to one file.",
        parameters: [
            "type": "object",
            "properties": [
                "path": ["type": "string", "description": "File relative to the workspace root. Default: every file."]
            ],
        ])

    public func presentation(of arguments: JSONValue, in workspace: AgentWorkspace) async -> ToolCallPresentation {
        let scope = arguments["path"]?.stringValue.map { " of \($0)" } ?? ""
        return ToolCallPresentation(title: "Diagnostics\(scope)", locations: workspace.locations(ofPathIn: arguments))
    }

    public func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
        let arguments = try ToolArguments(arguments, for: definition)
        let wanted = try arguments.string("path").map { try workspace.resolve($0).relative }
        var lines: [(path: String, line: Int, text: String)] = []
        for (absolute, diagnostics) in workspace.diagnostics {
            guard let relative = Self.relativePath(of: absolute, in: workspace),
                workspace.reader.secretFilter.secretPattern(relativePath: relative, root: workspace.realRoot) == nil,
                wanted == nil || wanted == relative
            else { continue }
            for diagnostic in diagnostics {
                let severity = diagnostic.severity.map { "\($0): " } ?? ""
                let origin = [diagnostic.source, diagnostic.code].compactMap { $0 }.joined(separator: " ")
                let text = "\(relative):\(diagnostic.line + 1): \(severity)\(diagnostic.message)"
                    + (origin.isEmpty ? "" : " [\(origin)]")
                lines.append((relative, diagnostic.line, text))
            }
        }
        guard !lines.isEmpty else {
            return "The editor reported no diagnostics for \(wanted ?? "the workspace")."
        }
        lines.sort { ($0.path, $0.line, $0.text) < ($1.path, $1.line, $1.text) }
        return lines.map(\.text).joined(separator: "\n")
    }

    private static func relativePath(of absolute: String, in workspace: AgentWorkspace) -> String? {
        let candidates = [absolute, WorkspacePaths.realPath(absolute) ?? absolute]
        for candidate in candidates {
            for root in [workspace.root, workspace.realRoot] {
                if let relative = WorkspacePaths.relativePath(of: candidate, inside: root), !relative.isEmpty {
                    return relative
                }
            }
        }
        return nil
    }
}
