// k2lsp's own requests and notifications (k2/*), documented in protocol-docs/.
import AnyJSON
import JSONRPC

/// Token counts of the model calls behind a result.
public struct K2Usage: Codable, Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var cachedTokens: Int?
    public init(promptTokens: Int, completionTokens: Int, cachedTokens: Int?) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
    }
}

/// The params of `k2/edit` and the single argument of the `k2.edit`, `k2.fix`, `k2.refactor`, `k2.document`,
/// `k2.tests` and `k2.explain` commands.
public struct K2EditParams: Codable, Sendable, Hashable {
    public var textDocument: OptionalVersionedTextDocumentIdentifier
    public var range: Range
    public var instruction: String?
    public var workDoneToken: ProgressToken?
    /// Diagnostics to fix (k2.fix); when absent, those the client last sent for the range are used.
    public var diagnostics: [Diagnostic]?
    public init(
        textDocument: OptionalVersionedTextDocumentIdentifier, range: Range, instruction: String?,
        workDoneToken: ProgressToken? = nil, diagnostics: [Diagnostic]? = nil
    ) {
        self.textDocument = textDocument
        self.range = range
        self.instruction = instruction
        self.workDoneToken = workDoneToken
        self.diagnostics = diagnostics
    }
}

public struct K2EditResult: Codable, Sendable, Hashable {
    public var edit: WorkspaceEdit
    public var model: String
    public var summary: String?
    public var usage: K2Usage?
    public init(edit: WorkspaceEdit, model: String, summary: String?, usage: K2Usage?) {
        self.edit = edit
        self.model = model
        self.summary = summary
        self.usage = usage
    }
}

public struct K2EditRequest: LSPRequest, ResourceScoped {
    public static let method = "k2/edit"
    public var resourceID: String { params.textDocument.uri }
    public typealias Response = K2EditResult
    public var params: K2EditParams
    public init(from decoder: any Decoder) throws { params = try K2EditParams(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try params.encode(to: encoder) }
}

public struct K2ExplainResult: Codable, Sendable, Hashable {
    /// The explanation, as Markdown.
    public var markdown: String
    public var model: String
    public var usage: K2Usage?
    public init(markdown: String, model: String, usage: K2Usage?) {
        self.markdown = markdown
        self.model = model
        self.usage = usage
    }
}

public struct K2ExplainRequest: LSPRequest, ResourceScoped {
    public static let method = "k2/explain"
    public var resourceID: String { params.textDocument.uri }
    public typealias Response = K2ExplainResult
    public var params: K2EditParams
    public init(from decoder: any Decoder) throws { params = try K2EditParams(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try params.encode(to: encoder) }
}

public struct K2ContextRequest: LSPRequest, ResourceScoped {
    public static let method = "k2/context"
    public var resourceID: String { textDocument.uri }
    public typealias Response = K2ContextResult
    public var textDocument: TextDocumentIdentifier
    public var position: Position?
    public var range: Range?
    /// `completion`, `edit`, `fix`, `refactor`, `document`, `tests`, `explain` or `agent`; default `edit`.
    public var task: String?
}

public struct K2ContextItem: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    /// Zero-based, end exclusive.
    public var startLine: Int
    public var endLine: Int
    public var source: String
    public var reason: String
    public var tokens: Int
    public var truncated: Bool
    public init(
        uri: DocumentURI, startLine: Int, endLine: Int, source: String, reason: String, tokens: Int, truncated: Bool
    ) {
        self.uri = uri
        self.startLine = startLine
        self.endLine = endLine
        self.source = source
        self.reason = reason
        self.tokens = tokens
        self.truncated = truncated
    }
}

public struct K2SkippedContextItem: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    public var reason: String
    public var tokens: Int?
    public init(uri: DocumentURI, reason: String, tokens: Int?) {
        self.uri = uri
        self.reason = reason
        self.tokens = tokens
    }
}

public struct K2ContextResult: Codable, Sendable, Hashable {
    public var model: String
    public var task: String
    public var budgetTokens: Int
    public var usedTokens: Int
    public var items: [K2ContextItem]
    public var skipped: [K2SkippedContextItem]
    public init(
        model: String, task: String, budgetTokens: Int, usedTokens: Int, items: [K2ContextItem],
        skipped: [K2SkippedContextItem]
    ) {
        self.model = model
        self.task = task
        self.budgetTokens = budgetTokens
        self.usedTokens = usedTokens
        self.items = items
        self.skipped = skipped
    }
}

