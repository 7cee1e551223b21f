// Checks a tool call's arguments against the tool's simple JSON schema and hands out typed values.
import AnyJSON
import K2Provider

/// The arguments of one call, checked against a schema of the shape K2 handles well: an object whose properties
/// are strings, integers or booleans, some of them required, no others allowed.
public struct ToolArguments: Sendable {
    public let values: [String: JSONValue]

    /// Validates `arguments` against `definition.parameters`; the error names the field and what was expected.
    public init(_ arguments: JSONValue, for definition: ToolDefinition) throws(ToolError) {
        let tool = definition.name
        guard case .object(let object) = arguments else {
            throw ToolError("\(tool) takes a JSON object of arguments, not \(Self.kind(of: arguments)).")
        }
        let properties = definition.parameters["properties"]?.objectValue ?? [:]
        let required = definition.parameters["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let allowed = properties.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        for name in object.keys.sorted() where properties[name] == nil {
            throw ToolError("\(tool) has no argument \"\(name)\"; its arguments are \(allowed).")
        }
        for name in required where object[name] == nil || object[name] == .null {
            throw ToolError("\(tool) needs the argument \"\(name)\".")
        }
        var values: [String: JSONValue] = [:]
        for (name, value) in object where value != .null {
            let expected = properties[name]?["type"]?.stringValue ?? "string"
            guard Self.matches(value, type: expected) else {
                throw ToolError("\(tool): \"\(name)\" must be \(Self.article(expected)), not \(Self.kind(of: value)).")
            }
            values[name] = value
        }
        self.values = values
    }

    public func string(_ name: String) -> String? { values[name]?.stringValue }
    public func integer(_ name: String) -> Int? { values[name]?.intValue }
    public func bool(_ name: String) -> Bool? { values[name]?.boolValue }

    /// A required string (the schema check guarantees it is there).
    public func requiredString(_ name: String) -> String { values[name]?.stringValue ?? "" }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch type {
        case "string": return value.stringValue != nil
        case "integer": return value.intValue != nil
        case "number": return value.doubleValue != nil
        case "boolean": return value.boolValue != nil
        case "array": return value.arrayValue != nil
        case "object": return value.objectValue != nil
        default: return true
        }
    }

    private static func article(_ type: String) -> String {
        type == "integer" || type == "array" || type == "object" ? "an \(type)" : "a \(type)"
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
