// Where a configuration value came from, for `k2lsp config` and for diagnostics.
public enum ConfigSource: Sendable, Hashable, CustomStringConvertible {
    case builtIn
    /// The variable's name, never its value.
    case environment(String)
    case preset(String)
    case userFile(path: String)
    case workspaceFile(path: String)
    case editor

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
