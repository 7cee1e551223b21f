// list_files: the workspace's files under a folder, optionally filtered by a glob.
import AnyJSON
import K2Provider

public struct ListFilesTool: AgentTool {
    public let traits = ToolTraits(kind: .read)

    /// Paths listed at most; more would only fill the model's context.
    static let maximumEntries = 1_000

    public init() {}

    public let definition = ToolDefinition(
        name: "list_files",
        description: "List the files of the workspace (files the project ignores, secrets and very large files are left out), one workspace-relative path per line. path limits the listing to a folder; glob filters it (a glob without '/' matches file names, e.g. *.swift; with '/' it matches the whole path, e.g. src/**/*.ts).",
        parameters: [
            "type": "object",
            "properties": [
                "path": ["type": "string", "description": "Folder relative to the workspace root. Default: the whole workspace."],
                "glob": ["type": "string", "description": "Glob such as *.py or src/**/test_*.py."],
            ],
        ])

    public func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
        let arguments = try ToolArguments(arguments, for: definition)
        let scope = try SearchScope(arguments.string("path"), in: workspace)
        let glob = try arguments.string("glob").map { try GlobPattern($0) }
        let files = await workspace.listFiles().filter { scope.contains($0) && (glob?.matches($0) ?? true) }
        let filter = glob.map { " matching \($0.source)" } ?? ""
        guard !files.isEmpty else { return "No files in \(scope.name)\(filter)." }
        var lines = ["\(files.count) file\(files.count == 1 ? "" : "s") in \(scope.name)\(filter):"]
        lines += files.prefix(Self.maximumEntries)
        if files.count > Self.maximumEntries {
            lines.append("… and \(files.count - Self.maximumEntries) more; narrow the listing with path or glob.")
        }
        return lines.joined(separator: "\n")
    }
}

/// The part of the workspace a listing or search covers: everything, a folder, or one file.
struct SearchScope {
    /// Relative path of the folder or file; "" for the whole workspace.
    let relative: String
    let name: String

    init(_ given: String?, in workspace: AgentWorkspace) throws(ToolError) {
        let trimmed = given?.trimmingCharacters(in: .whitespaces) ?? ""
        if trimmed.isEmpty || trimmed == "." || trimmed == "./" {
            relative = ""
            name = "the workspace"
        } else {
            relative = try workspace.resolve(trimmed).relative
            name = relative
        }
    }

    func contains(_ file: String) -> Bool {
        relative.isEmpty || file == relative || file.hasPrefix(relative + "/")
    }
}
