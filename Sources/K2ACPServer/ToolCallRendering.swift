// Engine tool calls as ACP tool calls: kind, status, title, locations, and the diff or the output they show.
import ACP
import AnyJSON
import K2Engine

enum ToolCallRendering {
    /// Characters of a tool's output shown in its tool call (the model got up to `agent.tool_output_limit`).
    static let shownOutputLimit = 4_000

    static func kind(_ traits: ToolTraits?) -> ACP.ToolKind {
        switch traits?.kind {
        case .read?: .read
        case .search?: .search
        case .edit?: .edit
        case .external?, nil: .other
        }
    }

    static func id(_ progress: ToolCallProgress) -> String {
        progress.callID ?? "step-\(progress.step)"
    }

    static func locations(_ presentation: ToolCallPresentation?) -> [ToolCallLocation]? {
        guard let locations = presentation?.locations, !locations.isEmpty else { return nil }
        return locations.map { ToolCallLocation(path: $0.path, line: $0.line) }
    }

    static func diff(_ presentation: ToolCallPresentation?) -> [ToolCallContent]? {
        guard let change = presentation?.change else { return nil }
        return [.diff(path: change.path, oldText: change.oldText, newText: change.newText)]
    }

    static func outputContent(_ text: String?) -> [ToolCallContent]? {
        guard let text, !text.isEmpty else { return nil }
        let shown = text.count > shownOutputLimit ? String(text.prefix(shownOutputLimit)) + "\n…" : text
        return [.content(.text(shown))]
    }

    /// The first report of a call: pending, with its title, files and (for an edit) its diff.
    static func started(_ progress: ToolCallProgress) -> ToolCallInfo {
        ToolCallInfo(
            toolCallId: id(progress), title: progress.presentation?.title ?? progress.tool, kind: kind(progress.traits),
            status: .pending, content: diff(progress.presentation), locations: locations(progress.presentation),
            rawInput: progress.arguments)
    }

    /// How a call ended: completed with its diff (edits) or output, failed (or refused) with what the model was told.
    static func finished(_ progress: ToolCallProgress) -> ToolCallInfo {
        let succeeded = progress.status == .done
        let content = succeeded ? (diff(progress.presentation) ?? outputContent(progress.output)) : outputContent(progress.output)
        return ToolCallInfo(
            toolCallId: id(progress), status: succeeded ? .completed : .failed, content: content,
            rawOutput: progress.output.map { ["output": .string(String($0.prefix(shownOutputLimit)))] })
    }

    /// The call a permission request is about.
    static func permissionCall(_ request: ToolPermissionRequest) -> ToolCallInfo {
        ToolCallInfo(
            toolCallId: request.callID, title: request.presentation?.title ?? request.tool, kind: kind(request.traits),
            status: .pending, content: diff(request.presentation), locations: locations(request.presentation),
            rawInput: request.arguments)
    }

    /// A call's final state for the session file: the first report with the final one's status and content.
    static func merged(_ first: ToolCallInfo, _ last: ToolCallInfo) -> ToolCallInfo {
        var merged = first
        merged.status = last.status ?? first.status
        merged.content = last.content ?? first.content
        merged.rawOutput = last.rawOutput
        return merged
    }
}
