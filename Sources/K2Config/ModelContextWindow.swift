// The context window of a K2 model, guessed from its id when the configuration does not say.
public enum ModelContextWindow {
    public static let firstGeneration = 131_072
    public static let current = 262_144

    /// 131,072 for the first K2 (0711) and the ids that name it; 262,144 for 0905, turbo, Thinking and k2.6.
    /// An id we do not recognise gets the smaller window: overshooting the real window is a hard 400, while
    /// undershooting only leaves room unused. `context_window` in the configuration overrides this.
    public static func defaultTokens(forModel modelID: String) -> Int {
        let id = modelID.lowercased()
        let firstGenerationIDs: Set<String> = [
            "moonshotai/kimi-k2", "moonshotai/kimi-k2-instruct", "moonshotai/kimi-k2-base",
        ]
        if id.contains("0711") || firstGenerationIDs.contains(id) { return firstGeneration }
        let currentMarkers = ["0905", "turbo", "thinking", "k2.6", "k2-6"]
        if currentMarkers.contains(where: { id.contains($0) }) { return current }
        return firstGeneration
    }
}
