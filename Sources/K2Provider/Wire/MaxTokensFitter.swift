// Fits the requested output budget into what the context window leaves after the prompt.

public enum MaxTokensFitter {
    /// Never ask for less than this: a smaller budget cannot produce a useful answer, and the server's
    /// "exceeded model token limit" error is clearer than an empty reply.
    public static let minimumTokens = 16

    /// `requested`, lowered so that prompt + output fit in `contextWindow`. The prompt estimate gets 10 % and 256
    /// tokens of headroom because estimates are rough (about 3 characters per token for code).
    public static func fit(requested: Int, promptTokenEstimate: Int?, contextWindow: Int?) -> Int {
        let floor = max(minimumTokens, 1)
        let wanted = max(requested, floor)
        guard let contextWindow, let promptTokenEstimate else { return wanted }
        let headroom = promptTokenEstimate / 10 + 256
        let left = contextWindow - promptTokenEstimate - headroom
        return max(floor, min(wanted, left))
    }
}
