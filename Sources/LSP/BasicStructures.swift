// Positions, ranges, document identifiers, edits and the other structures every message uses.
import AnyJSON

public typealias DocumentURI = String

/// A zero-based line and a character offset in the negotiated position encoding.
public struct Position: Codable, Sendable, Hashable {
    public var line: Int
    public var character: Int
    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }
}

public struct Range: Codable, Sendable, Hashable {
    public var start: Position
    public var end: Position
    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }
}

public struct Location: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    public var range: Range
}

public struct TextDocumentIdentifier: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    public init(uri: DocumentURI) { self.uri = uri }
}

public struct VersionedTextDocumentIdentifier: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    public var version: Int
    public init(uri: DocumentURI, version: Int) {
        self.uri = uri
        self.version = version
    }
}

/// An identifier whose version is optional: `null` (or absent) means "the version on disk".
public struct OptionalVersionedTextDocumentIdentifier: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    public var version: Int?
    public init(uri: DocumentURI, version: Int?) {
        self.uri = uri
        self.version = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uri, forKey: .uri)
        try container.encode(version, forKey: .version)  // LSP wants an explicit null.
    }
}

public struct TextDocumentItem: Codable, Sendable, Hashable {
    public var uri: DocumentURI
    public var languageId: String
    public var version: Int
    public var text: String
}

public struct TextEdit: Codable, Sendable, Hashable {
    public var range: Range
    public var newText: String
    public init(range: Range, newText: String) {
        self.range = range
        self.newText = newText
    }
}

public struct TextDocumentEdit: Codable, Sendable, Hashable {
    public var textDocument: OptionalVersionedTextDocumentIdentifier
    public var edits: [TextEdit]
    public init(textDocument: OptionalVersionedTextDocumentIdentifier, edits: [TextEdit]) {
        self.textDocument = textDocument
        self.edits = edits
    }
}

public struct CreateFile: Codable, Sendable, Hashable {
    public struct Options: Codable, Sendable, Hashable {
        public var overwrite: Bool?
        public var ignoreIfExists: Bool?
        public init(overwrite: Bool? = nil, ignoreIfExists: Bool? = nil) {
            self.overwrite = overwrite
            self.ignoreIfExists = ignoreIfExists
        }
    }
    public var kind: String = "create"
    public var uri: DocumentURI
    public var options: Options?
    public init(uri: DocumentURI, options: Options? = nil) {
        self.uri = uri
        self.options = options
    }
}

/// One entry of `documentChanges`: a text edit of a document or the creation of a file.
public enum DocumentChange: Codable, Sendable, Hashable {
    case edit(TextDocumentEdit)
    case create(CreateFile)

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        if value["kind"] == "create" {
            self = .create(try value.decode(CreateFile.self))
        } else {
            self = .edit(try value.decode(TextDocumentEdit.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .edit(let edit): try edit.encode(to: encoder)
        case .create(let create): try create.encode(to: encoder)
        }
    }
}

public struct WorkspaceEdit: Codable, Sendable, Hashable {
    public var changes: [DocumentURI: [TextEdit]]?
    public var documentChanges: [DocumentChange]?
    public init(changes: [DocumentURI: [TextEdit]]? = nil, documentChanges: [DocumentChange]? = nil) {
        self.changes = changes
        self.documentChanges = documentChanges
    }
}

public struct Command: Codable, Sendable, Hashable {
    public var title: String
    public var command: String
    public var arguments: [JSONValue]?
    public init(title: String, command: String, arguments: [JSONValue]? = nil) {
        self.title = title
        self.command = command
        self.arguments = arguments
    }
}

public struct Diagnostic: Codable, Sendable, Hashable {
    public var range: Range
    public var severity: DiagnosticSeverity?
    public var code: JSONValue?
    public var source: String?
    public var message: String
    public init(range: Range, severity: DiagnosticSeverity? = nil, code: JSONValue? = nil, source: String? = nil, message: String) {
        self.range = range
        self.severity = severity
        self.code = code
        self.source = source
        self.message = message
    }
}

/// A progress token: LSP allows an integer or a string.
public typealias ProgressToken = JSONValue

public enum MessageType: Int, Codable, Sendable {
    case error = 1
    case warning = 2
    case info = 3
    case log = 4
}
