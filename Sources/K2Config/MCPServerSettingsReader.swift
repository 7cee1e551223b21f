// Reads MCP server definitions: `mcp_servers` in YAML, and the common JSON form (`{"mcpServers": {…}}`) other tools write.
import Yams

enum MCPServerSettingsReader {
    /// Which spelling a document uses. The YAML form is ours (unknown keys are warned about); the JSON form is
    /// Claude's, Cursor's, VS Code's or Cline's, whose extra keys are none of our business.
    enum Form {
        case yaml
        case json
    }

    /// A mapping of server names to definitions. A server with a problem is left out with an error naming it; the
    /// others are kept. Messages name keys, never values (a header or an env entry may be a token).
    static func readServers(
        _ node: Node, keyPath: String, form: Form, collector: inout DiagnosticCollector
    ) -> [MCPServerSettings]? {
        if ConfigValueReader.isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a mapping of server names to servers, like 'notes: { command: python3, args: [notes.py] }' (got \(ConfigValueReader.describe(node)))"
            )
            return nil
        }
        var servers: [MCPServerSettings] = []
        for (nameNode, serverNode) in mapping {
            guard let name = ConfigValueReader.nonNullScalarText(nameNode), !name.isEmpty else {
                collector.error(keyPath, line: nameNode.mark?.line, "'\(keyPath)' has a server without a name")
                continue
            }
            if let server = readServer(
                serverNode, name: name, keyPath: "\(keyPath).\(name)", form: form, collector: &collector)
            {
                servers.append(server)
            }
        }
        return servers
    }

    /// A JSON (or YAML) file in the common form: the servers under `mcpServers` (Claude, Cursor, Cline), `servers`
    /// (VS Code) or `mcp_servers`.
    static func readFile(_ root: Node, collector: inout DiagnosticCollector) -> [MCPServerSettings] {
        guard case .mapping(let mapping) = root else {
            collector.error(
                "", line: root.mark?.line,
                "an MCP servers file must be a JSON object like {\"mcpServers\": {\"notes\": {\"command\": \"python3\"}}}")
            return []
        }
        for key in ["mcpServers", "servers", "mcp_servers"] {
            if let servers = mapping[key] {
                return readServers(servers, keyPath: key, form: .json, collector: &collector) ?? []
            }
        }
        collector.error(
            "", line: root.mark?.line,
            "this file has no \"mcpServers\" object; write the servers as {\"mcpServers\": {\"NAME\": {\"command\": …}}}")
        return []
    }

    private static let yamlKeys = [
        "command", "args", "env", "cwd", "url", "headers", "type", "auto_approve", "enabled", "timeout",
        "startup_timeout",
    ]

    private static func readServer(
        _ node: Node, name: String, keyPath: String, form: Form, collector: inout DiagnosticCollector
    ) -> MCPServerSettings? {
        let line = node.mark?.line
        guard case .mapping(let mapping) = node else {
            collector.error(
                keyPath, line: line,
                "'\(keyPath)' must be a mapping with 'command' (a program to start) or 'url' (got \(ConfigValueReader.describe(node)))"
            )
            return nil
        }
        var fields: [String: Node] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = ConfigValueReader.nonNullScalarText(keyNode) else { continue }
            let canonical = canonicalKey(key, form: form)
            if let canonical {
                fields[canonical] = valueNode
            } else if form == .yaml {
                UnknownKeyReporter.report(
                    keyPath: "\(keyPath).\(key)", key: key, siblings: yamlKeys, line: keyNode.mark?.line,
                    collector: &collector)
            }
        }
        var problems = DiagnosticCollector(origin: collector.origin)
        let command = fields["command"].flatMap { text($0, "\(keyPath).command", &problems) }
        let url = fields["url"].flatMap { text($0, "\(keyPath).url", &problems) }
        let type = fields["type"].flatMap { text($0, "\(keyPath).type", &problems) }?.lowercased()
        let headers = fields["headers"].flatMap { textMapping($0, "\(keyPath).headers", &problems) } ?? [:]
        let transport: MCPServerSettings.Transport?
        switch (command, url) {
        case (let command?, nil):
            if let type, type != "stdio" {
                problems.error(
                    "\(keyPath).type", line: line,
                    "'\(keyPath)' has a 'command', so its type is stdio; remove 'type' or give a 'url' instead")
            }
            let arguments = fields["args"].flatMap { textList($0, "\(keyPath).args", &problems) } ?? []
            let environment = fields["env"].flatMap { textMapping($0, "\(keyPath).env", &problems) } ?? [:]
            let directory = fields["cwd"].flatMap { text($0, "\(keyPath).cwd", &problems) }
            transport = .stdio(
                command: command, arguments: arguments, environment: environment, workingDirectory: directory)
        case (nil, let url?):
            if !ConfigValueReader.isHTTPURL(url) {
                problems.error(
                    "\(keyPath).url", line: line, "'\(keyPath).url' must be an http:// or https:// URL")
            }
            switch type {
            case nil, "http", "streamable-http", "streamablehttp", "streamable_http":
                transport = .http(url: url, headers: headers)
            case "sse":
                transport = .legacySSE(url: url, headers: headers)
            default:
                problems.error(
                    "\(keyPath).type", line: line, "'\(keyPath).type' must be http (streamable HTTP) or sse")
                transport = nil
            }
        case (nil, nil):
            problems.error(
                keyPath, line: line,
                "'\(keyPath)' needs 'command' (a program k2lsp starts) or 'url' (a streamable HTTP endpoint)")
            transport = nil
        case (_?, _?):
            problems.error(keyPath, line: line, "'\(keyPath)' has both 'command' and 'url'; keep one")
            transport = nil
        }
        let autoApprove = fields["auto_approve"].flatMap { readAutoApprove($0, "\(keyPath).auto_approve", &problems) }
        var enabled = fields["enabled"].flatMap { flag($0, "\(keyPath).enabled", &problems) } ?? true
        if let disabled = fields["disabled"].flatMap({ flag($0, "\(keyPath).disabled", &problems) }), disabled {
            enabled = false
        }
        let callTimeout = fields["timeout"].flatMap { seconds($0, "\(keyPath).timeout", &problems) }
        let startupTimeout = fields["startup_timeout"].flatMap { seconds($0, "\(keyPath).startup_timeout", &problems) }
        let failed = problems.diagnostics.contains { $0.severity == .error }
        collector.diagnostics += problems.diagnostics
        guard let transport, !failed else { return nil }
        return MCPServerSettings(
            name: name, transport: transport, autoApprove: autoApprove ?? .none, enabled: enabled,
            callTimeoutSeconds: callTimeout ?? MCPServerSettings.defaultCallTimeoutSeconds,
            startupTimeoutSeconds: startupTimeout ?? MCPServerSettings.defaultStartupTimeoutSeconds)
    }

    /// Our key for a key as either form spells it; nil for a key we do not read.
    private static func canonicalKey(_ key: String, form: Form) -> String? {
        if yamlKeys.contains(key) { return key }
        guard form == .json else { return nil }
        switch key {
        case "autoApprove", "alwaysAllow": return "auto_approve"
        case "disabled": return "disabled"
        case "startupTimeout": return "startup_timeout"
        case "transport", "transportType": return "type"
        default: return nil
        }
    }

    private static func readAutoApprove(
        _ node: Node, _ keyPath: String, _ collector: inout DiagnosticCollector
    ) -> MCPServerSettings.AutoApprove? {
        if case .scalar = node, node.tag.rawValue == Tag.Name.bool.rawValue, let flag = node.bool {
            return flag ? .all : MCPServerSettings.AutoApprove.none
        }
        if let names = ConfigValueReader.textList(node) {
            return names.isEmpty ? MCPServerSettings.AutoApprove.none : .tools(names)
        }
        collector.error(
            keyPath, line: node.mark?.line,
            "'\(keyPath)' must be true (every tool of the server) or a list of tool names (got \(ConfigValueReader.describe(node)))"
        )
        return nil
    }

    private static func text(_ node: Node, _ keyPath: String, _ collector: inout DiagnosticCollector) -> String? {
        guard let text = ConfigValueReader.nonNullScalarText(node), !text.isEmpty else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a non-empty string (got \(ConfigValueReader.describe(node)))")
            return nil
        }
        return text
    }

    private static func textList(_ node: Node, _ keyPath: String, _ collector: inout DiagnosticCollector) -> [String]? {
        guard let list = ConfigValueReader.textList(node) else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a list of strings (got \(ConfigValueReader.describe(node)))")
            return nil
        }
        return list
    }

    private static func textMapping(
        _ node: Node, _ keyPath: String, _ collector: inout DiagnosticCollector
    ) -> [String: String]? {
        if ConfigValueReader.isNull(node) { return [:] }
        guard case .mapping(let mapping) = node else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a mapping of names to strings (got \(ConfigValueReader.describe(node)))")
            return nil
        }
        var values: [String: String] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = ConfigValueReader.nonNullScalarText(keyNode),
                let value = ConfigValueReader.nonNullScalarText(valueNode)
            else {
                collector.error(
                    keyPath, line: valueNode.mark?.line,
                    "every entry of '\(keyPath)' must be NAME: text (got \(ConfigValueReader.describe(valueNode)))")
                return nil
            }
            values[key] = value
        }
        return values
    }

    private static func flag(_ node: Node, _ keyPath: String, _ collector: inout DiagnosticCollector) -> Bool? {
        guard case .scalar = node, node.tag.rawValue == Tag.Name.bool.rawValue, let flag = node.bool else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be true or false (got \(ConfigValueReader.describe(node)))")
            return nil
        }
        return flag
    }

    private static func seconds(_ node: Node, _ keyPath: String, _ collector: inout DiagnosticCollector) -> Double? {
        let isNumber =
            node.tag.rawValue == Tag.Name.int.rawValue || node.tag.rawValue == Tag.Name.float.rawValue
        guard case .scalar = node, isNumber, let value = node.float, value > 0, value <= 86_400 else {
            collector.error(
                keyPath, line: node.mark?.line,
                "'\(keyPath)' must be a number of seconds greater than 0 (got \(ConfigValueReader.describe(node)))")
            return nil
        }
        return value
    }
}
