// Keeps an untrusted `.k2lsp.yaml` from choosing where requests and keys go, from naming programs to start (MCP
// servers), or from loosening safety settings.

enum WorkspaceTrust {
    /// The workspace file's assignments without the ones it may not make; one warning names all that were dropped.
    static func filter(
        _ assignments: [ConfigAssignment], folder: String, isTrusted: Bool, userConfigDisplayPath: String,
        collector: inout DiagnosticCollector
    ) -> [ConfigAssignment] {
        var kept: [ConfigAssignment] = []
        var needTrust: [ConfigAssignment] = []
        var neverAllowed: [ConfigAssignment] = []
        var programs: [ConfigAssignment] = []
        var strippedApprovals: [String] = []
        for assignment in assignments {
            switch assignment.field.trust {
            case .anyone:
                kept.append(assignment)
            case .trustedWorkspaceOnly:
                if isTrusted { kept.append(assignment) } else { needTrust.append(assignment) }
            case .neverWorkspace:
                neverAllowed.append(assignment)
            case .workspaceMayOnlyDisable:
                if case .flag(true) = assignment.value {
                    neverAllowed.append(assignment)
                } else {
                    kept.append(assignment)
                }
            case .startsPrograms:
                guard isTrusted else {
                    programs.append(assignment)
                    continue
                }
                let (withoutApprovals, stripped) = withoutAutoApprove(assignment)
                kept.append(withoutApprovals)
                strippedApprovals += stripped
            }
        }
        if !strippedApprovals.isEmpty {
            let names = strippedApprovals.map { "'mcp_servers.\($0).auto_approve'" }.joined(separator: ", ")
            collector.warning(
                "mcp_servers", line: nil,
                "ignored \(names): only your user file or editor settings may let MCP tools run without asking")
        }
        let refused = needTrust + programs + neverAllowed
        guard let first = refused.first else { return kept }
        var sentences: [String] = []
        if !needTrust.isEmpty {
            sentences.append(
                "ignored \(keyList(needTrust)): a workspace file may not choose the server or the variable your API "
                    + "key is read from. If you trust this workspace, add '\(folder)' to trusted_workspaces in "
                    + "\(userConfigDisplayPath)"
            )
        }
        if !programs.isEmpty {
            sentences.append(
                "ignored \(keyList(programs)): a workspace file may not add or change MCP servers, which are "
                    + "programs k2lsp would start. If you trust this workspace, add '\(folder)' to trusted_workspaces "
                    + "in \(userConfigDisplayPath)"
            )
        }
        if !neverAllowed.isEmpty {
            sentences.append(
                "ignored \(keyList(neverAllowed)): only your user file or editor settings may set "
                    + (neverAllowed.count == 1 ? "it" : "them")
            )
        }
        collector.warning(
            refused.map(\.field.keyPath).joined(separator: ", "), line: first.line, sentences.joined(separator: "; ")
        )
        return kept
    }

    /// `trusted_workspaces` entries with `~` expanded; relative entries are dropped with a warning.
    static func expandingTrustedPaths(
        _ assignments: [ConfigAssignment], homeDirectory: String, collector: inout DiagnosticCollector
    ) -> [ConfigAssignment] {
        assignments.map { assignment in
            guard assignment.field.keyPath == "trusted_workspaces", case .textList(let paths) = assignment.value else {
                return assignment
            }
            var absolutePaths: [String] = []
            for path in paths {
                let expanded = ConfigPaths.expandingTilde(path, homeDirectory: homeDirectory)
                if expanded.hasPrefix("/") {
                    absolutePaths.append(ConfigPaths.canonical(expanded))
                } else {
                    collector.warning(
                        "trusted_workspaces", line: assignment.line,
                        "'trusted_workspaces' entry '\(path)' is ignored: "
                            + "write the folder as an absolute path or start it with ~/"
                    )
                }
            }
            return ConfigAssignment(
                field: assignment.field, value: .textList(absolutePaths), line: assignment.line,
                source: assignment.source
            )
        }
    }

    static func trustedFolders(in assignments: [ConfigAssignment]) -> Set<String> {
        var folders: Set<String> = []
        for assignment in assignments where assignment.field.keyPath == "trusted_workspaces" {
            if case .textList(let paths) = assignment.value { folders.formUnion(paths) }
        }
        return folders
    }

    /// A trusted workspace's servers, each without `auto_approve` (a workspace cannot vouch for its own tools), and
    /// the names of the servers that had one.
    private static func withoutAutoApprove(_ assignment: ConfigAssignment) -> (ConfigAssignment, [String]) {
        guard case .mcpServers(var servers) = assignment.value else { return (assignment, []) }
        var stripped: [String] = []
        for index in servers.indices where servers[index].autoApprove != .none {
            stripped.append(servers[index].name)
            servers[index].autoApprove = .none
        }
        let kept = ConfigAssignment(
            field: assignment.field, value: .mcpServers(servers), line: assignment.line, source: assignment.source)
        return (kept, stripped)
    }

    private static func keyList(_ assignments: [ConfigAssignment]) -> String {
        assignments.map { "'\($0.field.keyPath)'" }.joined(separator: ", ")
    }
}
