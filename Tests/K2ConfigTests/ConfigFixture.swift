// A temporary home directory and workspace folders with configuration files, and one call to load them.
import Foundation
import K2Config

final class ConfigFixture {
    let root: String
    var home: String { root + "/home" }
    /// Where the user file lives when neither XDG_CONFIG_HOME nor K2_CONFIG is set.
    var defaultUserFile: String { home + "/.config/k2lsp/config.yaml" }

    init() throws {
        root = FileManager.default.temporaryDirectory.path + "/k2config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/home", withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Absolute path of a path relative to the fixture root.
    func path(_ relative: String) -> String {
        root + "/" + relative
    }

    /// Writes `text` at `relative` (creating folders) and returns the absolute path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let absolute = path(relative)
        try FileManager.default.createDirectory(
            atPath: (absolute as NSString).deletingLastPathComponent, withIntermediateDirectories: true
        )
        try text.write(toFile: absolute, atomically: true, encoding: .utf8)
        return absolute
    }

    func writeUserFile(_ text: String) throws {
        try write("home/.config/k2lsp/config.yaml", text)
    }

    /// Creates workspace folder `name` holding `.k2lsp.yaml` with `text` (or no file when nil); returns the folder.
    @discardableResult
    func workspace(_ name: String, _ text: String?) throws -> String {
        let folder = path("workspaces/\(name)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if let text { try write("workspaces/\(name)/.k2lsp.yaml", text) }
        return folder
    }

    func load(
        environment: [String: String] = [:], workspaces: [String] = [], editor: String? = nil,
        configOverride: String? = nil
    ) -> LoadedConfiguration {
        ConfigurationLoader(
            environment: environment, homeDirectory: home, workspaceFolders: workspaces, editorSettings: editor,
            userConfigPathOverride: configOverride
        ).load()
    }
}

extension LoadedConfiguration {
    /// The one-line descriptions of all diagnostics, for `contains` checks.
    var diagnosticLines: [String] { diagnostics.map(\.description) }
}
