// LSP's enumerations as types: numbers and strings on the wire, named values in code.

/// An LSP enumeration. LSP lets clients send values a server does not know (newer versions add some), so an unknown
/// value is kept as it is rather than failing the whole message.
public protocol OpenEnumeration: RawRepresentable, Codable, Sendable, Hashable
where RawValue: Codable & Sendable & Hashable {
    init(rawValue: RawValue)
}

extension OpenEnumeration {
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(RawValue.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

public struct TextDocumentSyncKind: OpenEnumeration {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let none = Self(rawValue: 0)
    public static let full = Self(rawValue: 1)
    public static let incremental = Self(rawValue: 2)
}

public struct FileChangeType: OpenEnumeration {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let created = Self(rawValue: 1)
    public static let changed = Self(rawValue: 2)
    public static let deleted = Self(rawValue: 3)
}

public struct DiagnosticSeverity: OpenEnumeration {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let error = Self(rawValue: 1)
    public static let warning = Self(rawValue: 2)
    public static let information = Self(rawValue: 3)
    public static let hint = Self(rawValue: 4)
}

public struct InlineCompletionTriggerKind: OpenEnumeration {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The user asked for a completion.
    public static let invoked = Self(rawValue: 1)
    /// The editor asked while the user typed.
    public static let automatic = Self(rawValue: 2)
}

public struct CompletionTriggerKind: OpenEnumeration {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let invoked = Self(rawValue: 1)
    public static let triggerCharacter = Self(rawValue: 2)
    public static let triggerForIncompleteCompletions = Self(rawValue: 3)
}

public struct CompletionItemKind: OpenEnumeration {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let text = Self(rawValue: 1)
    public static let snippet = Self(rawValue: 15)
}

public struct InsertTextFormat: OpenEnumeration {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let plainText = Self(rawValue: 1)
    public static let snippet = Self(rawValue: 2)
}

public struct CodeActionTriggerKind: OpenEnumeration {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let invoked = Self(rawValue: 1)
    public static let automatic = Self(rawValue: 2)
}

/// A code action kind: a dot-separated hierarchy (`refactor` contains `refactor.rewrite`).
public struct CodeActionKind: OpenEnumeration {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let quickFix = Self(rawValue: "quickfix")
    public static let refactor = Self(rawValue: "refactor")
    public static let refactorRewrite = Self(rawValue: "refactor.rewrite")
    public static let source = Self(rawValue: "source")

    /// Whether `kind` is this kind or below it, as a client's `only` filter means.
    public func contains(_ kind: CodeActionKind) -> Bool {
        kind.rawValue == rawValue || kind.rawValue.hasPrefix(rawValue + ".")
    }
}

/// The phases of a work-done progress (`$/progress` values).
public enum WorkDoneProgressKind: String, Codable, Sendable, Hashable {
    case begin
    case report
    case end
}
