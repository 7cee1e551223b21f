// How a tool call looks to the user before and after it runs: a title, the files it touches, the change it makes.
import AnyJSON

/// A file a call works on: absolute (the editor's form, under the workspace folder as given), with a 1-based line
/// when one is known.
public struct ToolLocation: Sendable, Hashable {
    public var path: String
    public var line: Int?

    public init(path: String, line: Int? = nil) {
        self.path = path
        self.line = line
    }
}

/// The whole-file change a call makes: the text before (nil for a file it creates) and after.
public struct ProposedFileChange: Sendable, Hashable {
    /// Absolute, like `ToolLocation.path`.
    public var path: String
    public var oldText: String?
    public var newText: String

    public init(path: String, oldText: String?, newText: String) {
        self.path = path
        self.oldText = oldText
        self.newText = newText
    }
}

/// What a front end shows for a call (ACP's tool-call title, locations and diff; a permission prompt).
public struct ToolCallPresentation: Sendable, Hashable {
    /// Short and human, e.g. "Read Sources/App.swift" or "Search for “parse”".
    public var title: String
    public var locations: [ToolLocation]
    /// For calls that change a file, the change, computed without making it. Nil when the call changes nothing or
    /// would fail (its run then says why).
    public var change: ProposedFileChange?
    /// The call only reports the run's own state (`update_plan`): a front end that shows that state another way
    /// (`EngineEvent.plan`) may leave the call itself out.
    public var isBookkeeping: Bool

    public init(
        title: String, locations: [ToolLocation] = [], change: ProposedFileChange? = nil, isBookkeeping: Bool = false
    ) {
        self.title = title
        self.locations = locations
        self.change = change
        self.isBookkeeping = isBookkeeping
    }
}

extension AgentWorkspace {
    /// The absolute path the editor knows a workspace file by.
    public nonisolated func editorPath(of path: WorkspacePath) -> String {
        root + "/" + path.relative
    }

    /// The location a call's `path` argument names, when it resolves inside the workspace.
    nonisolated func locations(ofPathIn arguments: JSONValue, line: Int? = nil) -> [ToolLocation] {
        guard let given = arguments["path"]?.stringValue, let path = try? resolve(given) else { return [] }
        return [ToolLocation(path: editorPath(of: path), line: line)]
    }
}
