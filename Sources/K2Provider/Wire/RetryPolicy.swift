// When to retry a failed attempt and how long to wait: pure, so tests can decide it without a clock.

/// Exponential backoff with jitter, honouring the server's requested wait, bounded in attempts and total wait.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles for each further attempt.
    public var baseDelay: Duration
    /// The longest computed backoff (a server's explicit wait may exceed it, within `maxTotalWait`).
    public var maxDelay: Duration
    /// The most time spent waiting between attempts of one request, all waits together.
    public var maxTotalWait: Duration
    /// An attempt that failed after running this long is not repeated: Moonshot's gateway answers 504 after
    /// about five minutes, and three such attempts would keep a user waiting a quarter of an hour.
    public var maxRetriedAttemptDuration: Duration
    /// How long an endpoint is paused after a 429 that names no wait (Moonshot's often do not); requests that wait
    /// report the remaining pause as a retry.
    public var defaultRateLimitPause: Duration

    public init(
        maxAttempts: Int = 3,
        baseDelay: Duration = .seconds(1),
        maxDelay: Duration = .seconds(20),
        maxTotalWait: Duration = .seconds(60),
        maxRetriedAttemptDuration: Duration = .seconds(60),
        defaultRateLimitPause: Duration = .seconds(10)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalWait = maxTotalWait
        self.maxRetriedAttemptDuration = maxRetriedAttemptDuration
        self.defaultRateLimitPause = defaultRateLimitPause
    }

    /// Three attempts, 1 s then 2 s (±jitter), at most 60 s of waiting.
    public static let standard = RetryPolicy()
    /// One attempt: for `doctor`, which reports problems rather than hiding them.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before the next attempt, or `nil` to give up.
    ///
    /// - Parameters:
    ///   - failure: what went wrong on attempt number `attempt` (1-based).
    ///   - attemptDuration: how long the failed attempt ran.
    ///   - waitedSoFar: the time already spent waiting between earlier attempts.
    ///   - jitter: a number in [0, 1); the backoff is scaled into [50 %, 100 %] of its value by it.
    public func delay(
        after failure: ProviderError,
        attempt: Int,
        attemptDuration: Duration = .zero,
        waitedSoFar: Duration,
        jitter: Double
    ) -> Duration? {
        guard failure.isRetryable, attempt < maxAttempts, attemptDuration <= maxRetriedAttemptDuration else { return nil }
        let wait: Duration
        if let requested = failure.retryAfter {
            wait = requested
        } else {
            let exponent = min(max(attempt - 1, 0), 30)
            let backoff = min(baseDelay * (1 << exponent), maxDelay)
            let clampedJitter = min(max(jitter, 0), 1)
            wait = backoff * (0.5 + 0.5 * clampedJitter)
        }
        guard waitedSoFar + wait <= maxTotalWait else { return nil }
        return wait
    }
}
