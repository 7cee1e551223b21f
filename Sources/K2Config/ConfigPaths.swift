// Where the configuration files live, and how paths are expanded, compared and shown.
import Foundation

enum ConfigPaths {
    static let workspaceFileName = ".k2lsp.yaml"

    /// The user file and, when someone named it explicitly, who (a missing named file is an error; a missing
    /// default one is normal). Order: `--config`, `$K2_CONFIG`, `$XDG_CONFIG_HOME/k2lsp/config.yaml`,
    /// `~/.config/k2lsp/config.yaml`.
    static func userConfig(
        override: String?, environment: [String: String], homeDirectory: String
    ) -> (path: String, namedBy: String?) {
        if let override, !override.isEmpty {
            return (absolute(override, homeDirectory: homeDirectory), "--config")
        }
        if let named = environment.nonEmpty(EnvironmentName.configFile) {
            return (absolute(named, homeDirectory: homeDirectory), "$\(EnvironmentName.configFile)")
        }
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        let configHome =
            environment.nonEmpty(EnvironmentName.xdgConfigHome).flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (homeDirectory as NSString).appendingPathComponent(".config")
        return (
            ((configHome as NSString).appendingPathComponent("k2lsp") as NSString).appendingPathComponent(
                "config.yaml"), nil
        )
    }

    static func workspaceFile(in folder: String) -> String {
        (folder as NSString).appendingPathComponent(workspaceFileName)
    }

    static func expandingTilde(_ path: String, homeDirectory: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return (homeDirectory as NSString).appendingPathComponent(String(path.dropFirst(2))) }
        return path
    }

    /// `~` expanded; a relative path is taken from the current directory (the CLI's `--config`).
    static func absolute(_ path: String, homeDirectory: String) -> String {
        let expanded = expandingTilde(path, homeDirectory: homeDirectory)
        if expanded.hasPrefix("/") { return expanded }
        return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
    }

    /// For comparing folders: `..`, `.`, trailing slashes and symbolic links resolved.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// `/home/ann/.config/k2lsp/config.yaml` shown as `~/.config/k2lsp/config.yaml`.
    static func abbreviated(_ path: String, homeDirectory: String) -> String {
        let home = homeDirectory.hasSuffix("/") ? String(homeDirectory.dropLast()) : homeDirectory
        guard !home.isEmpty else { return path }
        if path == home { return "~" }
        if path.hasPrefix(home + "/") { return "~" + path.dropFirst(home.count) }
        return path
    }
}
