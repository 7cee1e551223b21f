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

    func refuseSecretFile(relativePath: String) throws {
        if let reason = secretFileRefusal(relativePath: relativePath) { throw EngineError.refused(reason) }
    }

    /// Why a workspace file may not be sent or edited, nil when it may. The one secret-file rule for every path an
    /// edit touches: the request's file and each file a reply names (given as the reply spelled it, relative to the
    /// workspace; `resolvedPath` is where it leads, symlinks followed).
    func secretFileRefusal(relativePath: String, resolvedPath: String? = nil, workspace: String? = nil) -> String? {
        var candidates = [relativePath]
        if let resolvedPath, let workspace,
            let resolvedRelative = WorkspacePaths.relativePath(
                of: resolvedPath, inside: WorkspacePaths.realPath(workspace) ?? workspace)
        {
            candidates.append(resolvedRelative)
        }
        for candidate in candidates {
            if let pattern = secretFilter.matchingPattern(relativePath: candidate) {
                return "\(relativePath) looks like a file with secrets (\(pattern)); k2lsp never sends it to a model or edits it."
            }
        }
        return nil
    }
}
