// Refuses keys that cannot go into an HTTP header as they are (a pasted line break), before anything is sent.

public enum APIKeyCheck {
    /// A sentence naming the problem and the fix, or nil when the key can be sent.
    public static func problem(variable: String, key: String) -> String? {
        if key.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            return "\(variable) contains a line break (keys copied from a file often end in one), so k2lsp will "
                + "not send it. Set it again without it, e.g. export \(variable)=\"$(printf %s \"$\(variable)\" | "
                + "tr -d '\\r\\n')\"."
        }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "\(variable) contains a control character, so k2lsp will not send it. Copy the key again from "
                + "your provider's console and set \(variable) to exactly that text."
        }
        return nil
    }
}

extension ProviderSettings {
    /// Why the configured key cannot be used, or nil (also when no key is configured or set).
    public func apiKeyProblem(in environment: [String: String]) -> String? {
        guard let apiKeyEnv, let key = apiKey(in: environment) else { return nil }
        return APIKeyCheck.problem(variable: apiKeyEnv, key: key)
    }
}
