// The agent's prompts: a system prompt that never changes (prefix caching) and the first user message.
import Foundation
import K2Context
import K2Workspace

public enum AgentPrompt {
    /// Byte-identical across runs and workspaces, so that providers cache it with the tool list after it.
    public static let systemPrompt = """
        You are K2, an expert software engineer working as an agent inside the user's editor through k2lsp. You \
        complete the user's task by calling tools on their workspace, over as many steps as the task needs.

        Rules:
        - Paths are relative to the workspace root, like src/main.swift. Absolute paths, paths that leave the \
        workspace and secret files (.env, keys, credentials) are refused.
        - Look before you change: find and read the code with list_files, search and read_file. Never guess what a \
        file contains.
        - edit_file replaces old_text with new_text. old_text must be copied exactly from the file as read_file \
        shows it, indentation included, and must match exactly one place; include a few surrounding lines when \
        needed. Keep each edit small and use several edit_file calls for several places.
        - write_file creates a new file or replaces a whole file.
        - Nothing is saved while you work: read_file and search already show your changes, and the user reviews and \
        applies all of them at the end, all or nothing.
        - Keep the project's style and change only what the task needs.
        - There is no shell, build, test or network tool.
        - When a tool reports an error, correct the call instead of repeating it.
        - When the task is done, stop calling tools and reply with a short summary of what you changed (each file \
        and what changed in it), or why you changed nothing.
        """

    /// How the system prompt says when changes are saved, for each delivery (the rest is the same, byte for byte).
    static let reviewedAtTheEnd = """
        - Nothing is saved while you work: read_file and search already show your changes, and the user reviews and \
        applies all of them at the end, all or nothing.
        """
    static let savedAsMade = """
        - Each change is saved to the file when you make it; the user may be asked to approve it first. A change the \
        user rejects comes back as an error: do not make it again, but ask the user or take another approach. \
        read_file and search show your changes.
        """

    /// The system prompt for a run whose changes are delivered this way.
    public static func systemPrompt(for delivery: AgentChangeDelivery) -> String {
        switch delivery {
        case .atTheEnd: systemPrompt
        case .asMade: systemPrompt.replacingOccurrences(of: reviewedAtTheEnd, with: savedAsMade)
        }
    }

    /// Characters of one attachment's text sent in the first message; the agent reads more with its tools.
    static let attachmentCharacterLimit = 40_000

    /// `max_tokens` per turn on K2 Thinking: its reasoning shares the budget with the reply (k2-notes: 16k–32k).
    public static let thinkingMaxTokens = 32_768
    /// The current-document context in the first message stays this small; the agent reads the rest with tools.
    public static let contextTokenCap = 12_000

    /// Where the user is, when the request names a document.
    public struct Location: Sendable, Hashable {
        public var relativePath: String
        public var languageID: String
        /// 1-based, inclusive; equal for a cursor.
        public var firstLine: Int
        public var lastLine: Int
        public var hasSelection: Bool

        public init(relativePath: String, languageID: String, firstLine: Int, lastLine: Int, hasSelection: Bool) {
            self.relativePath = relativePath
            self.languageID = languageID
            self.firstLine = firstLine
            self.lastLine = lastLine
            self.hasSelection = hasSelection
        }
    }

    /// The first user message: the context (most stable first), what the user attached, then the task, the
    /// instruction last.
    public static func firstUserMessage(
        instruction: String, context: String?, location: Location?, filesWithDiagnostics: Int,
        attachments: String? = nil
    ) -> String {
        var parts: [String] = []
        if let context, !context.isEmpty { parts.append(context.trimmingTrailingNewlines) }
        if let attachments { parts.append(attachments.trimmingTrailingNewlines) }
        var task = ["## \(PromptTemplates.taskLabel)"]
        if let location {
            let language = location.languageID.isEmpty ? "" : " (\(location.languageID))"
            if location.hasSelection {
                let lines = location.firstLine == location.lastLine
                    ? "line \(location.firstLine)" : "lines \(location.firstLine)-\(location.lastLine)"
                let marked = context?.contains(ContextPromptFormat.selectionStartMarker) == true
                    ? ", marked with \(ContextPromptFormat.selectionStartMarker) and \(ContextPromptFormat.selectionEndMarker) above"
                    : ""
                task.append("The user is in \(location.relativePath)\(language) with a selection on \(lines)\(marked).")
            } else {
                task.append("The user is in \(location.relativePath)\(language), at line \(location.firstLine).")
            }
        }
        if filesWithDiagnostics > 0 {
            task.append(
                "The editor reports diagnostics in \(filesWithDiagnostics) file\(filesWithDiagnostics == 1 ? "" : "s"); get_diagnostics lists them.")
        }
        task.append("\(PromptTemplates.instructionLabel) \(instruction)")
        parts.append(task.joined(separator: "\n"))
        return parts.joined(separator: "\n\n")
    }
}

extension AgentPrompt {
    /// The attachments as a section of the first message: files inside the workspace by their relative path, text
    /// in a fence (redacted, capped). What the sandbox refuses (secrets, files outside the workspace) is named with
    /// the reason and its text left out. Nil when there are none.
    static func attachments(_ attachments: [AgentAttachment], in workspace: AgentWorkspace) async -> String? {
        guard !attachments.isEmpty else { return nil }
        var lines = ["## Attached by the user"]
        var texts: [String] = []
        for attachment in attachments {
            let relative =
                WorkspacePaths.relativePath(of: attachment.location, inside: workspace.root)
                ?? WorkspacePaths.relativePath(of: attachment.location, inside: workspace.realRoot)
            let shown: String
            let path: WorkspacePath?
            if let relative, !relative.isEmpty {
                do throws(ToolError) {
                    path = try workspace.resolve(relative)
                    shown = relative
                } catch {
                    lines.append("- \(relative): not shown (\(error.message))")
                    continue
                }
            } else if attachment.location.hasPrefix("/") {
                lines.append("- \(attachment.location): outside the workspace, so not shown")
                continue
            } else {
                path = nil
                shown = attachment.location
            }
            guard let text = attachment.text else {
                lines.append("- \(shown) (read it with read_file when you need it)")
                continue
            }
            let redacted: String? =
                if let path { try? workspace.textForModel(text, path: path) } else {
                    workspace.textForModel(text, named: shown)
                }
            guard let redacted else {
                lines.append("- \(shown): not shown (a secret file)")
                continue
            }
            var body = String(redacted.prefix(attachmentCharacterLimit))
            if redacted.count > attachmentCharacterLimit {
                body += "\n[Cut: showing \(attachmentCharacterLimit) of \(redacted.count) characters; read_file shows the rest.]"
            }
            if !body.hasSuffix("\n") { body += "\n" }
            let fence = String(repeating: "`", count: ContextPromptFormat.fenceLength(for: body))
            lines.append("- \(shown) (its text is below)")
            texts.append("### \(shown)\n\(fence)\n\(body)\(fence)")
        }
        return ([lines.joined(separator: "\n")] + texts).joined(separator: "\n\n")
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
