// Files the agent may read but not write unless the user allows it: git metadata, k2lsp's own configuration, and
// editor and CI configuration that tools run or trust without review.

/// Decides which workspace-relative paths are protected from the agent's writes. Comparisons ignore ASCII case, since
/// a case-insensitive file system would otherwise let `.GIT/hooks` through.
public enum ProtectedPaths {
    /// A path with one of these as any component is protected (`.git/hooks/pre-commit`, `sub/.vscode/tasks.json`).
    public static let directoryNames: Set<String> = [".git", ".vscode", ".idea", ".zed", ".helix", ".fleet"]
    /// Files with one of these names, in any folder: k2lsp's workspace configuration and editor startup scripts.
    public static let fileNames: Set<String> = [".k2lsp.yaml", ".nvim.lua", ".nvimrc", ".exrc", ".envrc"]
    /// Paths at the workspace root that CI systems run: these and everything below them.
    public static let rootPrefixes: [String] = [".github/workflows", ".gitlab-ci.yml", ".circleci", ".buildkite"]

    /// The rule that protects `relativePath`, nil when it is not protected.
    public static func rule(for relativePath: String) -> String? {
        let lowered = String(decoding: relativePath.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        let components = lowered.split(separator: "/").map(String.init)
        for component in components.dropLast() where directoryNames.contains(component) { return component + "/" }
        if let last = components.last {
            if directoryNames.contains(last) { return last + "/" }
            if fileNames.contains(last) { return last }
        }
        for prefix in rootPrefixes where lowered == prefix || lowered.hasPrefix(prefix + "/") {
            return prefix.contains(".yml") ? prefix : prefix + "/"
        }
        return nil
    }
}
