// search: lines that contain a text or match a regular expression, with their paths and line numbers.
import AnyJSON
import Foundation
import K2Provider

public struct SearchTool: AgentTool {
    public let traits = ToolTraits(kind: .search)

    /// Matching lines reported at most.
    static let maximumMatches = 200
    /// Characters of one matching line shown; minified files have very long lines.
    static let maximumLineLength = 300

    public init() {}

    public let definition = ToolDefinition(
        name: "search",
        description: "Search the workspace's text files (as they are now, your edits included) like ripgrep: one line per match, as path:line: text. The query is plain text unless regex is true. Case is ignored when the query has no uppercase letters. path limits the search to a folder or file.",
        parameters: [
            "type": "object",
            "properties": [
                "query": ["type": "string", "description": "Text to find, or a regular expression when regex is true."],
                "path": ["type": "string", "description": "Folder or file relative to the workspace root. Default: the whole workspace."],
                "regex": ["type": "boolean", "description": "Treat query as a regular expression (ICU syntax). Default: false."],
            ],
            "required": ["query"],
        ])

    public func presentation(of arguments: JSONValue, in workspace: AgentWorkspace) async -> ToolCallPresentation {
        let query = arguments["query"]?.stringValue ?? ""
        let scope = arguments["path"]?.stringValue.map { " in \($0)" } ?? ""
        return ToolCallPresentation(title: "Search for “\(query)”\(scope)", locations: workspace.locations(ofPathIn: arguments))
    }

    public func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
        let arguments = try ToolArguments(arguments, for: definition)
        let query = arguments.requiredString("query")
        guard !query.isEmpty else { throw ToolError("search needs a non-empty query.") }
        let matcher = try LineMatcher(query: query, isRegex: arguments.bool("regex") ?? false)
        let scope = try SearchScope(arguments.string("path"), in: workspace)
        let files = await workspace.listFiles().filter(scope.contains)
        let openDocuments = await workspace.openDocumentsByRelativePath()
        var results: [String] = []
        var matchCount = 0
        var fileCount = 0
        // A symlink and its target are one file: searched once, under the target's path.
        var searched = Set<String>()
        for listed in files {
            try Task.checkCancellation()
            guard let (file, text) = await workspace.searchableText(relative: listed, openDocuments: openDocuments),
                searched.insert(file).inserted
            else { continue }
            var matchedHere = false
            for (number, line) in LineSlices(text).numbered where matcher.matches(line) {
                matchCount += 1
                matchedHere = true
                if results.count < Self.maximumMatches {
                    let shown = line.count > Self.maximumLineLength ? line.prefix(Self.maximumLineLength) + "…" : line
                    results.append("\(file):\(number): \(shown)")
                }
            }
            if matchedHere { fileCount += 1 }
        }
        let what = matcher.isRegex ? "the pattern \(query)" : "\"\(query)\""
        guard matchCount > 0 else { return "No matches for \(what) in \(scope.name)." }
        var lines = ["\(matchCount) match\(matchCount == 1 ? "" : "es") for \(what) in \(fileCount) file\(fileCount == 1 ? "" : "s"):"]
        lines += results
        if matchCount > results.count {
            lines.append("… \(matchCount - results.count) more matches not shown; narrow the search with path or a longer query.")
        }
        return lines.joined(separator: "\n")
    }
}

/// Decides whether one line matches: plain text or a regular expression, with ripgrep's smart case.
struct LineMatcher {
    let isRegex: Bool
    private let needle: String
    private let ignoresCase: Bool
    private let expression: NSRegularExpression?

    init(query: String, isRegex: Bool) throws(ToolError) {
        self.isRegex = isRegex
        ignoresCase = !query.contains(where: \.isUppercase)
        needle = ignoresCase ? query.lowercased() : query
        if isRegex {
            do {
                expression = try NSRegularExpression(
                    pattern: query, options: ignoresCase ? [.caseInsensitive] : [])
            } catch {
                throw ToolError("The regular expression \(query) is not valid (ICU syntax); fix it, or search for plain text with regex false.")
            }
        } else {
            expression = nil
        }
    }

    func matches(_ line: Substring) -> Bool {
        if let expression {
            let text = String(line)
            return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        return (ignoresCase ? line.lowercased() : String(line)).contains(needle)
    }
}
