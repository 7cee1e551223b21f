// Runs blocking file-system work on its own thread, so that it never holds one of the few cooperative threads.
import Foundation
import Synchronization

enum BackgroundWork {
    /// Runs `body` on a new thread and returns its result.
    static func run<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.name = "k2lsp.index"
            // Indexing must not slow the editor's requests down.
            thread.qualityOfService = .utility
            thread.start()
        }
    }
}

/// A flag that background work polls to stop early.
final class StopFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
    func reset() { value.withLock { $0 = false } }
}
