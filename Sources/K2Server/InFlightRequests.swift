// The requests being worked on: one reply each, cancellation, and staleness after a document change.
import AnyJSON
import JSONRPC
import Synchronization

/// Tracks every request from dispatch to reply. It is the only path to a reply, so a request is answered exactly
/// once: whichever of the handler, a cancellation or a staleness notice comes first wins; later ones are dropped.
final class InFlightRequests: Sendable {
    struct Entry {
        var method: String
        var documentURI: String?
        var task: Task<Void, Never>?
        var stale = false
    }

    private struct State {
        var entries: [RequestID: Entry] = [:]
        /// Cancellations that arrived before their request was dispatched.
        var cancelledEarly: Set<RequestID> = []
        var answered = 0
    }

    private let state = Mutex(State())
    private let connection: Connection

    init(connection: Connection) {
        self.connection = connection
    }

    /// Registers a request before its task starts. Returns false if it was cancelled while queued (and answers it).
    func begin(id: RequestID, method: String, documentURI: String?) -> Bool {
        let cancelled = state.withLock { state -> Bool in
            if state.cancelledEarly.remove(id) != nil { return true }
            state.entries[id] = Entry(method: method, documentURI: documentURI)
            return false
        }
        if cancelled { connection.send(.response(id: id, result: .failure(.cancelled))) }
        return !cancelled
    }

    func attach(task: Task<Void, Never>, to id: RequestID) {
        let orphan = state.withLock { state -> Bool in
            guard state.entries[id] != nil else { return true }
            state.entries[id]?.task = task
            return false
        }
        if orphan { task.cancel() }
    }

    /// Sends the reply if nobody has yet. Returns whether this call answered.
    @discardableResult
    func reply(_ id: RequestID, _ result: Result<JSONValue, ResponseError>) -> Bool {
        let owned = state.withLock { state -> Bool in
            guard state.entries.removeValue(forKey: id) != nil else { return false }
            state.answered += 1
            return true
        }
        if owned { connection.send(.response(id: id, result: result)) }
        return owned
    }

    /// `$/cancelRequest`: answer -32800 now and cancel the work. Runs on the reader thread, ahead of the queue.
    func cancel(_ id: RequestID) {
        let task = state.withLock { state -> Task<Void, Never>?? in
            guard let entry = state.entries[id] else {
                // Not dispatched yet, or already answered: remember it briefly in case it is still queued.
                state.cancelledEarly.insert(id)
                if state.cancelledEarly.count > 1024 { state.cancelledEarly.removeFirst() }
                return nil
            }
            return .some(entry.task)
        }
        guard let task else { return }
        if reply(id, .failure(.cancelled)) { task?.cancel() }
    }

    /// A document changed: requests on it that the client retries get -32801 now; the others are marked stale,
    /// and their handlers decide (rebase or -32801) when they finish.
    func documentChanged(uri: String, retryOnContentModified: Set<String>, exempt: Set<String>) {
        let retried = state.withLock { state -> [(RequestID, Task<Void, Never>?)] in
            var retried: [(RequestID, Task<Void, Never>?)] = []
            for (id, entry) in state.entries where entry.documentURI == uri && !exempt.contains(entry.method) {
                state.entries[id]?.stale = true
                if retryOnContentModified.contains(entry.method) { retried.append((id, entry.task)) }
            }
            return retried
        }
        for (id, task) in retried {
            let error = ResponseError.contentModified("The document changed while the request was running; retry it.")
            if reply(id, .failure(error)) { task?.cancel() }
        }
    }

    func isStale(_ id: RequestID) -> Bool {
        state.withLock { $0.entries[id]?.stale ?? false }
    }

    /// Cancels everything (EOF, exit, parent death). Outstanding requests get no reply: the client is gone.
    func cancelAll() {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            defer { state.entries.removeAll() }
            return state.entries.values.compactMap(\.task)
        }
        for task in tasks { task.cancel() }
    }

    var outstandingCount: Int { state.withLock { $0.entries.count } }
}
