// The files an edit command may change, buffers first: an open document's text and version, else the disk copy.
import Foundation
import K2Workspace

/// One file an edit reads, as it was when the edit began.
struct EditableFile: Sendable, Hashable {
    /// Relative to the workspace: the key edits are grouped by, and how messages name the file.
    var relativePath: String
    /// Where the edit goes: the open document's path as the editor named it, else the canonical path.
    var path: String
    /// The open document's URI; nil for a file read from disk.
    var documentURI: String?
    /// The open document's version; nil for a file read from disk.
    var version: Int?
    /// nil when the file does not exist (yet).
    var text: String?
}

/// Finds and loads the files a reply names. Each name resolves to one canonical file, so `a.py`, `./a.py` and the
/// absolute path are one file; an open document is always read from its buffer (with its version), whatever
/// spelling the reply used, and only files that are not open are read from disk.
struct EditableFiles: Sendable {
    let resolver: ReplyPathResolver
    let workspace: String
    let realRoot: String
    /// Open documents by canonical path.
    private let openDocuments: [String: (document: DocumentSnapshot, path: String)]
    private(set) var loaded: [String: EditableFile] = [:]
    let requestFile: EditableFile

    /// - Parameters:
    ///   - request: the request's document and path, which is always one of the files (its text is the request's).
    ///   - openDocuments: the editor's open buffers when the reply arrived.
    init(workspace: String, request: EditRequest, openDocuments: [DocumentSnapshot]) {
        self.workspace = workspace
        resolver = ReplyPathResolver(root: workspace)
        realRoot = WorkspacePaths.realPath(workspace) ?? workspace
        var byPath: [String: (DocumentSnapshot, String)] = [:]
        for document in openDocuments {
            guard let path = document.filePath else { continue }
            byPath[ReplyPathResolver.canonical(path)] = (document, path)
        }
        self.openDocuments = byPath
        let canonical = ReplyPathResolver.canonical(request.path)
        let relative = WorkspacePaths.relativePath(of: canonical, inside: realRoot)
            ?? WorkspacePaths.relativePath(of: request.path, inside: workspace) ?? request.path
        let isOpen = byPath[canonical] != nil
        requestFile = EditableFile(
            relativePath: relative, path: request.path, documentURI: isOpen ? request.document.uri : nil,
            version: isOpen ? request.document.version : nil, text: request.document.text)
        loaded[relative] = requestFile
    }

    /// Why a name cannot be edited, or the file it means (loaded on first use). `secretRefusal` gets the name
    /// relative to the workspace as written and the canonical path it leads to.
    mutating func file(named name: String?, secretRefusal: (String, String) -> String?) -> Result<EditableFile, FileRefusal> {
        guard let name else { return .success(requestFile) }
        let canonical: String
        switch resolver.resolve(name) {
        case .failure(let refusal): return .failure(FileRefusal("\(name): \(refusal)"))
        case .success(let path): canonical = path
        }
        guard let relative = WorkspacePaths.relativePath(of: canonical, inside: realRoot), !relative.isEmpty else {
            return .failure(FileRefusal("\(name): the path names the workspace folder itself, not a file."))
        }
        if let file = loaded[relative] { return .success(file) }
        let written = name.hasPrefix("/") ? WorkspacePaths.relativePath(of: name, inside: workspace) ?? relative : name
        if let reason = secretRefusal(written, canonical) { return .failure(FileRefusal(reason)) }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: canonical, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue { return .failure(FileRefusal("\(name) is a folder, not a file.")) }
        let file: EditableFile
        if let open = openDocuments[canonical] {
            file = EditableFile(
                relativePath: relative, path: open.path, documentURI: open.document.uri,
                version: open.document.version, text: open.document.text)
        } else if exists {
            do {
                file = EditableFile(
                    relativePath: relative, path: canonical, documentURI: nil, version: nil,
                    text: try TextFileReader.read(canonical).text)
            } catch {
                return .failure(FileRefusal("\(name) cannot be edited: \(error)"))
            }
        } else {
            file = EditableFile(relativePath: relative, path: canonical, documentURI: nil, version: nil, text: nil)
        }
        loaded[relative] = file
        return .success(file)
    }
}

/// Why a file a reply names cannot be edited, in words for the user and the model.
struct FileRefusal: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
