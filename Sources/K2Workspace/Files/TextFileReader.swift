// Reads a file from disk for editing: resolves symbolic links, refuses binary and non-UTF-8 content, fingerprints it.

public enum TextFileReader {
    /// Reads `path` (relative paths are relative to the current directory).
    public static func read(_ path: String) throws(FileWriteError) -> LoadedTextFile {
        let resolvedPath: String
        switch POSIXFile.resolvedPath(path) {
        case .success(let resolved): resolvedPath = resolved
        case .failure(let error) where error.isNotFound: throw .notFound(path: path)
        case .failure(let error): throw .readFailed(path: path, reason: error.message)
        }
        if case .success(let status) = POSIXFile.status(ofPath: resolvedPath, followingLinks: false),
            !status.isRegularFile
        {
            throw .notARegularFile(path: path)
        }
        switch POSIXFile.readFile(atPath: resolvedPath) {
        case .success(let read):
            return try LoadedTextFile(
                path: path, resolvedPath: resolvedPath, bytes: read.bytes,
                fingerprint: FileFingerprint(bytes: read.bytes, status: read.status))
        case .failure(let error) where error.isNotFound:
            throw .notFound(path: path)
        case .failure(let error):
            throw .readFailed(path: path, reason: error.message)
        }
    }
}
