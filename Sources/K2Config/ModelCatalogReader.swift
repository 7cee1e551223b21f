// Reads the `models:` section: catalog entries keyed by family name (to change it) or model id / pattern (to add one).
import AnyJSON
import K2Models
import Yams

enum ModelCatalogReader {
    private static let entryKeys = [
        "like", "series", "context_window", "temperature", "output_limit_field", "thinking", "reasoning_replay",
        "reasoning_allowance", "tool_choice_required", "partial_mode",
    ]
    private static let thinkingKeys = ["by_default", "field", "off", "low", "on"]

    /// A bad entry is dropped with an error naming it; the other entries still apply (each stands alone).
    static func read(_ node: Node, keyPath: String, collector: inout DiagnosticCollector) -> [ModelOverride]? {
        if ConfigValueReader.isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a mapping from a model id (or a catalog family name) to its settings, like "
                    + "{ my-kimi: { like: kimi-k2.6, context_window: 131072 } } (got \(ConfigValueReader.describe(node)))"
            )
            return nil
        }
        var entries: [ModelOverride] = []
        for (keyNode, valueNode) in mapping {
            guard let key = ConfigValueReader.nonNullScalarText(keyNode), !key.isEmpty else {
                collector.error(keyPath, line: keyNode.mark?.line, "'\(keyPath)' keys must be model ids or family names")
                continue
            }
            if let entry = readEntry(valueNode, key: key, keyPath: "\(keyPath).\(key)", collector: &collector) {
                entries.append(entry)
            }
        }
        return entries
    }

    private static func readEntry(
        _ node: Node, key: String, keyPath: String, collector: inout DiagnosticCollector
    ) -> ModelOverride? {
        guard case .mapping(let mapping) = node else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a mapping of model settings such as context_window or thinking "
                    + "(got \(ConfigValueReader.describe(node)))")
            return nil
        }
        var entry = ModelOverride(key: key)
        var valid = true
        for (fieldNode, valueNode) in mapping {
            let field = fieldNode.string ?? ""
            let path = "\(keyPath).\(field)"
            func fail(_ message: String) {
                collector.error(path, line: valueNode.mark?.line, message)
                valid = false
            }
            switch field {
            case "like":
                if let text = ConfigValueReader.nonNullScalarText(valueNode) { entry.like = text } else {
                    fail("'\(path)' must name a catalog family, e.g. kimi-k2.6")
                }
            case "series":
                if let series: ModelSeries = ConfigValueReader.choice(valueNode, keyPath: path, collector: &collector) {
                    entry.series = series
                } else {
                    valid = false
                }
            case "context_window":
                entry.contextWindow = count(valueNode, path: path, minimum: 1, collector: &collector, valid: &valid)
            case "reasoning_allowance":
                entry.reasoningAllowance = count(valueNode, path: path, minimum: 0, collector: &collector, valid: &valid)
            case "temperature":
                if ConfigValueReader.isNull(valueNode) || valueNode.string == "fixed" {
                    entry.sampling = .serverDefault
                } else if let value = number(valueNode), (0...2).contains(value) {
                    entry.sampling = .temperature(value)
                } else {
                    fail("'\(path)' must be a number from 0 to 2, or 'fixed' to send no sampling fields")
                }
            case "output_limit_field":
                if let text = ConfigValueReader.nonNullScalarText(valueNode), isFieldName(text) {
                    entry.outputLimitField = text
                } else {
                    fail("'\(path)' must be a body field name such as max_tokens or max_completion_tokens")
                }
            case "thinking":
                if let thinking = readThinking(valueNode, path: path, collector: &collector) {
                    entry.thinking = thinking
                } else {
                    valid = false
                }
            case "reasoning_replay":
                if let replay: ReasoningReplay = ConfigValueReader.choice(valueNode, keyPath: path, collector: &collector) {
                    entry.reasoningReplay = replay
                } else {
                    valid = false
                }
            case "tool_choice_required":
                entry.allowsRequiredToolChoice = flag(valueNode, path: path, collector: &collector, valid: &valid)
            case "partial_mode":
                entry.partialMode = flag(valueNode, path: path, collector: &collector, valid: &valid)
            default:
                UnknownKeyReporter.report(
                    keyPath: path, key: field, siblings: entryKeys, line: fieldNode.mark?.line, collector: &collector)
            }
        }
        return valid ? entry : nil
    }

    /// `never`, `always`, or `{ by_default, field, off, low, on }` where the values are what is sent in `field`.
    private static func readThinking(_ node: Node, path: String, collector: inout DiagnosticCollector) -> ThinkingControl? {
        switch ConfigValueReader.nonNullScalarText(node) {
        case "never": return .never
        case "always": return .always
        default: break
        }
        guard case .mapping(let mapping) = node else {
            collector.error(
                path, line: node.mark?.line,
                "'\(path)' must be never, always, or a mapping like { field: thinking, off: { type: disabled }, "
                    + "on: { type: enabled } }")
            return nil
        }
        var control = ThinkingControl(thinksByDefault: true)
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "by_default":
                guard case .flag(let flag)? = ConfigValueReader.read(
                    valueNode, as: .flag, keyPath: "\(path).by_default", collector: &collector)
                else { return nil }
                control.thinksByDefault = flag
            case "field":
                guard let text = ConfigValueReader.nonNullScalarText(valueNode), isFieldName(text) else {
                    collector.error("\(path).field", line: valueNode.mark?.line, "'\(path).field' must be a body field name")
                    return nil
                }
                control.field = text
            case "off": control.off = json(valueNode)
            case "low": control.low = json(valueNode)
            case "on": control.on = json(valueNode)
            default:
                UnknownKeyReporter.report(
                    keyPath: "\(path).\(key)", key: key, siblings: thinkingKeys, line: keyNode.mark?.line,
                    collector: &collector)
            }
        }
        if control.field == nil, control.off != nil || control.low != nil || control.on != nil {
            collector.error(path, line: node.mark?.line, "'\(path)' gives values but no 'field' to send them in")
            return nil
        }
        return control
    }

    private static func count(
        _ node: Node, path: String, minimum: Int, collector: inout DiagnosticCollector, valid: inout Bool
    ) -> Int? {
        guard case .count(let value)? = ConfigValueReader.read(
            node, as: .count(minimum: minimum), keyPath: path, collector: &collector)
        else {
            valid = false
            return nil
        }
        return value
    }

    private static func flag(_ node: Node, path: String, collector: inout DiagnosticCollector, valid: inout Bool) -> Bool? {
        guard case .flag(let value)? = ConfigValueReader.read(node, as: .flag, keyPath: path, collector: &collector) else {
            valid = false
            return nil
        }
        return value
    }

    private static func number(_ node: Node) -> Double? {
        guard case .scalar = node else { return nil }
        if node.tag.rawValue == Tag.Name.int.rawValue { return node.int.map(Double.init) }
        if node.tag.rawValue == Tag.Name.float.rawValue { return node.float }
        return nil
    }

    private static func isFieldName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// A YAML value as the JSON it will be sent as.
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = json(value) }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .alias:
            return .null
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue: return node.int.map(JSONValue.int) ?? .string(scalar.string)
            case Tag.Name.float.rawValue: return node.float.map(JSONValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        }
    }
}
