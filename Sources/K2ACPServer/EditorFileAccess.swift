// The agent's files in an ACP session: the editor's buffers through fs/read_text_file and fs/write_text_file when it
// offers them, the disk (through the engine's atomic writer) when it does not.
import ACP
import JSONRPC
import K2Engine
import K2Workspace
import Logging

struct EditorFileAccess: AgentFileAccess {
    let sessionID: SessionID
    let connection: Connection
    let capabilities: ClientCapabilities
    let timeout: Duration
    let logger: Logger
    let disk = DiskFileAccess()

    /// The editor's text, unsaved changes included. Nil when the editor does not offer reads, or does not know the
    /// file (it answers an error): the run reads the disk.
    func readText(atPath path: String) async throws -> String? {
        guard capabilities.readsTextFiles else { return nil }
        do {
            return try await connection.request(ReadTextFileRequest(sessionId: sessionID, path: path), timeout: timeout)
                .content
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.debug("fs/read_text_file \(path): \(error); reading the disk.")
            return nil
        }
    }

    /// Writes through the editor when it offers writes (it updates its buffer, and saves as it does), else to disk.
    /// Either way only when the file still holds the text the change was made against.
    func writeText(_ text: String, atPath path: String, expected: String?) async throws {
        guard capabilities.writesTextFiles else {
            try await disk.writeText(text, atPath: path, expected: expected)
            return
        }
        if try await currentText(atPath: path) != expected {
            throw FileAccessError(
                expected == nil
                    ? "\(path) exists now (it did not when K2 read it), so it was not overwritten."
                    : "\(path) changed in the editor since K2 read it, so the change was not written.")
        }
        do {
            _ = try await connection.request(
                WriteTextFileRequest(sessionId: sessionID, path: path, content: text), timeout: timeout)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw FileAccessError("the editor did not write \(path) (\(error)).")
        }
    }

    /// What the file holds now, as the editor (or else the disk) has it; nil when it does not exist.
    private func currentText(atPath path: String) async throws -> String? {
        if let text = try await readText(atPath: path) { return text }
        return try? TextFileReader.read(path).text
    }
}
