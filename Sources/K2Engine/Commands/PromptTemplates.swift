// The prompts k2lsp sends, as pure functions of their inputs. Golden tests pin their exact text.
import K2Context
import K2Provider

/// How the model is asked to write its edit.
public enum EditReplyFormat: String, Sendable, Hashable {
    /// One fenced code block that replaces the selection.
    case selection
    /// aider-style SEARCH/REPLACE blocks (or `edit_file` tool calls), for edits wider than a selection.
    case searchReplace
}

/// Everything a prompt template needs, already gathered.
public struct PromptInputs: Sendable, Hashable {
    /// The rendered context bundle (most stable part first).
    public var context: String
    public var relativePath: String
    public var languageID: String
    /// 1-based, inclusive.
    public var firstLine: Int
    public var lastLine: Int
    public var selectedText: String
    public var instruction: String
    public var diagnostics: [DiagnosticInfo]

    public init(
        context: String, relativePath: String, languageID: String, firstLine: Int, lastLine: Int,
        selectedText: String, instruction: String, diagnostics: [DiagnosticInfo]
    ) {
        self.context = context
        self.relativePath = relativePath
        self.languageID = languageID
        self.firstLine = firstLine
        self.lastLine = lastLine
        self.selectedText = selectedText
        self.instruction = instruction
        self.diagnostics = diagnostics
    }
}

public enum PromptTemplates {
    /// Shared by every task and byte-identical across requests, so providers can cache the prefix.
    static let persona = """
        You are K2, an expert software engineer working inside the user's editor through k2lsp. \
        You change code exactly as asked, keep the surrounding style (indentation, naming, comments, line width), \
        and use only APIs that the code you are shown defines or that the language's standard library provides.
        """

    static let selectionRules = """
        Reply with exactly one fenced code block that holds the new text for the selection, and nothing from \
        outside the selection. Keep the selection's indentation. Do not add explanations inside the block. After \
        the block you may add one short sentence saying what you changed.
        """

    static let searchReplaceRules = """
        Reply with SEARCH/REPLACE blocks. Each block edits one file and looks like this:

        path/to/file.ext
        <<<<<<< SEARCH
        lines copied exactly from the file
        =======
        the lines that replace them
        >>>>>>> REPLACE

        The SEARCH part must copy the file's current lines exactly, including indentation and comments, and must \
        match only one place in that file: include a few surrounding lines when needed to make it unique. Keep \
        blocks small; use several blocks for several places. To create a new file, give its path and an empty \
        SEARCH part. Paths are relative to the workspace root. You may call the edit_file tool instead of writing \
        blocks. After the blocks, say in one sentence what you changed.
        """

    /// The labels the task part of every prompt is built from (`## Task: edit`, `File: a.py (python), selection on
    /// lines 3-5`, `Instruction: …`); a reply that repeats them echoes the prompt instead of answering it.
    public static let taskLabel = "Task"
    public static let fileLabel = "File:"
    public static let instructionLabel = "Instruction:"
    /// How the file line says where the user is.
    static let selectionLocation = "selection on"
    static let cursorLocation = "cursor at line"

    public static func editSystemPrompt(format: EditReplyFormat) -> String {
        persona + "\n\n" + (format == .selection ? selectionRules : searchReplaceRules)
    }

    public static let explainSystemPrompt = persona + "\n\n" + """
        Explain code to a developer who is reading it in their editor. Answer in Markdown: start with a one-sentence \
        summary, then explain what matters (purpose, inputs and outputs, side effects, edge cases, anything \
        surprising). Be concise; quote only short pieces of code.
        """

    /// The user message of an edit: context first (stable), then the task (changes every time).
    public static func editUserMessage(_ inputs: PromptInputs, kind: EditKind, format: EditReplyFormat) -> String {
        var parts: [String] = []
        if !inputs.context.isEmpty { parts.append(inputs.context) }
        parts.append(taskBlock(inputs, heading: "\(taskLabel): \(kind.rawValue)", format: format))
        return parts.joined(separator: "\n\n")
    }

    public static func explainUserMessage(_ inputs: PromptInputs) -> String {
        var parts: [String] = []
        if !inputs.context.isEmpty { parts.append(inputs.context) }
        parts.append(taskBlock(inputs, heading: "\(taskLabel): explain", format: .selection))
        return parts.joined(separator: "\n\n")
    }

    private static func taskBlock(_ inputs: PromptInputs, heading: String, format: EditReplyFormat) -> String {
        var lines: [String] = ["## \(heading)"]
        let location =
            inputs.selectedText.isEmpty
            ? "\(cursorLocation) \(inputs.firstLine)"
            : (inputs.firstLine == inputs.lastLine
                ? "\(selectionLocation) line \(inputs.firstLine)"
                : "\(selectionLocation) lines \(inputs.firstLine)-\(inputs.lastLine)")
        lines.append("\(fileLabel) \(inputs.relativePath) (\(inputs.languageID)), \(location)")
        if !inputs.selectedText.isEmpty {
            let fence = String(repeating: "`", count: ContextPromptFormat.fenceLength(for: inputs.selectedText))
            lines.append("\(fence)\(inputs.languageID)\n\(inputs.selectedText)\(inputs.selectedText.hasSuffix("\n") ? "" : "\n")\(fence)")
        }
        if !inputs.diagnostics.isEmpty {
            lines.append("Diagnostics:")
            for diagnostic in inputs.diagnostics {
                let severity = diagnostic.severity.map { "\($0): " } ?? ""
                let source = [diagnostic.source, diagnostic.code].compactMap { $0 }.joined(separator: " ")
                lines.append("- line \(diagnostic.line + 1): \(severity)\(diagnostic.message)\(source.isEmpty ? "" : " [\(source)]")")
            }
        }
        lines.append("\(instructionLabel) \(inputs.instruction)")
        if format == .searchReplace {
            lines.append("Edit \(inputs.relativePath), and other files only where the instruction needs it.")
        }
        return lines.joined(separator: "\n")
    }

    /// The `edit_file` tool offered with SEARCH/REPLACE edits (the agent offers the same tool).
    public static let editFileTool = ToolDefinition(
        name: "edit_file",
        description: "Replace old_text with new_text in a file. old_text must match exactly one place; an empty old_text creates the file.",
        parameters: [
            "type": "object",
            "properties": [
                "path": ["type": "string", "description": "Path relative to the workspace root."],
                "old_text": ["type": "string", "description": "Text copied exactly from the file."],
                "new_text": ["type": "string", "description": "The replacement text."],
            ],
            "required": ["path", "old_text", "new_text"],
        ])
}
