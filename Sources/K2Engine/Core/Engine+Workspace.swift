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
        if let reason = secretFileRefusal(relativePath: relativePath, workspace: root) { throw EngineError.refused(reason) }
    }

    /// Why a workspace file may not be sent or edited, nil when it may: the request's file and each file a reply names
    /// (as the reply spelled it, relative to `workspace`). `SecretFilter.secretPattern` decides, on the name and on
    /// where its links lead.
    func secretFileRefusal(relativePath: String, workspace: String) -> String? {
        guard let pattern = secretFilter.secretPattern(relativePath: relativePath, root: workspace) else { return nil }
        return "\(relativePath) looks like a file with secrets (\(pattern)); k2lsp never sends it to a model or edits it."
    }
}
