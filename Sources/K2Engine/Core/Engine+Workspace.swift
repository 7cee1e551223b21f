// Where files are: the workspace folder of a path, and the secret rule.
import Foundation
import K2Workspace

extension Engine {
    /// The workspace folder that contains `path`; the file's own folder when none does.
    public func workspaceRoot(containing path: String) -> String {
        let roots = settings.workspaceRoots.sorted { $0.count > $1.count }
        if let root = roots.first(where: { WorkspacePaths.isInside(path, root: $0) }) { return root }
        let resolved = WorkspacePaths.realPath(path) ?? path
        if let root = roots.first(where: { WorkspacePaths.isInside(resolved, root: $0) }) { return root }
        return (path as NSString).deletingLastPathComponent
    }

    var secretFilter: SecretFilter { SecretFilter(extraPatterns: configuration.context.secretPatterns) }

    /// Refuses a file that is secret by its name or by the file its links lead to.
    func refuseSecretFile(path: String) throws {
        let root = workspaceRoot(containing: path)
        let relativePath = WorkspacePaths.relativePath(of: path, inside: root) ?? path
        if let pattern = secretFilter.secretPattern(relativePath: relativePath, root: root) {
            throw EngineError.refused(
                "\(relativePath) looks like a file with secrets (\(pattern)); k2lsp never sends it to a model or edits it.")
        }
    }
}
