// Keeps an untrusted `.k2lsp.yaml` from choosing where requests and keys go, or from loosening safety settings.

enum WorkspaceTrust {
    /// The workspace file's assignments without the ones it may not make; one warning names all that were dropped.
    static func filter(
        _ assignments: [ConfigAssignment], folder: String, isTrusted: Bool, userConfigDisplayPath: String,
        collector: inout DiagnosticCollector
    ) -> [ConfigAssignment] {
        var kept: [ConfigAssignment] = []
        var needTrust: [ConfigAssignment] = []
        var neverAllowed: [ConfigAssignment] = []
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
            }
        }
        let refused = needTrust + neverAllowed
        guard let first = refused.first else { return kept }
        var sentences: [String] = []
        if !needTrust.isEmpty {
            sentences.append(
                "ignored \(keyList(needTrust)): a workspace file may not choose the server or the variable your API "
                    + "key is read from. If you trust this workspace, add '\(folder)' to trusted_workspaces in "
                    + "\(userConfigDisplayPath)"
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

    private static func keyList(_ assignments: [ConfigAssignment]) -> String {
        assignments.map { "'\($0.field.keyPath)'" }.joined(separator: ", ")
    }
}
