// Turns the text of one YAML (or JSON) settings document into assignments, with diagnostics for what it cannot use.
import Yams

/// One key set by one layer.
struct ConfigAssignment: Sendable {
    let field: ConfigField
    let value: ConfigValue
    let line: Int?
    let source: ConfigSource
}

extension [ConfigAssignment] {
    /// For layers that are not documents (environment, presets): the key path is one of the schema's own.
    mutating func assign(_ keyPath: String, _ value: ConfigValue, source: ConfigSource) {
        guard let field = ConfigSchema.fieldsByPath[keyPath] else { return }
        append(ConfigAssignment(field: field, value: value, line: nil, source: source))
    }
}

enum ConfigDocument {
    /// nil when the text is not YAML (one error naming the line) or is empty.
    static func parse(_ text: String, collector: inout DiagnosticCollector) -> Node? {
        // Yams composes the whole tree, aliases expanded, and hashes every key: bound the shape first.
        if let problem = DocumentShapeCheck.problem(in: text) {
            collector.error("", line: problem.line, problem.message)
            return nil
        }
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (line, problem) = syntaxProblem(error)
            collector.error(
                "", line: line, "YAML syntax error: \(problem); this file is skipped until it is fixed"
            )
        } catch {
            collector.error("", line: nil, "could not read the settings; this file is skipped until it is fixed")
        }
        return nil
    }

    /// Reads a parsed document's root mapping against the schema.
    static func assignments(
        from root: Node, source: ConfigSource, collector: inout DiagnosticCollector
    ) -> [ConfigAssignment] {
        if ConfigValueReader.isNull(root) { return [] }
        guard case .mapping(let mapping) = root else {
            collector.error(
                "", line: root.mark?.line,
                "the settings must be a mapping of keys such as 'profile: user' "
                    + "(got \(ConfigValueReader.describe(root)))"
            )
            return []
        }
        var assignments: [ConfigAssignment] = []
        read(mapping, section: "", source: source, into: &assignments, collector: &collector)
        return assignments
    }

    private static func read(
        _ mapping: Node.Mapping, section: String, source: ConfigSource,
        into assignments: inout [ConfigAssignment], collector: inout DiagnosticCollector
    ) {
        for (keyNode, valueNode) in mapping {
            let key = ConfigValueReader.nonNullScalarText(keyNode) ?? ""
            let keyPath = section.isEmpty ? key : "\(section).\(key)"
            let line = keyNode.mark?.line
            if let field = ConfigSchema.fieldsByPath[keyPath] {
                if let value = ConfigValueReader.read(
                    valueNode, as: field.kind, keyPath: keyPath, collector: &collector)
                {
                    assignments.append(ConfigAssignment(field: field, value: value, line: line, source: source))
                }
            } else if ConfigSchema.sections.contains(keyPath) {
                if ConfigValueReader.isNull(valueNode) { continue }
                guard case .mapping(let child) = valueNode else {
                    collector.error(
                        keyPath, line: line,
                        "'\(keyPath)' must be a mapping of settings (got \(ConfigValueReader.describe(valueNode)))"
                    )
                    continue
                }
                read(child, section: keyPath, source: source, into: &assignments, collector: &collector)
            } else {
                UnknownKeyReporter.report(
                    keyPath: keyPath, key: key, siblings: ConfigSchema.childKeys(of: section), line: line,
                    collector: &collector
                )
            }
        }
    }

    /// The line and libyaml's wording, without the snippet of file text Yams adds (it could hold a secret).
    private static func syntaxProblem(_ error: YamlError) -> (line: Int?, problem: String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let contextText = context.map { "\($0.text) at line \($0.mark.line), " } ?? ""
            return (mark.line, contextText + problem)
        case .reader(let problem, _, _, _):
            return (nil, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (
                context.mark.line, "a key appears twice in one mapping: \(duplicates.sorted().joined(separator: ", "))"
            )
        default:
            return (nil, "the text could not be parsed")
        }
    }
}
