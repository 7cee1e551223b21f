// Why a model's reply could not be read as the format that was asked for; each case tells the model how to fix it.

public enum ReplyFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    case noCodeBlock
    case severalCodeBlocks(count: Int)
    case unterminatedCodeBlock(openingLine: Int)
    case noSearchReplaceBlocks
    case malformedSearchReplaceBlock(number: Int, problem: SearchReplaceBlockProblem)
    case invalidToolArguments(tool: String, problem: String)
    /// A tool other than edit_file was called.
    case unknownTool(String)
    /// The reply holds two kinds of edit, so which one it means is a guess.
    case mixedFormats(String)
    /// A unified diff that cannot be read (the problem is given).
    case malformedDiff(String)
    /// A code block whose first line repeats its opening fence (1-based line of the reply).
    case doubledFence(line: Int)
    /// Prose that repeats k2lsp's prompt (1-based line of the reply, and its text).
    case promptEcho(line: Int, text: String)

    public enum SearchReplaceBlockProblem: Sendable, Hashable {
        /// `<<<<<<< SEARCH` was not followed by `=======`.
        case missingDivider
        /// The block was not closed by `>>>>>>> REPLACE`.
        case missingReplaceMarker
        /// A marker turned up where it does not belong (its text is given).
        case unexpectedMarker(String)
    }

    public var description: String {
        switch self {
        case .noCodeBlock:
            return "The reply has no fenced code block; the replacement must come in exactly one ``` block."
        case .severalCodeBlocks(let count):
            return "The reply has \(count) non-empty code blocks; the replacement must come in exactly one."
        case .unterminatedCodeBlock(let openingLine):
            return "The code block opened on line \(openingLine) of the reply is never closed, so the reply may be "
                + "cut off; nothing was changed."
        case .noSearchReplaceBlocks:
            return "The reply has no SEARCH/REPLACE blocks (<<<<<<< SEARCH, =======, >>>>>>> REPLACE)."
        case .malformedSearchReplaceBlock(let number, let problem):
            let what: String
            switch problem {
            case .missingDivider: what = "has no ======= line between its SEARCH and REPLACE parts"
            case .missingReplaceMarker: what = "is not closed by a >>>>>>> REPLACE line"
            case .unexpectedMarker(let marker): what = "has an unexpected \(marker) line"
            }
            return "SEARCH/REPLACE block \(number) \(what)."
        case .invalidToolArguments(let tool, let problem):
            return "The \(tool) call's arguments are invalid: \(problem)."
        case .unknownTool(let name):
            return "There is no tool named '\(name)'; only edit_file is available."
        case .mixedFormats(let kinds):
            return "The reply mixes \(kinds), so it is unclear which edit it means."
        case .malformedDiff(let problem):
            return problem
        case .doubledFence(let line):
            return "Line \(line) of the reply repeats the code block's opening fence, so where the code starts is unclear."
        case .promptEcho(let line, let text):
            return "Line \(line) of the reply (`\(text.prefix(60))`) repeats the prompt k2lsp sent instead of answering "
                + "it, so its code may be part of that echo rather than the edit. Answer with the edit only."
        }
    }

    /// What to tell the model so that it can answer again in the right format.
    public var repairPrompt: String {
        description + " Reply again in exactly the format that was asked for, with no other changes."
    }
}
