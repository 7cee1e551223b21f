// How to reach a configured server now: its `${VAR}`s expanded, its program found on PATH, its environment built.
import Foundation
import K2Config

enum MCPEndpoint: Sendable {
    case stdio(StdioLaunchPlan)
    case http(url: URL, headers: [String: String], secrets: Set<String>)

    /// Of k2lsp's environment, only these reach a server program (plus what its `env` sets), as the reference SDKs
    /// do: an MCP server has no business with K2_API_KEY or other credentials k2lsp happens to hold.
    static let inheritedVariables = [
        "HOME", "LOGNAME", "USER", "PATH", "SHELL", "TERM", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ",
        "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
        "no_proxy",
    ]

    /// - Parameters:
    ///   - environment: k2lsp's environment, for `${VAR}` and the inherited variables.
    ///   - workspaceRoot: the working directory when `cwd` is not set, and what a relative `cwd` is relative to.
    static func resolve(
        _ settings: MCPServerSettings, environment: [String: String], workspaceRoot: String
    ) throws(MCPStartFailure) -> MCPEndpoint {
        var expansion = MCPVariableExpansion(environment: environment)
        let key = "mcp_servers.\(settings.name)"
        switch settings.transport {
        case .legacySSE:
            throw .legacySSETransport
        case .http(let url, let headers):
            let expandedURL = try expansion.expand(url, in: "\(key).url")
            let expandedHeaders = try expansion.expand(headers, in: "\(key).headers")
            guard let parsed = URL(string: expandedURL), parsed.scheme == "http" || parsed.scheme == "https" else {
                throw .launchFailed(
                    command: MCPServerSettings.displayURL(url), reason: "the URL is not a valid http(s) URL")
            }
            // Header values are secrets whether or not they came from a variable.
            let secrets = expansion.substitutedValues.union(expandedHeaders.values.filter { $0.count >= 8 })
            return .http(url: parsed, headers: expandedHeaders, secrets: secrets)
        case .stdio(let command, let arguments, let serverEnvironment, let workingDirectory):
            let expandedCommand = try expansion.expand(command, in: "\(key).command")
            let expandedArguments = try expansion.expand(arguments, in: "\(key).args")
            let expandedEnvironment = try expansion.expand(serverEnvironment, in: "\(key).env")
            var directory = workspaceRoot
            if let workingDirectory {
                let expanded = try expansion.expand(workingDirectory, in: "\(key).cwd")
                directory = absolute(expanded, base: workspaceRoot, home: environment["HOME"])
            }
            var programEnvironment: [String: String] = [:]
            for name in inheritedVariables { programEnvironment[name] = environment[name] }
            programEnvironment.merge(expandedEnvironment) { _, own in own }
            let executable = try locate(expandedCommand, path: programEnvironment["PATH"], directory: directory)
            let secrets = expansion.substitutedValues.union(expandedEnvironment.values.filter { $0.count >= 8 })
            return .stdio(
                StdioLaunchPlan(
                    executable: executable, arguments: expandedArguments, environment: programEnvironment,
                    workingDirectory: directory, secrets: secrets))
        }
    }

    /// A command with a slash is a path (relative to the working directory); one without is looked up on PATH.
    static func locate(_ command: String, path: String?, directory: String) throws(MCPStartFailure) -> String {
        if command.contains("/") {
            let candidate = absolute(command, base: directory, home: nil)
            guard FileManager.default.isExecutableFile(atPath: candidate) else { throw .commandNotFound(command: command) }
            return candidate
        }
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .commandNotFound(command: command)
    }

    private static func absolute(_ path: String, base: String, home: String?) -> String {
        if let home, path == "~" || path.hasPrefix("~/") { return home + path.dropFirst() }
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }
}
