// Which failures are retried, how long to wait, and when to give up.
@testable import K2Provider
import Testing

struct RetryCase: Sendable, CustomStringConvertible {
    var name: String
    var retryable: Bool
    var retryAfter: Duration?
    var attempt: Int
    var waited: Duration
    var jitter: Double
    var expected: Duration?
    var description: String { name }
}

@Test(arguments: [
    RetryCase(name: "first retry, no jitter", retryable: true, retryAfter: nil, attempt: 1, waited: .zero, jitter: 1, expected: .seconds(1)),
    RetryCase(name: "first retry, most jitter", retryable: true, retryAfter: nil, attempt: 1, waited: .zero, jitter: 0, expected: .milliseconds(500)),
    RetryCase(name: "second retry doubles", retryable: true, retryAfter: nil, attempt: 2, waited: .seconds(1), jitter: 1, expected: .seconds(2)),
    RetryCase(name: "no third retry", retryable: true, retryAfter: nil, attempt: 3, waited: .seconds(3), jitter: 1, expected: nil),
    RetryCase(name: "not retryable", retryable: false, retryAfter: nil, attempt: 1, waited: .zero, jitter: 1, expected: nil),
    RetryCase(name: "server's wait is honoured exactly", retryable: true, retryAfter: .seconds(7), attempt: 1, waited: .zero, jitter: 0.3, expected: .seconds(7)),
    RetryCase(name: "a wait past the total cap gives up", retryable: true, retryAfter: .seconds(59), attempt: 2, waited: .seconds(2), jitter: 1, expected: nil),
    RetryCase(name: "zero Retry-After retries at once", retryable: true, retryAfter: .zero, attempt: 1, waited: .zero, jitter: 1, expected: .zero),
])
func retryPolicyDecides(_ testCase: RetryCase) {
    let failure = ProviderError(
        code: .serverError,
        origin: .init(mapperEndpoint),
        retryAfter: testCase.retryAfter,
        isRetryable: testCase.retryable
    )
    let delay = RetryPolicy.standard.delay(after: failure, attempt: testCase.attempt, waitedSoFar: testCase.waited, jitter: testCase.jitter)
    #expect(delay == testCase.expected)
}

@Test func backoffIsCappedAtMaxDelay() {
    let policy = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(4), maxTotalWait: .seconds(100))
    let failure = ProviderError(code: .serverError, origin: .init(mapperEndpoint), isRetryable: true)
    #expect(policy.delay(after: failure, attempt: 6, waitedSoFar: .zero, jitter: 1) == .seconds(4))
    #expect(RetryPolicy.none.delay(after: failure, attempt: 1, waitedSoFar: .zero, jitter: 1) == nil)
}

@Test func aLongFailedAttemptIsNotRepeated() {
    let failure = ProviderError(code: .serverError, origin: .init(mapperEndpoint), statusCode: 504, isRetryable: true)
    let policy = RetryPolicy.standard
    #expect(policy.delay(after: failure, attempt: 1, attemptDuration: .seconds(300), waitedSoFar: .zero, jitter: 1) == nil)
    #expect(policy.delay(after: failure, attempt: 1, attemptDuration: .seconds(5), waitedSoFar: .zero, jitter: 1) == .seconds(1))
}
