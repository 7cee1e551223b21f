// The LSP language identifier of a file on disk, as an editor would send it (the engine's completion rules use it).
import K2Context

enum LanguageIdentifier {
    static func forPath(_ path: String) -> String {
        switch SourceLanguage(path: path) {
        case .objectiveC: return "objective-c"
        case .shell: return "shellscript"
        case .text: return "plaintext"
        case .other:
            // Editors mostly name unknown languages by their extension (zig, scala, lua).
            let name = path.split(separator: "/").last ?? ""
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "plaintext" }
            return name[name.index(after: dot)...].lowercased()
        case let language: return language.rawValue
        }
    }
}
