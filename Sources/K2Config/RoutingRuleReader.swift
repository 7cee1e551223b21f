// Reads a `rules:` list. One bad rule drops the whole list: skipping only that rule would change which rule matches.
import Yams

enum RoutingRuleReader {
    private static let ruleKeys = ["tasks", "min_context_tokens", "use"]

    static func read(_ node: Node, keyPath: String, collector: inout DiagnosticCollector) -> [RoutingRule]? {
        if ConfigValueReader.isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a list of rules like { tasks: [agent], use: thinking } "
                    + "(got \(ConfigValueReader.describe(node)))"
            )
            return nil
        }
        var rules: [RoutingRule] = []
        var allValid = true
        for (index, item) in sequence.enumerated() {
            if let rule = readRule(item, keyPath: "\(keyPath)[\(index)]", collector: &collector) {
                rules.append(rule)
            } else {
                allValid = false
            }
        }
        return allValid ? rules : nil
    }

    private static func readRule(_ node: Node, keyPath: String, collector: inout DiagnosticCollector) -> RoutingRule? {
        guard case .mapping(let mapping) = node else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a mapping like { tasks: [agent], use: thinking } "
                    + "(got \(ConfigValueReader.describe(node)))"
            )
            return nil
        }
        var tasks: [K2Task]?
        var minContextTokens: Int?
        var use: ModelRole?
        var valid = true
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let childPath = "\(keyPath).\(key)"
            switch key {
            case "tasks":
                if let read = readTasks(valueNode, keyPath: childPath, collector: &collector) {
                    tasks = read
                } else {
                    valid = false
                }
            case "min_context_tokens":
                if case .count(let count)? = ConfigValueReader.read(
                    valueNode, as: .count(minimum: 0), keyPath: childPath, collector: &collector
                ) {
                    minContextTokens = count
                } else {
                    valid = false
                }
            case "use":
                if let role: ModelRole = ConfigValueReader.choice(valueNode, keyPath: childPath, collector: &collector)
                {
                    use = role
                } else {
                    valid = false
                }
            default:
                UnknownKeyReporter.report(
                    keyPath: childPath, key: key, siblings: ruleKeys, line: keyNode.mark?.line, collector: &collector
                )
            }
        }
        guard valid else { return nil }
        guard let use else {
            collector.error(
                "\(keyPath).use", line: node.mark?.line,
                "'\(keyPath)' needs 'use: instruct' or 'use: thinking'"
            )
            return nil
        }
        return RoutingRule(tasks: tasks, minContextTokens: minContextTokens, use: use)
    }

    private static func readTasks(_ node: Node, keyPath: String, collector: inout DiagnosticCollector) -> [K2Task]? {
        let allowed = K2Task.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .sequence(let sequence) = node else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a list of tasks from \(allowed) (got \(ConfigValueReader.describe(node)))"
            )
            return nil
        }
        var tasks: [K2Task] = []
        for (index, item) in sequence.enumerated() {
            guard
                let task: K2Task = ConfigValueReader.choice(
                    item, keyPath: "\(keyPath)[\(index)]", collector: &collector)
            else {
                return nil
            }
            tasks.append(task)
        }
        return tasks
    }
}
