// Turns an MCP tool's input schema into the plain JSON schema K2 handles well, keeping what it drops in words.
import AnyJSON

/// K2 wants simple schemas (k2-notes, "Tool calling"): no `format`, numeric or length bounds, `minItems`; enums of one
/// type. What is dropped is kept as words in the property's description, so the model still knows a limit; the
/// server still validates the real schema. `$ref`s into `$defs`/`definitions` are inlined, `anyOf`/`oneOf` with
/// `null` become the other branch, other unions their first branch (the rest named in the description).
enum MCPSchemaSimplifier {
    /// Deeper than this, a schema becomes a plain object or value: K2 gains nothing from deep nesting.
    static let maximumDepth = 8

    /// An object schema with `properties` (and `required` when the original had it).
    static func simplify(_ schema: JSONValue) -> JSONValue {
        let definitions = (schema["$defs"]?.objectValue ?? [:]).merging(schema["definitions"]?.objectValue ?? [:]) {
            first, _ in first
        }
        var simplified = simplifyNode(schema, definitions: definitions, depth: 0, resolving: [])
        guard case .object(var root) = simplified else {
            return ["type": "object", "properties": [:]]
        }
        root["type"] = "object"
        if root["properties"]?.objectValue == nil { root["properties"] = .object([:]) }
        simplified = .object(root)
        return simplified
    }

    private static let dropped: Set<String> = [
        "$schema", "$id", "$comment", "$defs", "definitions", "title", "examples", "readOnly", "writeOnly",
        "deprecated", "contentEncoding", "contentMediaType", "uniqueItems", "minProperties", "maxProperties",
        "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas", "if", "then", "else", "not",
    ]

    /// Constraints K2 should not see as schema, and how each reads in a description.
    private static let described: [(key: String, words: @Sendable (JSONValue) -> String)] = [
        ("format", { "format: \(text($0))" }),
        ("pattern", { "matching \(text($0))" }),
        ("minimum", { "at least \(text($0))" }),
        ("exclusiveMinimum", { "greater than \(text($0))" }),
        ("maximum", { "at most \(text($0))" }),
        ("exclusiveMaximum", { "less than \(text($0))" }),
        ("multipleOf", { "a multiple of \(text($0))" }),
        ("minLength", { "at least \(text($0)) characters" }),
        ("maxLength", { "at most \(text($0)) characters" }),
        ("minItems", { "at least \(text($0)) items" }),
        ("maxItems", { "at most \(text($0)) items" }),
        ("default", { "default: \(text($0))" }),
    ]

    private static func simplifyNode(
        _ node: JSONValue, definitions: [String: JSONValue], depth: Int, resolving: Set<String>
    ) -> JSONValue {
        guard case .object(var object) = node else { return .object([:]) }
        guard depth < maximumDepth else { return shallow(object) }
        var notes: [String] = []
        if let reference = object["$ref"]?.stringValue {
            let name = reference.split(separator: "/").last.map(String.init) ?? reference
            object["$ref"] = nil
            if let target = definitions[name]?.objectValue, !resolving.contains(name) {
                // The referring schema's own keys (a description, say) win over the definition's.
                object = target.merging(object) { _, own in own }
                return simplifyNode(
                    .object(object), definitions: definitions, depth: depth, resolving: resolving.union([name]))
            }
            return shallow(object)
        }
        for key in ["anyOf", "oneOf"] {
            guard let branches = object[key]?.arrayValue else { continue }
            object[key] = nil
            let useful = branches.filter { $0["type"]?.stringValue != "null" }
            guard let first = useful.first?.objectValue else { continue }
            if useful.count > 1 {
                let kinds = useful.dropFirst().compactMap { $0["type"]?.stringValue ?? $0["$ref"]?.stringValue }
                if !kinds.isEmpty { notes.append("also accepts: \(kinds.joined(separator: ", "))") }
            }
            object = first.merging(object) { _, own in own }
        }
        if let parts = object["allOf"]?.arrayValue {
            object["allOf"] = nil
            for part in parts {
                guard case .object(let resolved) = simplifyNode(
                    part, definitions: definitions, depth: depth + 1, resolving: resolving)
                else { continue }
                object = merged(object, resolved)
            }
        }
        if case .array(let types) = object["type"] {
            let named = types.compactMap(\.stringValue).filter { $0 != "null" }
            object["type"] = named.first.map(JSONValue.string)
            if named.count > 1 { notes.append("or \(named.dropFirst().joined(separator: " or "))") }
        }
        if let constant = object["const"] {
            object["const"] = nil
            object["enum"] = [constant]
        }
        if let choices = object["enum"]?.arrayValue {
            let kinds = Set(choices.map(kind))
            if kinds.count > 1 || kinds.contains("other") {
                object["enum"] = nil
                notes.append("one of: \(choices.map(text).joined(separator: ", "))")
            } else if object["type"] == nil, let only = kinds.first {
                object["type"] = .string(only)
            }
        }
        for (key, words) in described {
            guard let value = object[key] else { continue }
            object[key] = nil
            notes.append(words(value))
        }
        for key in dropped { object[key] = nil }
        if let properties = object["properties"]?.objectValue {
            var simplified: [String: JSONValue] = [:]
            for (name, property) in properties {
                simplified[name] = simplifyNode(
                    property, definitions: definitions, depth: depth + 1, resolving: resolving)
            }
            object["properties"] = .object(simplified)
            if object["type"] == nil { object["type"] = "object" }
        }
        if let items = object["items"] {
            let single = items.arrayValue?.first ?? items
            object["items"] = simplifyNode(single, definitions: definitions, depth: depth + 1, resolving: resolving)
        }
        if let additional = object["additionalProperties"], additional.boolValue == nil {
            object["additionalProperties"] = nil
        }
        if let required = object["required"], required.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
            object["required"] = nil
        }
        if !notes.isEmpty {
            let existing = object["description"]?.stringValue ?? ""
            let joined = notes.joined(separator: "; ")
            object["description"] = .string(existing.isEmpty ? "(\(joined))" : "\(existing) (\(joined))")
        }
        return .object(object)
    }

    /// What is left of a schema too deep (or too self-referential) to follow: its type and description.
    private static func shallow(_ object: [String: JSONValue]) -> JSONValue {
        var kept: [String: JSONValue] = [:]
        kept["type"] = object["type"]?.stringValue.map(JSONValue.string) ?? "object"
        if let description = object["description"] { kept["description"] = description }
        return .object(kept)
    }

    /// Two object schemas as one: properties and required lists combined, the first's other keys kept.
    private static func merged(_ first: [String: JSONValue], _ second: [String: JSONValue]) -> [String: JSONValue] {
        var result = second.merging(first) { _, own in own }
        let properties = (second["properties"]?.objectValue ?? [:]).merging(first["properties"]?.objectValue ?? [:]) {
            _, own in own
        }
        if !properties.isEmpty { result["properties"] = .object(properties) }
        let required = (first["required"]?.arrayValue ?? []) + (second["required"]?.arrayValue ?? [])
        if !required.isEmpty {
            var seen = Set<JSONValue>()
            result["required"] = .array(required.filter { seen.insert($0).inserted })
        }
        return result
    }

    private static func kind(_ value: JSONValue) -> String {
        switch value {
        case .string: "string"
        case .int: "integer"
        case .double: "number"
        case .bool: "boolean"
        default: "other"
        }
    }

    private static func text(_ value: JSONValue) -> String {
        value.stringValue ?? value.serialized()
    }
}
