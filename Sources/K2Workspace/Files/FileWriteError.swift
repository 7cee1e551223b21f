// Why reading a text file for editing, or writing edits back, was refused or failed; each message says what to do.

public indirect enum FileWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(path: String)
    case notARegularFile(path: String)
    case binary(path: String)
    case unsupportedEncoding(path: String, encoding: String)
    case notUTF8(path: String, byteOffset: Int)
    case readFailed(path: String, reason: String)
    case changedOnDisk(path: String)
    /// The file may not be written by its permissions; `mode` is its permission bits.
    case readOnly(path: String, mode: Int)
    case alreadyExists(path: String)
    case samePathTwice(path: String)
    case writeFailed(path: String, reason: String)
    /// A write failed after other files had been replaced; those were put back. `unrestored` lists any that could
    /// not be, each with the path where its original content is kept.
    case rolledBack(cause: FileWriteError, restoredPaths: [String], unrestored: [UnrestoredFile])
    case several([FileWriteError])

    public struct UnrestoredFile: Sendable, Hashable {
        public var path: String
        public var backupPath: String
        public init(path: String, backupPath: String) {
            self.path = path
            self.backupPath = backupPath
        }
    }

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path) does not exist; check the path (relative paths start at the current directory)."
        case .notARegularFile(let path):
            return "\(path) is not a regular file (a directory, device or socket); only text files can be edited."
        case .binary(let path):
            return "\(path) looks binary (it contains NUL bytes); k2lsp edits only UTF-8 text files, so leave it out."
        case .unsupportedEncoding(let path, let encoding):
            return "\(path) is encoded as \(encoding); k2lsp edits only UTF-8 text. Convert it first, for example "
                + "with `iconv -f \(encoding) -t UTF-8`."
        case .notUTF8(let path, let byteOffset):
            return "\(path) is not valid UTF-8 (the first bad byte is at offset \(byteOffset)); convert it to UTF-8 "
                + "first, for example with `iconv -f LATIN1 -t UTF-8`, or edit it by hand."
        case .readFailed(let path, let reason):
            return "Could not read \(path): \(reason). Check that it exists and that you may read it."
        case .changedOnDisk(let path):
            return "\(path) changed on disk since it was read, so it was not overwritten and nothing was written. "
                + "Run the command again to work on the current content."
        case .readOnly(let path, let mode):
            return "\(path) is read-only (mode 0\(String(mode, radix: 8))), so it was not replaced and nothing was written. "
                + "Make it writable (chmod u+w), or pass --force to replace it anyway (it stays read-only)."
        case .alreadyExists(let path):
            return "\(path) already exists, so it was not created and nothing was written. Edit the existing file "
                + "instead, or choose another path."
        case .samePathTwice(let path):
            return "\(path) appears twice in one write (perhaps through a symbolic link); combine its edits into one."
        case .writeFailed(let path, let reason):
            return "Could not write \(path): \(reason). Check free space and that you may write to its directory; "
                + "nothing was written."
        case .rolledBack(let cause, let restoredPaths, let unrestored):
            var message = cause.description
            if !restoredPaths.isEmpty {
                message += " The files already written were put back: \(restoredPaths.joined(separator: ", "))."
            }
            for file in unrestored {
                message += " \(file.path) could not be put back; its original content is in \(file.backupPath)."
            }
            return message
        case .several(let errors):
            return errors.map(\.description).joined(separator: "\n")
        }
    }

    /// The same error, flattened: one error stays itself, several become `.several`.
    static func combining(_ errors: [FileWriteError]) -> FileWriteError? {
        switch errors.count {
        case 0: return nil
        case 1: return errors[0]
        default: return .several(errors)
        }
    }
}
