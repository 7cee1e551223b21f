// The `edit_file` tool call: replace `old_text` with `new_text` in one file.
import Foundation

public struct EditFileCall: Sendable, Hashable, Codable {
    public var path: String
    /// The text to find; empty creates the file, or appends to it when it exists (as an empty SEARCH does).
    public var oldText: String
    public var newText: String

    public init(path: String, oldText: String, newText: String) {
        self.path = path
        self.oldText = oldText
        self.newText = newText
    }

    enum CodingKeys: String, CodingKey {
        case path
        case oldText = "old_text"
        case newText = "new_text"
    }

    /// The call from its JSON arguments, as a model sends them.
    public static func parse(arguments: String) -> Result<EditFileCall, ReplyFormatError> {
        do {
            let call = try JSONDecoder().decode(EditFileCall.self, from: Data(arguments.utf8))
            guard !call.path.isEmpty else {
                return .failure(.invalidToolArguments(tool: "edit_file", problem: "\"path\" is empty"))
            }
            return .success(call)
        } catch DecodingError.keyNotFound(let key, _) {
            return .failure(.invalidToolArguments(tool: "edit_file", problem: "\"\(key.stringValue)\" is missing"))
        } catch DecodingError.typeMismatch(_, let context) {
            let field = context.codingPath.last?.stringValue ?? "arguments"
            return .failure(.invalidToolArguments(tool: "edit_file", problem: "\"\(field)\" must be a string"))
        } catch {
            return .failure(
                .invalidToolArguments(
                    tool: "edit_file",
                    problem: "they are not a JSON object with \"path\", \"old_text\" and \"new_text\" strings"))
        }
    }
}