public struct K2AgentParams: Codable, Sendable, Hashable {
    public var instruction: String
    public var textDocument: TextDocumentIdentifier?
    public var range: Range?
    public var workDoneToken: ProgressToken?
    public init(instruction: String, textDocument: TextDocumentIdentifier?, range: Range?, workDoneToken: ProgressToken?) {
        self.instruction = instruction
        self.textDocument = textDocument
        self.range = range
        self.workDoneToken = workDoneToken
    }
}

public struct K2AgentStep: Codable, Sendable, Hashable {
    public var tool: String
    public var arguments: JSONValue
    public var ok: Bool
    public var resultPreview: String
    public init(tool: String, arguments: JSONValue, ok: Bool, resultPreview: String) {
        self.tool = tool
        self.arguments = arguments
        self.ok = ok
        self.resultPreview = resultPreview
    }
}

public struct K2AgentResult: Codable, Sendable, Hashable {
    public var edit: WorkspaceEdit
    public var summary: String
    public var steps: [K2AgentStep]
    public var model: String
    public var usage: K2Usage?
    public init(edit: WorkspaceEdit, summary: String, steps: [K2AgentStep], model: String, usage: K2Usage?) {
        self.edit = edit
        self.summary = summary
        self.steps = steps
        self.model = model
        self.usage = usage
    }
}

public struct K2AgentRequest: LSPRequest {
    public static let method = "k2/agent"
    public typealias Response = K2AgentResult
    public var params: K2AgentParams
    public init(from decoder: any Decoder) throws { params = try K2AgentParams(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try params.encode(to: encoder) }
}

/// Sent by the server for each tool call of an agent run.
public struct K2ToolCallNotification: LSPNotification {
    public static let method = "k2/toolCall"
    public var requestId: JSONValue
    public var step: Int
    public var tool: String
    public var arguments: JSONValue
    /// `started`, `done` or `failed`.
    public var status: String
    public var resultPreview: String?
    public init(requestId: JSONValue, step: Int, tool: String, arguments: JSONValue, status: String, resultPreview: String?) {
        self.requestId = requestId
        self.step = step
        self.tool = tool
        self.arguments = arguments
        self.status = status
        self.resultPreview = resultPreview
    }
}

/// Sent by a client plugin to share the diagnostics it shows for a document (for `k2.fix` and the agent).
public struct K2DidChangeDiagnosticsNotification: LSPNotification {
    public static let method = "k2/didChangeDiagnostics"
    public var uri: DocumentURI
    public var diagnostics: [Diagnostic]
}

/// The `k2.*` commands, in the order `executeCommandProvider` lists them.
public enum K2CommandName: String, CaseIterable, Sendable {
    case edit = "k2.edit"
    case fix = "k2.fix"
    case refactor = "k2.refactor"
    case document = "k2.document"
    case tests = "k2.tests"
    case explain = "k2.explain"
    case agent = "k2.agent"

    /// The `k2/*` request a command runs; the command is scheduled exactly as that request is.
    public var equivalentRequest: any LSPRequest.Type {
        switch self {
        case .edit, .fix, .refactor, .document, .tests: K2EditRequest.self
        case .explain: K2ExplainRequest.self
        case .agent: K2AgentRequest.self
        }
    }

    /// The class of `workspace/executeCommand` (or `codeAction/resolve`) running this command with `argument`.
    public func scheduling(argument: JSONValue?) -> ResolvedScheduling {
        guard let scheduling = MessageRegistry.lsp.scheduling(of: equivalentRequest),
            case .readsResource = scheduling,
            let uri = argument?["textDocument"]?["uri"]?.stringValue
        else { return .freestanding }
        return ResolvedScheduling(scheduling, resource: uri)
    }

    /// The kind of the code action that offers this command; nil when no code action offers it.
    public var codeActionKind: CodeActionKind? {
        switch self {
        case .fix: .quickFix
        case .refactor, .document: .refactorRewrite
        case .tests, .explain: .source
        case .edit, .agent: nil
        }
    }
}

/// `k2/viewDocument`: the server's copy of an open document, for debugging document sync (like rust-analyzer's
/// `viewFileText`).
public struct K2ViewDocumentRequest: LSPRequest {
    public static let method = "k2/viewDocument"
    public typealias Response = K2ViewDocumentResult
    public var textDocument: TextDocumentIdentifier
}

public struct K2ViewDocumentResult: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    public var version: Int
    public var text: String
    public var lineCount: Int
    public init(uri: DocumentURI, version: Int, text: String, lineCount: Int) {
        self.uri = uri
        self.version = version
        self.text = text
        self.lineCount = lineCount
    }
}
