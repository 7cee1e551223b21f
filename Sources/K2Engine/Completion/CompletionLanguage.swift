// How a language marks blocks, strings and comments, as far as cutting a completion at the end of a block needs.

/// The block structure of a language, from its LSP language identifier.
enum CompletionLanguage: Sendable, Hashable {
    /// Blocks are `{ … }`; strings and comments are skipped when counting.
    case braces(singleQuotesAreStrings: Bool, backticksAreStrings: Bool, hashStartsComment: Bool)
    /// Blocks are indentation (Python).
    case indentation
    /// Unknown: nothing is cut.
    case unknown

    init(languageID: String) {
        switch languageID.lowercased() {
        case "python":
            self = .indentation
        case "javascript", "javascriptreact", "typescript", "typescriptreact", "go":
            self = .braces(singleQuotesAreStrings: true, backticksAreStrings: true, hashStartsComment: false)
        case "php":
            self = .braces(singleQuotesAreStrings: true, backticksAreStrings: false, hashStartsComment: true)
        case "c", "cpp", "objective-c", "objective-cpp", "java", "csharp", "kotlin", "scala", "dart", "cuda",
            "groovy":
            self = .braces(singleQuotesAreStrings: true, backticksAreStrings: false, hashStartsComment: false)
        case "swift", "rust", "zig", "json", "jsonc", "css", "scss", "less":
            // Rust lifetimes ('a) and Swift's absence of character literals make a quote no string opener here.
            self = .braces(singleQuotesAreStrings: false, backticksAreStrings: false, hashStartsComment: false)
        default:
            self = .unknown
        }
    }

    static let openers: [Character: Character] = ["{": "}", "(": ")", "[": "]"]
    static let closers: Set<Character> = ["}", ")", "]"]
}

/// Walks text character by character and reports the brackets that are code, skipping strings and comments.
struct BracketScanner {
    var singleQuotesAreStrings = true
    var backticksAreStrings = false
    var hashStartsComment = false

    init(language: CompletionLanguage) {
        if case .braces(let singleQuotes, let backticks, let hash) = language {
            singleQuotesAreStrings = singleQuotes
            backticksAreStrings = backticks
            hashStartsComment = hash
        }
    }

    /// Calls `visit` with each code bracket and its index; `visit` returns false to stop.
    func scan(_ text: String, visit: (Character, String.Index) -> Bool) {
        var index = text.startIndex
        var openQuote: Character?
        var inLineComment = false
        var inBlockComment = false
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            let following = next < text.endIndex ? text[next] : nil
            if character == "\n" || character == "\r\n" {
                inLineComment = false
                if openQuote != "`" { openQuote = nil }
            } else if inLineComment {
                // Everything up to the end of the line is comment.
            } else if inBlockComment {
                if character == "*" && following == "/" {
                    inBlockComment = false
                    index = text.index(after: next)
                    continue
                }
            } else if let quote = openQuote {
                if character == "\\" && following != nil {
                    index = text.index(after: next)
                    continue
                }
                if character == quote { openQuote = nil }
            } else if character == "/" && following == "/" || hashStartsComment && character == "#" {
                inLineComment = true
            } else if character == "/" && following == "*" {
                inBlockComment = true
                index = text.index(after: next)
                continue
            } else if character == "\"" || character == "'" && singleQuotesAreStrings
                || character == "`" && backticksAreStrings
            {
                openQuote = character
            } else if CompletionLanguage.openers[character] != nil || CompletionLanguage.closers.contains(character) {
                if !visit(character, index) { return }
            }
            index = next
        }
    }

    /// How many closing brackets in `text` close nothing opened in `text`.
    func unmatchedClosers(in text: String) -> Int {
        var stack: [Character] = []
        var unmatched = 0
        scan(text) { bracket, _ in
            if let closer = CompletionLanguage.openers[bracket] {
                stack.append(closer)
            } else if stack.last == bracket {
                stack.removeLast()
            } else {
                unmatched += 1
            }
            return true
        }
        return unmatched
    }
}
