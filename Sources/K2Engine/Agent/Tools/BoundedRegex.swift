// A regular expression whose matching runs off the cooperative pool and stops at a deadline or on cancellation.
import Foundation
import Synchronization

/// ICU matches by backtracking: `(a|aa)+$` over one 5,000-character line ran for 100 s, ignoring cancellation and
/// holding one of the cooperative pool's threads (on two cores, half of them). Matching here runs on a Dispatch
/// queue, asks for ICU's progress callbacks, and stops when the search's time budget is spent or it is cancelled.
final class BoundedRegex: Sendable {
    enum Failure: Error {
        case timedOut
    }

    // NSRegularExpression is immutable once made, and documented as safe to share between threads.
    nonisolated(unsafe) private let expression: NSRegularExpression
    private let deadline: ContinuousClock.Instant
    private let stopped = Atomic<Bool>(false)
    private static let queue = DispatchQueue(label: "k2lsp.search.regex", attributes: .concurrent)

    /// - Parameter budget: for every match of this search together.
    init(_ expression: NSRegularExpression, budget: Duration) {
        self.expression = expression
        self.deadline = ContinuousClock.now + budget
    }

    /// The indices of the lines that match. Throws `Failure.timedOut` when the budget ran out, `CancellationError`
    /// when the task was cancelled; either way ICU has stopped before this returns.
    func matchingIndices(of lines: [String]) async throws -> [Int] {
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<[Int], Failure>, Never>) in
                Self.queue.async { continuation.resume(returning: self.match(lines)) }
            }
        } onCancel: {
            stopped.store(true, ordering: .relaxed)
        }
        try Task.checkCancellation()
        return try result.get()
    }

    private func match(_ lines: [String]) -> Result<[Int], Failure> {
        var indices: [Int] = []
        for (index, line) in lines.enumerated() {
            var matched = false
            var outOfTime = false
            expression.enumerateMatches(
                in: line, options: [.reportProgress], range: NSRange(line.startIndex..., in: line)
            ) { result, _, stop in
                if result != nil {
                    matched = true
                    stop.pointee = true
                } else if self.stopped.load(ordering: .relaxed) || ContinuousClock.now >= self.deadline {
                    outOfTime = true
                    stop.pointee = true
                }
            }
            if outOfTime || stopped.load(ordering: .relaxed) { return .failure(.timedOut) }
            if matched { indices.append(index) }
        }
        return .success(indices)
    }
}
