// One routing rule: which tasks (and how much context) go to which model role.
public struct RoutingRule: Sendable, Hashable, CustomStringConvertible {
    /// nil matches every task.
    public var tasks: [K2Task]?
    /// nil matches any size; otherwise the estimate must be known and at least this large.
    public var minContextTokens: Int?
    public var use: ModelRole

    public init(tasks: [K2Task]? = nil, minContextTokens: Int? = nil, use: ModelRole) {
        self.tasks = tasks
        self.minContextTokens = minContextTokens
        self.use = use
    }

    public func matches(task: K2Task, estimatedContextTokens: Int?) -> Bool {
        if let tasks, !tasks.contains(task) { return false }
        if let minContextTokens {
            guard let estimatedContextTokens, estimatedContextTokens >= minContextTokens else { return false }
        }
        return true
    }

    /// The YAML flow form, as a user would write it.
    public var description: String {
        var parts: [String] = []
        if let tasks { parts.append("tasks: [\(tasks.map(\.rawValue).joined(separator: ", "))]") }
        if let minContextTokens { parts.append("min_context_tokens: \(minContextTokens)") }
        parts.append("use: \(use.rawValue)")
        return "{ \(parts.joined(separator: ", ")) }"
    }
}
