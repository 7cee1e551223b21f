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
    /// How long one search's regular-expression matching may take in all.
    public static let standardRegexTimeLimit: Duration = .seconds(10)

    let regexTimeLimit: Duration

    public init(regexTimeLimit: Duration = SearchTool.standardRegexTimeLimit) {
        self.regexTimeLimit = regexTimeLimit
    }

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
        let regex = matcher.expression.map { BoundedRegex($0, budget: regexTimeLimit) }
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
            for (number, line) in try await matchingLines(of: text, matcher: matcher, regex: regex, query: query) {
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

    private func matchingLines(of text: String, matcher: LineMatcher, regex: BoundedRegex?, query: String) async throws
        -> [(number: Int, text: Substring)]
    {
        let lines = LineSlices(text).numbered
        guard let regex else { return lines.filter { matcher.matches($0.text) } }
        do {
            return try await regex.matchingIndices(of: lines.map { String($0.text) }).map { lines[$0] }
        } catch BoundedRegex.Failure.timedOut {
            throw ToolError(
                "The regular expression \(query) took longer than \(regexTimeLimit.components.seconds) s to match, so the search was stopped (nested or overlapping repeats such as (a|aa)+ backtrack without end). Simplify it, narrow the search with path, or search for plain text.")
        }
    }
}

/// The query: plain text, matched here, or a validated regular expression (matched by `BoundedRegex`), with
/// ripgrep's smart case.
struct LineMatcher {
    let isRegex: Bool
    private let needle: String
    private let ignoresCase: Bool
    let expression: NSRegularExpression?

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

    /// For plain text only.
    func matches(_ line: Substring) -> Bool {
        (ignoresCase ? line.lowercased() : String(line)).contains(needle)
    }
}
