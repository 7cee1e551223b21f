// What happens to an agent's changes: kept for review at the end, or written as they are made through a file access.
import Foundation
import K2Workspace

/// When the user gets the agent's changes.
public enum AgentChangeDelivery: Sendable, Hashable {
    /// They stay in the run's overlay and come back as edits to review and apply, all or nothing (LSP, CLI).
    case atTheEnd
    /// Each change is written when it is made, once the run's permission policy allows it (ACP sessions).
    case asMade

    /// The sentence the edit tools' descriptions end with.
    var toolNote: String {
        switch self {
        case .atTheEnd: "Nothing is saved to disk: the user reviews and applies all changes at the end."
        case .asMade: "The change is saved to the file at once (the user may be asked to approve it first)."
        }
    }
}

/// Where a run with `AgentChangeDelivery.asMade` reads and writes files beyond its overlay: the editor (ACP's
/// `fs/read_text_file` and `fs/write_text_file`, so unsaved buffers count) or the disk.
public protocol AgentFileAccess: Sendable {
    /// The file's text as the editor has it, unsaved changes included; nil when this access does not know the file
    /// (the run then reads the disk).
    func readText(atPath path: String) async throws -> String?

    /// Replaces (or creates) the file with `text`. `expected` is the text the change was computed against (nil:
    /// the file did not exist); a file that no longer holds it must not be written: throw instead.
    func writeText(_ text: String, atPath path: String, expected: String?) async throws
}

/// Why a change was not written.
public struct FileAccessError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// Writes straight to disk, atomically, keeping line endings, BOM, final newline and mode (as the CLI's --write
/// does). Reads are left to the run, which reads the disk itself.
public struct DiskFileAccess: AgentFileAccess {
    public init() {}

    public func readText(atPath path: String) async throws -> String? { nil }

    public func writeText(_ text: String, atPath path: String, expected: String?) async throws {
        let plan: FileWritePlan
        do {
            let file = try TextFileReader.read(path)
            guard file.text == expected else {
                throw FileAccessError(
                    expected == nil
                        ? "\(path) appeared on disk while the agent worked, so it was not overwritten."
                        : "\(path) changed on disk since the agent read it, so the change was not written.")
            }
            plan = FileWritePlan(updating: file, to: text)
        } catch FileWriteError.notFound {
            guard expected == nil else {
                throw FileAccessError("\(path) was deleted since the agent read it, so the change was not written.")
            }
            plan = FileWritePlan(creating: path, text: text)
        }
        do {
            try AtomicFileWriter().write([plan])
        } catch {
            throw FileAccessError(error.description)
        }
    }
}

/// A change an edit tool computed: the file, its text before (nil when the call creates it) and after.
struct PlannedFileChange: Sendable {
    var path: WorkspacePath
    var before: String?
    var after: String

    /// The call's presentation: the change, located at its first changed line.
    func presentation(title: String, in workspace: AgentWorkspace) -> ToolCallPresentation {
        let absolute = workspace.editorPath(of: path)
        let firstChange = MinimalTextEdits.compute(original: before ?? "", updated: after).first
        let line = firstChange.map { LineIndex(before ?? "").line(containing: $0.range.lowerBound) + 1 }
        return ToolCallPresentation(
            title: title, locations: [ToolLocation(path: absolute, line: line)],
            change: ProposedFileChange(path: absolute, oldText: before, newText: after))
    }
}
