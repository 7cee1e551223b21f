// Warns about keys the schema does not know, suggesting the closest known one.
enum UnknownKeyReporter {
    static func report(
        keyPath: String, key: String, siblings: [String], line: Int?, collector: inout DiagnosticCollector
    ) {
        if looksLikeAPIKey(key) {
            collector.warning(
                keyPath, line: line,
                "'\(keyPath)' is ignored: k2lsp never reads keys from files. Put the key in an environment variable "
                    + "and name that variable with 'api_key_env' (default K2_API_KEY)"
            )
            return
        }
        let hint = suggestion(for: key, among: siblings).map { "; did you mean '\($0)'?" } ?? ""
        collector.warning(keyPath, line: line, "unknown key '\(keyPath)' is ignored\(hint)")
    }

    static func suggestion(for key: String, among candidates: [String]) -> String? {
        let folded = fold(key)
        if let sameLetters = candidates.first(where: { fold($0) == folded }) { return sameLetters }
        let scored = candidates.map { ($0, editDistance(folded, fold($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, min(3, key.count / 3)) else { return nil }
        return best.0
    }

    private static func looksLikeAPIKey(_ key: String) -> Bool {
        ["apikey", "key", "token", "apitoken", "secret"].contains(fold(key))
    }

    /// `baseURL`, `base-url` and `base_url` all fold to `baseurl`.
    private static func fold(_ key: String) -> String {
        String(key.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    private static func editDistance(_ left: String, _ right: String) -> Int {
        let leftCharacters = Array(left)
        let rightCharacters = Array(right)
        var previousRow = Array(0...rightCharacters.count)
        for (leftIndex, leftCharacter) in leftCharacters.enumerated() {
            var currentRow = [leftIndex + 1]
            for (rightIndex, rightCharacter) in rightCharacters.enumerated() {
                let substitution = previousRow[rightIndex] + (leftCharacter == rightCharacter ? 0 : 1)
                currentRow.append(min(substitution, previousRow[rightIndex + 1] + 1, currentRow[rightIndex] + 1))
            }
            previousRow = currentRow
        }
        return previousRow[rightCharacters.count]
    }
}
