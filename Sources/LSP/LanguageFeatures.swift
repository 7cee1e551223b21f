// Inline completion (3.18), completion, code actions.
import AnyJSON
import JSONRPC

public struct SelectedCompletionInfo: Codable, Sendable, Hashable {
    public var range: Range
    public var text: String
}

public struct InlineCompletionContext: Codable, Sendable, Hashable {
    public var triggerKind: InlineCompletionTriggerKind
    public var selectedCompletionInfo: SelectedCompletionInfo?
}

public struct InlineCompletionRequest: SupersedableRequest {
    public static let method = "textDocument/inlineCompletion"
    public typealias Response = InlineCompletionList
    public var textDocument: TextDocumentIdentifier
    public var position: Position
    public var context: InlineCompletionContext?
    public var workDoneToken: ProgressToken?
    public var resourceID: String { textDocument.uri }
    public static var supersededResponse: InlineCompletionList { InlineCompletionList(items: []) }
}

public struct InlineCompletionItem: Codable, Sendable, Hashable {
    public var insertText: String
    public var filterText: String?
    public var range: Range?
    public var command: Command?
    public init(insertText: String, filterText: String? = nil, range: Range? = nil, command: Command? = nil) {
        self.insertText = insertText
        self.filterText = filterText
        self.range = range
        self.command = command
    }
}

public struct InlineCompletionList: Codable, Sendable, Hashable {
    public var items: [InlineCompletionItem]
    public init(items: [InlineCompletionItem]) { self.items = items }
}

public struct CompletionContext: Codable, Sendable, Hashable {
    public var triggerKind: CompletionTriggerKind
    public var triggerCharacter: String?
}

public struct CompletionRequest: SupersedableRequest {
    public static let method = "textDocument/completion"
    public typealias Response = CompletionList
    public var textDocument: TextDocumentIdentifier
    public var position: Position
    public var context: CompletionContext?
    public var resourceID: String { textDocument.uri }
    public static var supersededResponse: CompletionList { CompletionList(isIncomplete: true, items: []) }
}

public struct CompletionItem: Codable, Sendable, Hashable {
    public var label: String
    public var kind: CompletionItemKind?
    public var detail: String?
    public var filterText: String?
    public var insertTextFormat: InsertTextFormat?
    public var textEdit: TextEdit?
    public var sortText: String?
    public init(
        label: String, kind: CompletionItemKind? = nil, detail: String? = nil, filterText: String? = nil,
        insertTextFormat: InsertTextFormat? = nil, textEdit: TextEdit? = nil, sortText: String? = nil
    ) {
        self.label = label
        self.kind = kind
        self.detail = detail
        self.filterText = filterText
        self.insertTextFormat = insertTextFormat
        self.textEdit = textEdit
        self.sortText = sortText
    }
}

public struct CompletionList: Codable, Sendable, Hashable {
    public var isIncomplete: Bool
    public var items: [CompletionItem]
    public init(isIncomplete: Bool, items: [CompletionItem]) {
        self.isIncomplete = isIncomplete
        self.items = items
    }
}

public struct CodeActionContext: Codable, Sendable, Hashable {
    public var diagnostics: [Diagnostic]
    public var only: [CodeActionKind]?
    public var triggerKind: CodeActionTriggerKind?
}

public struct CodeActionRequest: LSPRequest, ResourceScoped {
    public static let method = "textDocument/codeAction"
    public typealias Response = [CodeActionOrCommand]
    public var textDocument: TextDocumentIdentifier
    public var range: Range
    public var context: CodeActionContext
    public var resourceID: String { textDocument.uri }
}

public struct CodeAction: Codable, Sendable, Hashable {
    public var title: String
    public var kind: CodeActionKind?
    public var diagnostics: [Diagnostic]?
    public var isPreferred: Bool?
    public var edit: WorkspaceEdit?
    public var command: Command?
    public var data: JSONValue?
    public init(
        title: String, kind: CodeActionKind?, diagnostics: [Diagnostic]? = nil, isPreferred: Bool? = nil,
        edit: WorkspaceEdit? = nil, command: Command? = nil, data: JSONValue? = nil
    ) {
        self.title = title
        self.kind = kind
        self.diagnostics = diagnostics
        self.isPreferred = isPreferred
        self.edit = edit
        self.command = command
        self.data = data
    }
}

/// A code action result entry: clients without code action literal support receive bare commands.
public enum CodeActionOrCommand: Codable, Sendable, Hashable {
    case action(CodeAction)
    case command(Command)

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        if value["command"]?.stringValue != nil, value["kind"] == nil, value["edit"] == nil {
            self = .command(try value.decode(Command.self))
        } else {
            self = .action(try value.decode(CodeAction.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .action(let action): try action.encode(to: encoder)
        case .command(let command): try command.encode(to: encoder)
        }
    }
}

/// `codeAction/resolve`: the params are the code action itself.
public struct CodeActionResolveRequest: LSPRequest {
    public static let method = "codeAction/resolve"
    public typealias Response = CodeAction
    public var action: CodeAction

    public init(action: CodeAction) { self.action = action }
    public init(from decoder: any Decoder) throws { action = try CodeAction(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try action.encode(to: encoder) }
}

extension CodeActionResolveRequest: SelfScheduling {
    /// A k2lsp action resolves by running its command: scheduled as that command is.
    public var scheduling: ResolvedScheduling {
        guard let name = action.data?["command"]?.stringValue, let command = K2CommandName(rawValue: name) else {
            return .freestanding
        }
        return command.scheduling(argument: action.data?["argument"])
    }
}
