// Enforces the first-byte, idle and total timeouts of one attempt by failing when a limit passes.
import Synchronization

/// The reading task reports activity; `run()` sleeps until the nearest deadline and throws when it passed,
/// which cancels the reading task (and so closes the connection) through their task group.
final class StreamWatchdog: Sendable {
    private struct State {
        var firstByteAt: ContinuousClock.Instant?
        var lastActivity: ContinuousClock.Instant
        /// Set once the reply is complete without `[DONE]`: then a short wait ends the attempt successfully.
        var completeReplyDeadline: ContinuousClock.Instant?
    }

    /// How often `run()` looks again while a far deadline is pending (a complete reply brings its end closer).
    static let recheckInterval: Duration = .milliseconds(200)

    let startedAt: ContinuousClock.Instant
    private let timeouts: ProviderTimeouts
    private let state: Mutex<State>

    init(timeouts: ProviderTimeouts, startedAt: ContinuousClock.Instant = .now) {
        self.timeouts = timeouts
        self.startedAt = startedAt
        self.state = Mutex(State(firstByteAt: nil, lastActivity: startedAt))
    }

    /// Records bytes (or a response head) arriving; returns the first-byte latency the first time.
    @discardableResult
    func noteActivity() -> Duration? {
        let now = ContinuousClock.now
        return state.withLock { state in
            state.lastActivity = now
            guard state.firstByteAt == nil else { return nil }
            state.firstByteAt = now
            return now - startedAt
        }
    }

    /// The reply is complete though `[DONE]` has not come: give it `timeouts.afterCompleteReply` more.
    func noteCompleteReply() {
        let deadline = ContinuousClock.now + timeouts.afterCompleteReply
        state.withLock { state in
            if state.completeReplyDeadline == nil { state.completeReplyDeadline = deadline }
        }
    }

    /// Returns only by throwing: `TimeoutFired` when a limit passes, `CompleteReplyWaitOver` when a complete reply
    /// waited long enough for `[DONE]`, `CancellationError` when cancelled.
    func run() async throws -> Never {
        while true {
            let (deadline, outcome) = nextDeadline()
            let now = ContinuousClock.now
            if now >= deadline {
                throw outcome
            }
            try await Task.sleep(until: min(deadline, now + Self.recheckInterval), clock: .continuous)
        }
    }

    private func nextDeadline() -> (ContinuousClock.Instant, any Error) {
        let snapshot = state.withLock { $0 }
        if let completeReplyDeadline = snapshot.completeReplyDeadline {
            return (completeReplyDeadline, CompleteReplyWaitOver())
        }
        let totalDeadline = startedAt + timeouts.total
        let stageDeadline: ContinuousClock.Instant
        let stage: TimeoutFired
        if snapshot.firstByteAt == nil {
            (stageDeadline, stage) = (startedAt + timeouts.firstByte, TimeoutFired(code: .firstByteTimeout, limit: timeouts.firstByte))
        } else {
            (stageDeadline, stage) = (snapshot.lastActivity + timeouts.idle, TimeoutFired(code: .idleTimeout, limit: timeouts.idle))
        }
        return stageDeadline < totalDeadline
            ? (stageDeadline, stage) : (totalDeadline, TimeoutFired(code: .totalTimeout, limit: timeouts.total))
    }
}

/// Which limit passed; the client turns it into a `ProviderError`.
struct TimeoutFired: Error, Sendable {
    var code: ProviderError.Code
    var limit: Duration
}

/// A complete reply waited its time for `[DONE]`: the attempt ends with that reply.
struct CompleteReplyWaitOver: Error, Sendable {}
