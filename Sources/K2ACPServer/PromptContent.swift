// A prompt's content blocks as the engine takes them: the instruction text, the attachments, a slash command.
import ACP
import Foundation
import K2Engine
import K2Workspace

struct PromptContent: Sendable {
    /// The text the agent works from, with mentions written as paths where they stood.
    var instruction: String
    var attachments: [AgentAttachment]
    var command: (command: SlashCommand, rest: String)?
    /// One line naming the session, from the first prompt.
    var title: String

    init(_ blocks: [ContentBlock], cwd: String) {
        var pieces: [String] = []
        var attachments: [AgentAttachment] = []
        var unsupported: [String] = []
        for block in blocks {
            switch block {
            case .text(let text):
                pieces.append(text)
            case .resourceLink(let uri, let name, _):
                let location = Self.location(of: uri)
                pieces.append(Self.mention(location, name: name, cwd: cwd))
                attachments.append(AgentAttachment(location: location))
            case .resource(.text(let uri, let text, _)):
                let location = Self.location(of: uri)
                pieces.append(Self.mention(location, name: (uri as NSString).lastPathComponent, cwd: cwd))
                attachments.append(AgentAttachment(location: location, text: text))
            case .resource(.blob(let uri, _)):
                unsupported.append("binary resource \(uri)")
            case .unsupported(let type):
                unsupported.append(type)
            }
        }
        var instruction = Self.joined(pieces)
        if !unsupported.isEmpty {
            instruction += "\n\n(The user also attached \(unsupported.joined(separator: ", ")), which k2lsp cannot pass to K2.)"
        }
        command = SlashCommand.parse(instruction)
        self.instruction = instruction
        self.attachments = attachments
        let firstLine = instruction.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        title = firstLine.count > 80 ? String(firstLine.prefix(79)) + "…" : firstLine
    }

    /// The blocks as the session file keeps them: an embedded resource becomes a link (its text is not kept twice).
    static func stored(_ blocks: [ContentBlock]) -> [ContentBlock] {
        blocks.map { block in
            guard case .resource(let resource) = block else { return block }
            return .resourceLink(uri: resource.uri, name: (resource.uri as NSString).lastPathComponent, mimeType: nil)
        }
    }

    /// A file URI as a path; other URIs as they are.
    static func location(of uri: String) -> String {
        FileURI.path(fromURI: uri) ?? uri
    }

    /// How a mention reads in the instruction: the workspace-relative path when it is inside `cwd`.
    private static func mention(_ location: String, name: String, cwd: String) -> String {
        if let relative = WorkspacePaths.relativePath(of: location, inside: cwd), !relative.isEmpty { return relative }
        return location.hasPrefix("/") ? location : name
    }

    /// Pieces joined with a space where neither side has one.
    private static func joined(_ pieces: [String]) -> String {
        var text = ""
        for piece in pieces where !piece.isEmpty {
            if let last = text.last, !last.isWhitespace, let first = piece.first, !first.isWhitespace { text += " " }
            text += piece
        }
        return text
    }
}
