// Enforces the first-byte, idle and total timeouts of one attempt by failing when a limit passes.
import Synchronization

/// The reading task reports activity; `run()` sleeps until the nearest deadline and throws when it passed,
/// which cancels the reading task (and so closes the connection) through their task group.
final class StreamWatchdog: Sendable {
    private struct State {
        var firstByteAt: ContinuousClock.Instant?
        var lastActivity: ContinuousClock.Instant
    }

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

    /// Returns only by throwing: `TimeoutFired` when a limit passes, `CancellationError` when cancelled.
    func run() async throws -> Never {
        while true {
            let (deadline, code, limit) = nextDeadline()
            let now = ContinuousClock.now
            if now >= deadline {
                throw TimeoutFired(code: code, limit: limit)
            }
            // Activity only pushes deadlines later, except the first byte, which swaps the first-byte deadline for
            // a usually nearer idle one: while waiting for it, look again at least once per idle period.
            let wake = code == .firstByteTimeout ? min(deadline, now + timeouts.idle) : deadline
            try await Task.sleep(until: wake, clock: .continuous)
        }
    }

    private func nextDeadline() -> (ContinuousClock.Instant, ProviderError.Code, Duration) {
        let snapshot = state.withLock { $0 }
        let totalDeadline = startedAt + timeouts.total
        let stageDeadline: ContinuousClock.Instant
        let stageCode: ProviderError.Code
        let stageLimit: Duration
        if snapshot.firstByteAt == nil {
            (stageDeadline, stageCode, stageLimit) = (startedAt + timeouts.firstByte, .firstByteTimeout, timeouts.firstByte)
        } else {
            (stageDeadline, stageCode, stageLimit) = (snapshot.lastActivity + timeouts.idle, .idleTimeout, timeouts.idle)
        }
        return stageDeadline < totalDeadline
            ? (stageDeadline, stageCode, stageLimit) : (totalDeadline, .totalTimeout, timeouts.total)
    }
}

/// Which limit passed; the client turns it into a `ProviderError`.
struct TimeoutFired: Error, Sendable {
    var code: ProviderError.Code
    var limit: Duration
}
