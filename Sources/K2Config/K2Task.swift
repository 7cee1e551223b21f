// The kinds of work the engine asks a model to do; routing rules name them.
public enum K2Task: String, CaseIterable, Sendable, Codable {
    /// Inline (ghost-text) completion; always answered by Instruct.
    case completion
    case edit
    case fix
    case refactor
    case document
    case tests
    case explain
    case agent
}
