// Rate limits of one endpoint (base URL and key): a pause after a 429, and a limit on requests in flight.

/// Requests to one endpoint pass through its gate. After a 429 the gate is shut until the server's wait is over;
/// a 429 that came while several requests were in flight also lowers how many may be in flight at once (the
/// provider's concurrency limit, learned). Waiting requests are served first come, first served.
actor EndpointGate {
    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    private var learnedLimit: Int?
    private var inFlight = 0
    private var pausedUntil: ContinuousClock.Instant?
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0

    /// How long requests must still wait after the last 429, or nil when they may go.
    func pauseRemaining(now: ContinuousClock.Instant = .now) -> Duration? {
        guard let pausedUntil, pausedUntil > now else { return nil }
        return pausedUntil - now
    }

    func currentLimit(configured: Int?) -> Int? {
        switch (configured, learnedLimit) {
        case (let configured?, let learned?): min(configured, learned)
        case (let configured?, nil): configured
        case (nil, let learned?): learned
        case (nil, nil): nil
        }
    }

    /// Takes a slot if one is free now.
    func tryAcquire(configuredLimit: Int?) -> Bool {
        guard hasFreeSlot(configuredLimit: configuredLimit), waiters.isEmpty else { return false }
        inFlight += 1
        return true
    }

    /// Takes a slot, waiting in line for one; throws `CancellationError` when the waiting task is cancelled.
    func acquire(configuredLimit: Int?) async throws {
        if tryAcquire(configuredLimit: configuredLimit) { return }
        let id = nextWaiterID
        nextWaiterID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiters.append(Waiter(id: id, continuation: continuation))
                admitWaiters(configuredLimit: configuredLimit)
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    func release(configuredLimit: Int?) {
        inFlight = max(0, inFlight - 1)
        admitWaiters(configuredLimit: configuredLimit)
    }

    /// A 429 arrived with `inFlightAtTheTime` requests out (this one included). Returns the new concurrency
    /// limit when it was lowered.
    func noteRateLimited(pause: Duration, now: ContinuousClock.Instant = .now) -> Int? {
        let until = now + pause
        if pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
        guard inFlight > 1 else { return nil }
        let lowered = inFlight - 1
        guard learnedLimit.map({ lowered < $0 }) ?? true else { return nil }
        learnedLimit = lowered
        return lowered
    }

    private func hasFreeSlot(configuredLimit: Int?) -> Bool {
        guard let limit = currentLimit(configured: configuredLimit) else { return true }
        return inFlight < max(1, limit)
    }

    private func admitWaiters(configuredLimit: Int?) {
        while !waiters.isEmpty, hasFreeSlot(configuredLimit: configuredLimit) {
            inFlight += 1
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
