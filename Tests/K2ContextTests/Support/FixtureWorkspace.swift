// Fixture workspaces for context tests: files written to a temp folder, a `$0` cursor marker (two make a selection).
import Foundation
import K2Context
import K2TestSupport
import K2Workspace

final class FixtureWorkspace {
    private let directory: TemporaryDirectory
    var root: String { directory.path }

    /// Writes the files (paths relative to the root). Markers are removed from what goes to disk.
    init(_ files: [String: String]) throws {
        directory = try TemporaryDirectory(prefix: "k2ctx")
        for (path, content) in files { try write(path, content) }
    }

    func write(_ path: String, _ content: String) throws {
        try directory.write(path, MarkedText(content).text)
    }

    func remove(_ path: String) throws {
        try directory.remove(path)
    }

    func uri(_ path: String) -> String { FileURI.uri(fromPath: root + "/" + path) }

    /// A document for `path` whose text is `text` (markers removed) with the cursor or selection the markers give;
    /// without markers the cursor is at the start.
    func document(_ path: String, text: String, version: Int = 1) -> (DocumentSnapshot, TextRange) {
        let marked = MarkedText(text)
        return (DocumentSnapshot(uri: uri(path), languageID: "", version: version, text: marked.text), marked.selection)
    }

    /// An index over the fixture, fully built (listing and symbols).
    func index(_ options: ContextOptions = ContextOptions()) async -> WorkspaceIndex {
        let index = WorkspaceIndex(roots: [root], options: options)
        await index.startIndexing()
        await index.waitUntilSymbolsIndexed()
        return index
    }

    /// Builds a bundle for `path` with `text` as its buffer (markers give the cursor); `open` are other open buffers.
    func bundle(
        _ path: String, text: String, open: [String: String] = [:], recentlyEdited: [String] = [], task: ContextTask = .edit,
        options: ContextOptions = ContextOptions(), index existing: WorkspaceIndex? = nil
    ) async throws -> ContextBundle {
        let index: WorkspaceIndex
        if let existing { index = existing } else { index = await self.index(options) }
        let (document, selection) = self.document(path, text: text)
        let openDocuments = open.sorted { $0.key < $1.key }.map { DocumentSnapshot(uri: uri($0.key), languageID: "", version: 1, text: $0.value) }
        let request = ContextRequest(
            document: document, selection: selection, task: task, openDocuments: [document] + openDocuments,
            recentlyEdited: recentlyEdited.map(uri), options: options)
        return try await ContextBuilder(index: index).build(request)
    }
}

extension ContextBundle {
    /// Items of one source, in prompt order.
    func items(_ source: ContextSource) -> [ContextItem] { items.filter { $0.source == source } }

    func paths(_ source: ContextSource) -> [String] { items(source).map(\.path) }
}
