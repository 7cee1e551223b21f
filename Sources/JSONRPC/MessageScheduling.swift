// The one rule for what may run concurrently: for each message, what it waits for and what a change does to it.

/// How a message is scheduled relative to the others, and what a later change to the resource it reads (an LSP
/// document) does to it while it runs. Every message's class is declared once, in its registry entry; the dispatcher,
/// the in-flight table (staleness and supersession) and per-command scheduling all read it from there.
///
/// In the spirit of sourcekit-lsp's `MessageHandlingDependencyTracker`, with one message loop: messages are taken
/// in arrival order, and a message handled *in the loop* finishes before the next one is looked at.
public enum MessageScheduling: Sendable, Hashable {
    /// Handled on the reader thread as soon as it is read, ahead of every queued message: it cancels the request
    /// it names (`$/cancelRequest`). Waits for nothing.
    case cancelsRequest
    /// Handled in the loop: waits for every earlier message to be dispatched, and every later one waits for it
    /// (lifecycle requests, configuration and other notifications).
    case inLoop
    /// Changes a resource: handled in the loop like `inLoop`, then every request in flight that reads the resource
    /// gets what its `Staleness` says. Requests read after it see the change.
    case updatesResource
    /// Runs in its own task once every earlier in-loop message is done; waits for no other request, and no change
    /// affects it.
    case freestanding
    /// Reads one resource: runs in its own task once every earlier update of it is applied; a later change to the
    /// resource does what `Staleness` says.
    case readsResource(Staleness)
    /// The decoded message says which of the classes above applies (`workspace/executeCommand`: per command).
    case perMessage

    /// Whether the loop waits for the handler before looking at the next message.
    public var runsInLoop: Bool {
        switch self {
        case .inLoop, .updatesResource: true
        case .cancelsRequest, .freestanding, .readsResource, .perMessage: false
        }
    }
}

/// What a change to its resource does to a request that reads it.
public enum Staleness: Sendable, Hashable, CaseIterable {
    /// The answer no longer fits: peers that retry the method on -32801 (LSP's `retryOnContentModified`) get -32801
    /// at once and the work is cancelled; for other peers the answer stands.
    case contentModified
    /// As `contentModified` for peers that retry; for the others the handler moves its result onto the changed
    /// resource when the change did not touch it, and answers -32801 when it did.
    case rebase
    /// Changes never affect it. A newer request of this class on the same resource supersedes it: it is answered
    /// with its request type's `supersededResponse` at once and its work is cancelled (inline completion).
    case supersede
}

/// A message's class after its params are decoded: the resource is known, `perMessage` is resolved.
public struct ResolvedScheduling: Sendable, Hashable {
    public var scheduling: MessageScheduling
    public var resource: String?

    public init(_ scheduling: MessageScheduling, resource: String? = nil) {
        self.scheduling = scheduling
        self.resource = resource
    }

    public static let freestanding = ResolvedScheduling(.freestanding)

    /// The staleness rule that applies, for a request that reads a named resource.
    public var staleness: Staleness? {
        guard resource != nil, case .readsResource(let staleness) = scheduling else { return nil }
        return staleness
    }
}
