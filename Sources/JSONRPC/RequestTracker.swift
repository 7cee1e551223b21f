// The one owner of requests in flight: exactly one reply each, cancellation, staleness and supersession.
import Foundation
import Synchronization

/// A reply mistake of this process (never of the peer): a handler answered twice, or a request was never answered.
public enum ReplyViolation: Sendable, Hashable, CustomStringConvertible {
    case repliedTwice(id: RequestID, method: String)
    case dropped(id: RequestID, method: String)

    public var description: String {
        switch self {
        case .repliedTwice(let id, let method): "The handler of '\(method)' (id \(id)) replied more than once."
        case .dropped(let id, let method): "The request '\(method)' (id \(id)) was dropped without a reply."
        }
    }

    /// Stops a debug build at the mistake; a release build only reports it (the tracker answers a dropped request
    /// with -32603, so the peer does not wait forever).
    public static func standardHandler(report: @escaping @Sendable (ReplyViolation) -> Void)
        -> @Sendable (ReplyViolation) -> Void
    {
        { violation in
            report(violation)
            assertionFailure(violation.description)
        }
    }
}

/// Every request from the moment it is read to its reply. A reply can only be sent through the request's
/// `PendingRequest` or by this tracker (cancellation, staleness, supersession, refusal), and only the first one is
/// sent: whichever of the handler, a `$/cancelRequest` or a document change comes first wins. A handler that replies
/// twice, or a request that is dropped without a reply, is a `ReplyViolation`.
public final class RequestTracker: Sendable {
    /// What is shared between a request's table entry and its `PendingRequest`.
    final class ReplyState: Sendable {
        struct Counts {
            var handlerReplies = 0
            /// The tracker answered it (cancelled, stale, superseded, refused) or gave it up (the session ended).
            var settled = false
        }
        let counts = Mutex(Counts())
    }

    struct Entry {
        var method: String
        var replyState: ReplyState
        var scheduling: ResolvedScheduling?
        var task: Task<Void, Never>?
        var supersededResponse: EncodedJSON?
    }

    private struct State {
        var entries: [RequestID: Entry] = [:]
        /// Cancellations of ids never seen (a peer may cancel before the request arrives), oldest first.
        var earlyCancels: [RequestID] = []
        /// Recently answered ids, oldest first: a late cancellation of one of them is ignored, not kept.
        var answered: [RequestID] = []
        var answeredSet: Set<RequestID> = []
        var closed = false
        var answeredCount = 0

        mutating func recordAnswered(_ id: RequestID) {
            answeredCount += 1
            guard answeredSet.insert(id).inserted else { return }
            answered.append(id)
            if answered.count > RequestTracker.memory {
                answeredSet.remove(answered.removeFirst())
            }
        }
    }

    /// How many early cancellations and answered ids are remembered.
    public static let memory = 1024

    private let state = Mutex(State())
    private let output: MessageOutput
    private let onViolation: @Sendable (ReplyViolation) -> Void

    init(output: MessageOutput, onViolation: @escaping @Sendable (ReplyViolation) -> Void) {
        self.output = output
        self.onViolation = onViolation
    }

    // MARK: Reading

    /// A request was read. Returns its reply handle, or nil when it is already answered: it was cancelled before it
    /// arrived, or its id is in use by a request still in flight.
    func received(id: RequestID, method: String) -> PendingRequest? {
        enum Outcome { case accepted(ReplyState), cancelledEarly, duplicate, closed }
        let outcome = state.withLock { state -> Outcome in
            if state.closed { return .closed }
            if state.entries[id] != nil { return .duplicate }
            if let index = state.earlyCancels.firstIndex(of: id) {
                state.earlyCancels.remove(at: index)
                state.recordAnswered(id)
                return .cancelledEarly
            }
            let replyState = ReplyState()
            state.entries[id] = Entry(method: method, replyState: replyState)
            return .accepted(replyState)
        }
        switch outcome {
        case .accepted(let replyState):
            return PendingRequest(id: id, method: method, replyState: replyState, tracker: self)
        case .cancelledEarly:
            output.send(MessageWriter.response(id: id, result: .failure(.cancelled)))
        case .duplicate:
            output.send(
                MessageWriter.response(
                    id: id,
                    result: .failure(.invalidRequest("The request id \(id) is already used by a request in flight."))))
        case .closed:
            break
        }
        return nil
    }

    /// Answers something that never became a request (a malformed message); `id` is its id when one could be read.
    func refuse(id: RequestID?, _ error: ResponseError) {
        if let id { state.withLock { $0.recordAnswered(id) } }
        output.send(MessageWriter.response(id: id, result: .failure(error)))
    }

    // MARK: Dispatch

    /// The request's params decoded and its class is known; `task` (for concurrent requests) is attached later.
    /// A request of class `.readsResource(.supersede)` supersedes the older ones of that class on its resource.
    func start(_ id: RequestID, scheduling: ResolvedScheduling, supersededResponse: EncodedJSON?) {
        let superseded = state.withLock { state -> [(RequestID, Entry)] in
            guard state.entries[id] != nil else { return [] }
            state.entries[id]?.scheduling = scheduling
            state.entries[id]?.supersededResponse = supersededResponse
            guard scheduling.staleness == .supersede else { return [] }
            return state.entries.filter { other in
                other.key != id && other.value.scheduling?.staleness == .supersede
                    && other.value.scheduling?.resource == scheduling.resource
            }.map { ($0.key, $0.value) }
        }
        for (otherID, entry) in superseded {
            if answer(otherID, .success(entry.supersededResponse ?? .null), settling: true) { entry.task?.cancel() }
        }
    }

