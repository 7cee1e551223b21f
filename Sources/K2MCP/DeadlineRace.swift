// Waits for an operation, a deadline or the caller's cancellation, whichever comes first, without waiting for the rest.
import Synchronization

enum RaceOutcome<Value: Sendable>: Sendable {
    case value(Value)
    case failure(any Error)
    case timedOut
    case cancelled
}

/// The SDK's pending requests do not end when the awaiting task is cancelled (only `Client.cancelRequest` or a
/// disconnect resumes them), so a task group would wait for them. This returns the first outcome at once; the caller
/// then cancels the request on the wire, which lets the abandoned wait finish.
enum DeadlineRace {
    static func first<Value: Sendable>(
        within timeout: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async -> RaceOutcome<Value> {
        let once = ResumeOnce<Value>()
        let work = Task {
            do {
                once.resume(.value(try await operation()))
            } catch {
                once.resume(.failure(error))
            }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { once.resume(.timedOut) }
        }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { once.install($0) }
        } onCancel: {
            once.resume(.cancelled)
        }
        timer.cancel()
        work.cancel()
        return outcome
    }
}

/// Resumes a continuation once, with the first outcome offered (even one offered before the continuation exists).
private final class ResumeOnce<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<RaceOutcome<Value>, Never>?
        var early: RaceOutcome<Value>?
        var finished = false
    }

    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<RaceOutcome<Value>, Never>) {
        let early = state.withLock { state -> RaceOutcome<Value>? in
            guard let early = state.early else {
                state.continuation = continuation
                return nil
            }
            state.early = nil
            return early
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(_ outcome: RaceOutcome<Value>) {
        let continuation = state.withLock { state -> CheckedContinuation<RaceOutcome<Value>, Never>? in
            guard !state.finished else { return nil }
            state.finished = true
            guard let continuation = state.continuation else {
                state.early = outcome
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: outcome)
    }
}
