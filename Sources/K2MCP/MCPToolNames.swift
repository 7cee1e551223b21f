// The names MCP tools reach the model under: `mcp__<server>__<tool>`, valid for K2, unique, and the same every run.
import K2Workspace

/// One tool of one server, as configured and as listed.
struct MCPToolKey: Sendable, Hashable, Comparable {
    var server: String
    var tool: String

    /// Byte order of the server, then the tool: the same on every machine and in every run.
    static func < (left: MCPToolKey, right: MCPToolKey) -> Bool {
        if !left.server.utf8.elementsEqual(right.server.utf8) {
            return left.server.utf8.lexicographicallyPrecedes(right.server.utf8)
        }
        return left.tool.utf8.lexicographicallyPrecedes(right.tool.utf8)
    }
}

/// K2's rule for tool names is `^[a-zA-Z_][a-zA-Z0-9_-]{2,63}$`. Every name here starts with `mcp__`, so only the
/// characters and the length need care. A name depends only on its own server and tool, except when two tools
/// would get the same name: then the one spelled exactly as the model sees it (else the first in byte order of
/// server, then tool) keeps it and the other gets a suffix made from a hash of its real names.
enum MCPToolNames {
    static let prefix = "mcp__"
    static let separator = "__"
    static let maximumLength = 64
    /// `_` and six hex digits.
    private static let suffixLength = 7

    /// The model-facing name of each key, in the order given.
    static func assign(_ keys: [MCPToolKey]) -> [String] {
        let bases = keys.map(baseName)
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        var owner: [String: Int] = [:]
        for index in order {
            guard let current = owner[bases[index]] else {
                owner[bases[index]] = index
                continue
            }
            if isExact(keys[index]) && !isExact(keys[current]) { owner[bases[index]] = index }
        }
        var names = bases
        var taken = Set(owner.keys)
        for index in order where owner[bases[index]] != index {
            var attempt = 0
            var name = suffixed(bases[index], key: keys[index], attempt: attempt)
            while taken.contains(name) {
                attempt += 1
                name = suffixed(bases[index], key: keys[index], attempt: attempt)
            }
            taken.insert(name)
            names[index] = name
        }
        return names
    }

    /// Characters outside `[A-Za-z0-9_-]` become `_`; nothing becomes `_`.
    static func sanitized(_ text: String) -> String {
        let scalars = text.unicodeScalars.map { scalar -> Character in
            let allowed =
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "_" || scalar == "-"
            return allowed ? Character(scalar) : "_"
        }
        return scalars.isEmpty ? "_" : String(scalars)
    }

    private static func baseName(_ key: MCPToolKey) -> String {
        let name = prefix + sanitized(key.server) + separator + sanitized(key.tool)
        guard name.count > maximumLength else { return name }
        return suffixed(name, key: key, attempt: 0)
    }

    private static func isExact(_ key: MCPToolKey) -> Bool {
        let name = prefix + key.server + separator + key.tool
        return name.count <= maximumLength && sanitized(key.server) == key.server && sanitized(key.tool) == key.tool
    }

    private static func suffixed(_ base: String, key: MCPToolKey, attempt: Int) -> String {
        let seed = key.server + "\u{0}" + key.tool + (attempt == 0 ? "" : "\u{0}\(attempt)")
        let hash = SHA256.hexDigest(Array(seed.utf8)).prefix(suffixLength - 1)
        return String(base.prefix(maximumLength - suffixLength)) + "_" + hash
    }
}
