// What an edit command is asked to do, and what it produced, in plain values.
import K2Config
import K2Workspace

/// The edit commands. Each maps to a routing task and implies an instruction when the user gives none.
public enum EditKind: String, Sendable, Hashable, CaseIterable {
    case edit, fix, refactor, document, tests

    public var task: K2Task {
        switch self {
        case .edit: return .edit
        case .fix: return .fix
        case .refactor: return .refactor
        case .document: return .document
        case .tests: return .tests
        }
    }

    /// The instruction used when the user gives none; nil when one is required.
    public var impliedInstruction: String? {
        switch self {
        case .edit: return nil
        case .fix: return "Fix the problems reported in the diagnostics. Change only what the fix needs."
        case .refactor: return "Refactor this code for clarity and simplicity without changing its behaviour."
        case .document:
            return "Add documentation comments in the language's conventional style. Do not change any code."
        case .tests:
            return "Write tests for this code, following the project's existing test conventions, framework and file layout."
        }
    }
}

/// A diagnostic the editor shows, as the engine needs it: where and what.
public struct DiagnosticInfo: Sendable, Hashable {
    /// Zero-based first line.
    public var line: Int
    public var endLine: Int
    public var message: String
    public var severity: String?
    public var source: String?
    public var code: String?

    public init(line: Int, endLine: Int, message: String, severity: String?, source: String?, code: String?) {
        self.line = line
        self.endLine = endLine
        self.message = message
        self.severity = severity
        self.source = source
        self.code = code
    }
}

public struct EditRequest: Sendable {
    public var kind: EditKind
    /// The document as the user sees it: the editor's buffer, or the file read from disk.
    public var document: DocumentSnapshot
    /// Absolute path of the document.
    public var path: String
    /// UTF-8 offsets; empty for "at the cursor".
    public var selection: TextRange
    public var instruction: String?
    public var diagnostics: [DiagnosticInfo]

    public init(
        kind: EditKind, document: DocumentSnapshot, path: String, selection: TextRange, instruction: String?,
        diagnostics: [DiagnosticInfo] = []
    ) {
        self.kind = kind
        self.document = document
        self.path = path
        self.selection = selection
        self.instruction = instruction
        self.diagnostics = diagnostics
    }

    /// The instruction to send: the user's, else the command's implied one.
    func effectiveInstruction() throws -> String {
        let given = instruction?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !given.isEmpty { return given }
        if let implied = kind.impliedInstruction { return implied }
        throw EngineError.invalidRequest(
            "k2.\(kind.rawValue) needs an instruction: say what to change (the 'instruction' field, or -m on the command line).")
    }
}

public struct EditOutcome: Sendable, Hashable {
    public var edits: [FileEdit]
    public var model: String
    /// What the model said about its change, when it said anything.
    public var summary: String?
    public var usage: UsageTotals

    public init(edits: [FileEdit], model: String, summary: String?, usage: UsageTotals) {
        self.edits = edits
        self.model = model
        self.summary = summary
        self.usage = usage
    }
}

public struct ExplainOutcome: Sendable, Hashable {
    public var markdown: String
    public var model: String
    public var usage: UsageTotals
}
