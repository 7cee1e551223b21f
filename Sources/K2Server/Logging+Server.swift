// Log handlers: a file log, and forwarding of warnings to the editor as window/logMessage.
import Foundation
import JSONRPC
import LSP
import Logging
import Synchronization

/// Appends log lines to a file (`--log-file`). Lines are written whole, under a lock.
public struct FileLogHandler: LogHandler {
    private final class Sink: Sendable {
        let handle: Mutex<FileHandle?>
        init(path: String) {
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: nil)
            }
            let handle = FileHandle(forWritingAtPath: path)
            _ = try? handle?.seekToEnd()
            self.handle = Mutex(handle)
        }
        func write(_ line: String) {
            handle.withLock { $0?.write(Data(line.utf8)) }
        }
    }

    private let sink: Sink
    private let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(label: String, path: String, level: Logger.Level) {
        self.label = label
        self.sink = Sink(path: path)
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let timestamp = Date().formatted(.iso8601)
        sink.write("\(timestamp) \(event.level) \(label): \(event.message)\n")
    }
}

/// Sends warnings and errors to the editor's log (`window/logMessage`), so users see them without reading stderr.
struct ClientLogHandler: LogHandler {
    let connection: Connection
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let type: MessageType =
            switch event.level {
            case .error, .critical: .error
            case .warning: .warning
            case .notice, .info: .info
            case .debug, .trace: .log
            }
        connection.notify(LogMessageNotification(type: type, message: "k2lsp: \(event.message)"))
    }
}
