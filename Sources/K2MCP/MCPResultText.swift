// What an MCP tool result becomes for the model: its text as sent, other content described in words.
import AnyJSON
import Foundation
import MCP

enum MCPResultText {
    /// The result's content in order: text passed through; images, audio, binary resources and links summarised (K2
    /// reads text only). With no content at all, the structured content as JSON, else a sentence saying so.
    static func render(_ result: CallTool.Result) -> String {
        var parts: [String] = []
        for item in result.content {
            switch item {
            case .text(let text, _, _):
                parts.append(text)
            case .image(let data, let mimeType, _, _):
                parts.append("[An image (\(mimeType), \(size(ofBase64: data))) that is not shown: you read text only.]")
            case .audio(let data, let mimeType, _, _):
                parts.append("[Audio (\(mimeType), \(size(ofBase64: data))) that is not played: you read text only.]")
            case .resource(let resource, _, _):
                if let text = resource.text {
                    parts.append("[Resource \(resource.uri)]\n\(text)")
                } else {
                    let mimeType = resource.mimeType.map { "\($0), " } ?? ""
                    let size = resource.blob.map(size(ofBase64:)) ?? "no data"
                    parts.append("[Resource \(resource.uri) (\(mimeType)\(size) of binary data) that is not shown.]")
                }
            case .resourceLink(let uri, let name, let title, let description, let mimeType, _):
                var words = "[Link to resource \"\(title ?? name)\": \(uri)"
                if let mimeType { words += " (\(mimeType))" }
                if let description, !description.isEmpty { words += " — \(description)" }
                parts.append(words + "]")
            }
        }
        if parts.isEmpty, let structured = result.structuredContent, let json = try? JSONValue(encoding: structured) {
            parts.append(json.serialized())
        }
        let text = parts.joined(separator: "\n")
        return text.isEmpty ? "(The tool returned no content.)" : text
    }

    /// "12.3 KB" for base64 text (what the data would decode to).
    static func size(ofBase64 text: String) -> String {
        let bytes = text.utf8.count * 3 / 4
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / (1024 * 1024))
    }
}
