// `${VAR}` and `${VAR:-default}` in MCP server settings, expanded from k2lsp's environment when a server starts.

/// Expands references in one value. The values that came from the environment are collected, so that the log can
/// blank them out of whatever the server writes to stderr; the expanded text itself is never logged.
struct MCPVariableExpansion {
    let environment: [String: String]
    /// The values substituted so far (each at least 8 characters: shorter ones are not worth redacting and would
    /// garble the log).
    private(set) var substitutedValues: Set<String> = []

    init(environment: [String: String]) {
        self.environment = environment
    }

    /// The value with every `${NAME}` replaced; `${NAME:-fallback}` uses the fallback when NAME is unset or empty.
    /// A `$` not followed by `{` is kept, and `$${` writes a literal `${`.
    /// - Throws: `MCPStartFailure.missingVariable` naming the first unset variable without a fallback.
    mutating func expand(_ value: String, in field: String) throws(MCPStartFailure) -> String {
        guard value.contains("${") else { return value }
        var result = ""
        var rest = Substring(value)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let afterDollar = rest.index(after: dollar)
            if rest[afterDollar...].hasPrefix("${") {
                result += "${"
                rest = rest[rest.index(afterDollar, offsetBy: 2)...]
                continue
            }
            guard rest[afterDollar...].hasPrefix("{"), let close = rest[afterDollar...].firstIndex(of: "}") else {
                result.append("$")
                rest = rest[afterDollar...]
                continue
            }
            let reference = rest[rest.index(after: afterDollar)..<close]
            let (name, fallback) = Self.split(reference)
            if let found = environment[name], !found.isEmpty {
                result += found
                if found.count >= 8 { substitutedValues.insert(found) }
            } else if let fallback {
                result += fallback
            } else {
                throw .missingVariable(name: name, field: field)
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    mutating func expand(_ values: [String], in field: String) throws(MCPStartFailure) -> [String] {
        var expanded: [String] = []
        for value in values { expanded.append(try expand(value, in: field)) }
        return expanded
    }

    mutating func expand(_ values: [String: String], in field: String) throws(MCPStartFailure) -> [String: String] {
        var expanded: [String: String] = [:]
        for (key, value) in values { expanded[key] = try expand(value, in: "\(field).\(key)") }
        return expanded
    }

    private static func split(_ reference: Substring) -> (name: String, fallback: String?) {
        guard let marker = reference.range(of: ":-") else { return (String(reference), nil) }
        return (String(reference[..<marker.lowerBound]), String(reference[marker.upperBound...]))
    }
}
