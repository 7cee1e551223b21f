// The typed values a configuration key can hold, and how a YAML node becomes one (or a diagnostic).
import K2Models
import Yams

/// A value read for one key, before it lands in `K2Configuration`.
enum ConfigValue: Sendable, Hashable {
    case text(String)
    case optionalText(String?)
    case flag(Bool)
    case count(Int)
    case optionalCount(Int?)
    case textList([String])
    case rules([RoutingRule])
    case models([ModelOverride])
    case profile(Profile)
    case preset(Preset)
    case mcpServers([MCPServerSettings])
}

/// What a key accepts; each kind knows how to read a node and how to word a type error.
enum ConfigValueKind: Sendable {
    /// Any scalar but null, taken as written (a model id like `1.5` stays text).
    case text
    /// An `http://` or `https://` URL; a trailing slash is dropped.
    case url
    /// The NAME of an environment variable, or null for "no key".
    case environmentVariableName
    case flag
    case count(minimum: Int)
    /// A count or null ("use the default").
    case optionalCount(minimum: Int)
    case textList
    case rules
    /// The `models:` catalog section.
    case models
    case profile
    case preset
    /// A mapping of MCP server names to servers (`MCPServerSettingsReader`).
    case mcpServers
}

/// Reads nodes into values. Messages never repeat a value that could be a secret: only enum choices are echoed.
enum ConfigValueReader {
    static func read(
        _ node: Node, as kind: ConfigValueKind, keyPath: String, collector: inout DiagnosticCollector
    ) -> ConfigValue? {
        let line = node.mark?.line
        func fail(_ message: String) -> ConfigValue? {
            collector.error(keyPath, line: line, message)
            return nil
        }
        switch kind {
        case .text:
            guard let text = nonNullScalarText(node) else {
                return fail("'\(keyPath)' must be a string (got \(describe(node)))")
            }
            return .text(text)
        case .url:
            guard let text = nonNullScalarText(node) else {
                return fail("'\(keyPath)' must be a string (got \(describe(node)))")
            }
            guard isHTTPURL(text) else {
                return fail("'\(keyPath)' must be an http:// or https:// URL such as https://api.moonshot.ai/v1")
            }
            return .text(normalizedURL(text))
        case .environmentVariableName:
            if isNull(node) { return .optionalText(nil) }
            guard let text = nonNullScalarText(node) else {
                return fail("'\(keyPath)' must be the name of an environment variable (got \(describe(node)))")
            }
            guard isEnvironmentVariableName(text) else {
                return fail(
                    "'\(keyPath)' must be the NAME of an environment variable (like K2_API_KEY), not the key itself; "
                        + "put the key in that variable"
                )
            }
            return .optionalText(text)
        case .flag:
            guard isScalar(node, tagged: .bool), let flag = node.bool else {
                return fail("'\(keyPath)' must be true or false (got \(describe(node)))")
            }
            return .flag(flag)
        case .count(let minimum):
            guard let count = wholeNumber(node), count >= minimum else {
                return fail("'\(keyPath)' must be a whole number of at least \(minimum) (got \(describe(node)))")
            }
            return .count(count)
        case .optionalCount(let minimum):
            if isNull(node) { return .optionalCount(nil) }
            guard let count = wholeNumber(node), count >= minimum else {
                return fail(
                    "'\(keyPath)' must be null or a whole number of at least \(minimum) (got \(describe(node)))"
                )
            }
            return .optionalCount(count)
        case .textList:
            guard let list = textList(node) else {
                return fail("'\(keyPath)' must be a list of strings (got \(describe(node)))")
            }
            return .textList(list)
        case .rules:
            return RoutingRuleReader.read(node, keyPath: keyPath, collector: &collector).map(ConfigValue.rules)
        case .models:
            return ModelCatalogReader.read(node, keyPath: keyPath, collector: &collector).map(ConfigValue.models)
        case .profile:
            return choice(node, keyPath: keyPath, collector: &collector).map(ConfigValue.profile)
        case .preset:
            return choice(node, keyPath: keyPath, collector: &collector).map(ConfigValue.preset)
        case .mcpServers:
            return MCPServerSettingsReader.readServers(node, keyPath: keyPath, form: .yaml, collector: &collector)
                .map(ConfigValue.mcpServers)
        }
    }

    /// A value of a `String`-backed enum; the error lists what is allowed.
    static func choice<Choice: RawRepresentable & CaseIterable>(
        _ node: Node, keyPath: String, collector: inout DiagnosticCollector
    ) -> Choice? where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = nonNullScalarText(node) else {
            collector.error(
                keyPath, line: node.mark?.line, "'\(keyPath)' must be one of \(allowed) (got \(describe(node)))")
            return nil
        }
        guard let value = Choice(rawValue: text) else {
            collector.error(
                keyPath, line: node.mark?.line, "'\(keyPath)' must be one of \(allowed) (got '\(text.prefix(40))')"
            )
            return nil
        }
        return value
    }

    /// Like `choice`, for text that did not come from YAML (environment variables).
    static func choice<Choice: RawRepresentable & CaseIterable>(
        _ text: String, keyPath: String, variable: String, collector: inout DiagnosticCollector
    ) -> Choice? where Choice.RawValue == String {
        guard let value = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            collector.error(keyPath, line: nil, "$\(variable) must be one of \(allowed) (got '\(text.prefix(40))')")
            return nil
        }
        return value
    }

    static func isNull(_ node: Node) -> Bool {
        isScalar(node, tagged: .null)
    }

    static func nonNullScalarText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, !isNull(node) else { return nil }
        return scalar.string
    }

    /// null is read as an empty list: `ignore_files:` with nothing after it clears the list.
    static func textList(_ node: Node) -> [String]? {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else { return nil }
        var texts: [String] = []
        for item in sequence {
            guard let text = nonNullScalarText(item) else { return nil }
            texts.append(text)
        }
        return texts
    }

    /// "a list", "a string", "nothing": what the user wrote, in words, never the value itself.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            if isNull(node) { return "nothing" }
            if isScalar(node, tagged: .bool) { return "true/false" }
            if isScalar(node, tagged: .int) { return "a whole number" }
            if isScalar(node, tagged: .float) { return "a decimal number" }
            return "a string"
        }
    }

    static func isEnvironmentVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || isASCIILetter(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || isASCIILetter($0) || ("0"..."9").contains($0) }
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isScalar(_ node: Node, tagged name: Tag.Name) -> Bool {
        guard case .scalar = node else { return false }
        return node.tag.rawValue == name.rawValue
    }

    private static func wholeNumber(_ node: Node) -> Int? {
        guard isScalar(node, tagged: .int) else { return nil }
        return node.int
    }

    static func isHTTPURL(_ text: String) -> Bool {
        (text.hasPrefix("http://") || text.hasPrefix("https://")) && !text.contains(where: \.isWhitespace)
    }

    /// Without trailing slashes, so `base_url + "/chat/completions"` is always right.
    static func normalizedURL(_ text: String) -> String {
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/"), !trimmed.hasSuffix("://") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
