// Where the builder gets file text: the editor's buffer when the file is open, else the disk, always through the reader.
import K2Workspace

/// Reads file text for one request. An open file is always read from its buffer (unsaved text wins), a closed one
/// from disk; both pass the reader's secret, size and binary checks and come back redacted. Results are cached for
/// the request, so that a file used by several sources is read once.
struct ContextTextSource {
    let snapshot: WorkspaceSnapshot
    private let buffers: [FileKey: DocumentSnapshot]
    private var cache: [FileKey: Result<FileText, FileReadRefusal>] = [:]

    init(snapshot: WorkspaceSnapshot, openDocuments: [DocumentSnapshot]) {
        self.snapshot = snapshot
        var buffers: [FileKey: DocumentSnapshot] = [:]
        for document in openDocuments {
            guard let path = document.filePath, let key = snapshot.location(ofPath: path) else { continue }
            buffers[key] = document
        }
        self.buffers = buffers
    }

    func buffer(_ key: FileKey) -> DocumentSnapshot? { buffers[key] }

    mutating func text(of key: FileKey) -> Result<FileText, FileReadRefusal> {
        if let cached = cache[key] { return cached }
        let result: Result<FileText, FileReadRefusal>
        if let buffer = buffers[key] {
            result = snapshot.reader.prepare(
                text: buffer.text, relativePath: key.relativePath, absolutePath: snapshot.absolutePath(key))
        } else {
            result = snapshot.reader.read(absolutePath: snapshot.absolutePath(key), relativePath: key.relativePath)
        }
        cache[key] = result
        return result
    }
}
