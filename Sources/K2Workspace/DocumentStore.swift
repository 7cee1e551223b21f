// The open documents, as the editor last described them.
import Foundation

/// Why a document change could not be applied.
public enum DocumentStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notOpen(uri: String)
    case staleVersion(uri: String, current: Int, received: Int)

    public var description: String {
        switch self {
        case .notOpen(let uri):
            return "The document \(uri) is not open; send textDocument/didOpen first."
        case .staleVersion(let uri, let current, let received):
            return "Ignored a change to \(uri) with version \(received): the document is already at version \(current)."
        }
    }
}

public actor DocumentStore {
    private var documents: [String: DocumentSnapshot] = [:]
    /// When each document was last changed, most recent last; feeds "recently edited" context.
    private var editHistory: [String] = []
    private let editHistoryLimit = 50

    public init() {}

    public func open(uri: String, languageID: String, version: Int, text: String) {
        documents[uri] = DocumentSnapshot(uri: uri, languageID: languageID, version: version, text: text)
        noteEdited(uri)
    }

    /// Applies a `didChange`. A version lower than or equal to the current one is refused: the client resent an old change.
    @discardableResult
    public func change(uri: String, version: Int, changes: [DocumentChange], encoding: PositionEncoding) throws
        -> DocumentSnapshot
    {
        guard let current = documents[uri] else { throw DocumentStoreError.notOpen(uri: uri) }
        guard version > current.version else {
            throw DocumentStoreError.staleVersion(uri: uri, current: current.version, received: version)
        }
        let updated = current.applying(changes, version: version, encoding: encoding)
        documents[uri] = updated
        noteEdited(uri)
        return updated
    }

    /// Replaces the text wholesale (a save that carries text).
    public func replaceText(uri: String, text: String) {
        guard let current = documents[uri], current.text != text else { return }
        documents[uri] = DocumentSnapshot(uri: uri, languageID: current.languageID, version: current.version, text: text)
    }

    public func close(uri: String) {
        documents.removeValue(forKey: uri)
    }

    public func snapshot(_ uri: String) -> DocumentSnapshot? {
        documents[uri]
    }

    public func version(of uri: String) -> Int? {
        documents[uri]?.version
    }

    public func allSnapshots() -> [DocumentSnapshot] {
        Array(documents.values)
    }

    /// URIs of documents edited in this session, most recent first.
    public func recentlyEdited() -> [String] {
        editHistory.reversed()
    }

    private func noteEdited(_ uri: String) {
        editHistory.removeAll { $0 == uri }
        editHistory.append(uri)
        if editHistory.count > editHistoryLimit { editHistory.removeFirst(editHistory.count - editHistoryLimit) }
    }
}