    func attach(task: Task<Void, Never>, to id: RequestID) {
        let orphan = state.withLock { state -> Bool in
            guard state.entries[id] != nil else { return true }
            state.entries[id]?.task = task
            return false
        }
        if orphan { task.cancel() }
    }

    // MARK: Answers

    /// Sends the first answer to a request; later ones are dropped. Returns whether this call answered.
    @discardableResult
    func answer(_ id: RequestID, _ result: Result<EncodedJSON, ResponseError>, settling: Bool) -> Bool {
        let entry = state.withLock { state -> Entry? in
            guard let entry = state.entries.removeValue(forKey: id) else { return nil }
            state.recordAnswered(id)
            return entry
        }
        guard let entry else { return false }
        if settling { entry.replyState.counts.withLock { $0.settled = true } }
        output.send(MessageWriter.response(id: id, result: result))
        return true
    }

    fileprivate func handlerReplied(_ pending: PendingRequest, _ result: Result<EncodedJSON, ResponseError>) {
        let replies = pending.replyState.counts.withLock { counts -> Int in
            counts.handlerReplies += 1
            return counts.handlerReplies
        }
        if replies > 1 {
            onViolation(.repliedTwice(id: pending.id, method: pending.method))
            return
        }
        answer(pending.id, result, settling: false)
    }

    fileprivate func handleReleased(_ pending: PendingRequest) {
        let dropped = pending.replyState.counts.withLock { $0.handlerReplies == 0 && !$0.settled }
        guard dropped else { return }
        onViolation(.dropped(id: pending.id, method: pending.method))
        answer(
            pending.id,
            .failure(.internalError("k2lsp lost this request without answering it. Please report this with the log.")),
            settling: true)
    }

    // MARK: Cancellation and changes

    /// A cancellation (`$/cancelRequest`, or the user cancelling its progress): -32800 at once and the work is
    /// cancelled. A cancellation of an id not seen yet is remembered (bounded, oldest forgotten first) in case its
    /// request is still on its way; one of an id already answered is ignored.
    public func cancel(_ id: RequestID) {
        let task = state.withLock { state -> Task<Void, Never>?? in
            if let entry = state.entries[id] { return .some(entry.task) }
            if !state.answeredSet.contains(id), !state.earlyCancels.contains(id) {
                state.earlyCancels.append(id)
                if state.earlyCancels.count > Self.memory { state.earlyCancels.removeFirst() }
            }
            return nil
        }
        guard let task else { return }
        if answer(id, .failure(.cancelled), settling: true) { task?.cancel() }
    }

    /// A resource changed: requests in flight on it that the peer retries (`peerRetries(method)`) and whose
    /// staleness is `contentModified` or `rebase` are answered -32801 and cancelled. Returns their ids.
    @discardableResult
    public func resourceChanged(_ resource: String, peerRetries: (String) -> Bool) -> [RequestID] {
        let stale = state.withLock { state -> [(RequestID, Task<Void, Never>?)] in
            state.entries.compactMap { id, entry in
                guard entry.scheduling?.resource == resource, let staleness = entry.scheduling?.staleness else { return nil }
                switch staleness {
                case .contentModified, .rebase: return peerRetries(entry.method) ? (id, entry.task) : nil
                case .supersede: return nil
                }
            }
        }
        var answered: [RequestID] = []
        for (id, task) in stale {
            let error = ResponseError.contentModified("The document changed while the request was running; retry it.")
            if answer(id, .failure(error), settling: true) {
                task?.cancel()
                answered.append(id)
            }
        }
        return answered
    }

    /// The session ended (EOF, exit, the parent died): every request is cancelled and gets no reply — the peer is
    /// gone. Requests read later are ignored.
    public func abandonAll() {
        let entries = state.withLock { state -> [Entry] in
            state.closed = true
            defer { state.entries.removeAll() }
            return Array(state.entries.values)
        }
        for entry in entries {
            entry.replyState.counts.withLock { $0.settled = true }
            entry.task?.cancel()
        }
    }

    /// Requests read and not yet answered.
    public var outstandingCount: Int { state.withLock { $0.entries.count } }

    /// The methods of the requests in flight, by id (for tests and diagnostics).
    public var outstandingMethods: [RequestID: String] { state.withLock { $0.entries.mapValues(\.method) } }
}

/// The only way a handler answers its request: `reply` once. Releasing it unanswered is a `ReplyViolation`.
public final class PendingRequest: Sendable {
    public let id: RequestID
    public let method: String
    let replyState: RequestTracker.ReplyState
    private let tracker: RequestTracker

    init(id: RequestID, method: String, replyState: RequestTracker.ReplyState, tracker: RequestTracker) {
        self.id = id
        self.method = method
        self.replyState = replyState
        self.tracker = tracker
    }

    deinit { tracker.handleReleased(self) }

    public func reply(_ result: Result<EncodedJSON, ResponseError>) {
        tracker.handlerReplied(self, result)
    }

    /// True once the tracker answered it (cancelled while queued, stale, superseded): its work can be skipped.
    public var isSettled: Bool { replyState.counts.withLock { $0.settled } }

    var tracking: RequestTracker { tracker }
}
