// The agent's prompts: a system prompt that never changes (prefix caching) and the first user message.
import K2Context

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

    /// The first user message: the context (most stable first), then the task, the instruction last.
    public static func firstUserMessage(
        instruction: String, context: String?, location: Location?, filesWithDiagnostics: Int
    ) -> String {
        var parts: [String] = []
        if let context, !context.isEmpty { parts.append(context.trimmingTrailingNewlines) }
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

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
