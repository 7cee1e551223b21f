// Where a configuration value came from, for `k2lsp config` and for diagnostics.
public enum ConfigSource: Sendable, Hashable, CustomStringConvertible {
    case builtIn
    /// The variable's name, never its value.
    case environment(String)
    case preset(String)
    case userFile(path: String)
    case workspaceFile(path: String)
    case editor

    /// Set by no one in particular: a built-in default or what a preset fills in.
    public var isPresetOrBuiltIn: Bool {
        switch self {
        case .builtIn, .preset: true
        case .environment, .userFile, .workspaceFile, .editor: false
        }
    }

    public var description: String {
        switch self {
        case .builtIn: "built-in default"
        case .environment(let name): "environment $\(name)"
        case .preset(let name): "preset \(name)"
        case .userFile(let path): "user file \(path)"
        case .workspaceFile(let path): "workspace file \(path)"
        case .editor: "editor settings"
        }
    }
}
