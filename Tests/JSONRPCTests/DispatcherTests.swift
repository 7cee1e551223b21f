// The protocol-agnostic dispatch machinery, driven over newline-delimited pipes as an ACP front end would use it:
// the registry's classes decide staleness and supersession, every request gets exactly one reply, and reply
// mistakes of a handler are reported. No test waits on a clock: handlers block on gates the test opens.
import AnyJSON
import Foundation
import K2TestSupport
import Synchronization
import Testing

@testable import JSONRPC

// MARK: A toy protocol

private struct Echo: RPCRequest {
    static let method = "echo"
    typealias Response = String
    var text: String
}

/// Blocks until the test opens its gate; `resource` names what it reads.
private protocol Held: RPCRequest, ResourceScoped where Response == String {
    var gate: String { get }
    var resource: String { get }
}

extension Held {
    var resourceID: String { resource }
}

private struct HeldModified: Held {
    static let method = "held/contentModified"
    var gate: String
    var resource: String
}

private struct HeldRebased: Held {
    static let method = "held/rebase"
    var gate: String
    var resource: String
}

private struct HeldSuperseded: Held, SupersedableRequest {
    static let method = "held/supersede"
    static var supersededResponse: String { "superseded" }
    var gate: String
    var resource: String
}

private struct HeldFreestanding: RPCRequest {
    static let method = "held/freestanding"
    typealias Response = String
    var gate: String
}

/// Holds the message loop itself until the test opens its gate.
private struct HeldInLoop: RPCRequest {
    static let method = "held/inLoop"
    typealias Response = String
    var gate: String
}

private struct Change: RPCNotification, ResourceScoped {
    static let method = "change"
    var resource: String
    var resourceID: String { resource }
}

private struct Cancel: RequestCancellation {
    static let method = "$/cancel_request"
    var requestId: JSONValue
    var cancelledRequestID: RequestID? { RequestID(jsonValue: requestId) }
}

private struct Forgetful: RPCRequest {
    static let method = "forgetful"
    typealias Response = String
}

private struct Twice: RPCRequest {
    static let method = "twice"
    typealias Response = String
}

/// Asks the peer something and returns its answer: requests flow both ways.
private struct AskPeer: RPCRequest {
    static let method = "askPeer"
    typealias Response = String
    var timeoutMilliseconds: Int?
}

private struct PeerQuestion: RPCRequest {
    static let method = "peer/question"
    typealias Response = String
    var question: String
}

private let registry = MessageRegistry(
    incoming: [
        .request(Echo.self, .inLoop),
        .request(HeldModified.self, .readsResource(.contentModified)),
        .request(HeldRebased.self, .readsResource(.rebase)),
        .request(HeldSuperseded.self, .readsResource(.supersede)),
        .request(HeldFreestanding.self, .freestanding),
        .request(HeldInLoop.self, .inLoop),
        .request(Forgetful.self, .freestanding),
        .request(Twice.self, .freestanding),
        .request(AskPeer.self, .freestanding),
        .notification(Change.self, .updatesResource),
        .notification(Cancel.self, .cancelsRequest),
    ],
    outgoing: [.outgoing(PeerQuestion.self)])

/// Gates the held handlers wait on, and which handlers have started.
private final class Gates: Sendable {
    private let state = Mutex<(open: Set<String>, started: Set<String>)>(([], []))

    func open(_ gate: String) { state.withLock { _ = $0.open.insert(gate) } }
    func started(_ gate: String) -> Bool { state.withLock { $0.started.contains(gate) } }

    func wait(_ gate: String) async {
        state.withLock { _ = $0.started.insert(gate) }
        while !state.withLock({ $0.open.contains(gate) }), !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}

private struct ToyOwner: DispatchOwner {
    let gates: Gates
    let retried: Set<String>
    let connection: Connection

    func retriesOnContentModified(_ method: String) -> Bool { retried.contains(method) }
}

private func held<Request: Held>(_ type: Request.Type) -> MessageHandler<ToyOwner> {
    .request(type) { request, context in
        await context.owner.gates.wait(request.gate)
        return "done \(request.gate)"
    }
}

private let handlers: [MessageHandler<ToyOwner>] = [
    .request(Echo.self) { request, _ in request.text },
    held(HeldModified.self), held(HeldRebased.self), held(HeldSuperseded.self),
    .request(HeldFreestanding.self) { request, context in
        await context.owner.gates.wait(request.gate)
        return "done \(request.gate)"
    },
    .request(HeldInLoop.self) { request, context in
        await context.owner.gates.wait(request.gate)
        return "done \(request.gate)"
    },
    .request(Forgetful.self, replyingThrough: { _, _, _ in }),
    .request(Twice.self, replyingThrough: { _, _, reply in
        reply(.success("first"))
        reply(.success("second"))
    }),
    .request(AskPeer.self) { request, context in
        let timeout = request.timeoutMilliseconds.map { Duration.milliseconds($0) }
        do {
            return try await context.owner.connection.request(PeerQuestion(question: "ready?"), timeout: timeout)
        } catch let error as OutgoingRequestError {
            return "no answer: \(error)"
        }
    },
    .notification(Change.self) { _, _ in },
]

/// A value shared with escaping closures.
private final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func get() -> Value { value.withLock { $0 } }
    func update(_ change: (inout Value) -> Void) { value.withLock { change(&$0) } }
}

/// A `Connection` + `Dispatcher` serving the toy protocol over newline-delimited pipes, and a client for it.
private final class ToyServer: Sendable {
    let client: LSPTestClient
    let gates = Gates()
    private let recorded = Shared<[ReplyViolation]>([])
    private let loop: Task<Void, Never>

    var violations: [ReplyViolation] { recorded.get() }

    init(retried: Set<String> = []) {
        let toServer = Pipe()
        let fromServer = Pipe()
        let gates = self.gates
        let recorded = self.recorded
        let connection = Connection(
            input: toServer.fileHandleForReading, output: fromServer.fileHandleForWriting,
            options: ConnectionOptions(
                framing: .newlineDelimited, outgoingIDPrefix: "toy-", cancellations: registry.cancellations,
                onViolation: { violation in recorded.update { $0.append(violation) } }))
        let dispatcher = Dispatcher(
            table: DispatchTable(registry: registry, handlers: handlers),
            owner: ToyOwner(gates: gates, retried: retried, connection: connection), requests: connection.requests)
        let ended = Shared(false)
        loop = Task {
            connection.start()
            _ = await dispatcher.serve(connection)
            connection.close()
            ended.update { $0 = true }
        }
        client = LSPTestClient(
            endpoint: ServerEndpoint(
                toServer: toServer.fileHandleForWriting, fromServer: fromServer.fileHandleForReading,
                framing: .newlineDelimited, log: { "" }, exitStatus: { ended.get() ? 0 : nil },
                kill: { try? toServer.fileHandleForWriting.close() }))
    }

    func waitUntilStarted(_ gates: [String]) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !gates.allSatisfy(self.gates.started) {
            if ContinuousClock.now > deadline { throw TestSupportError("handlers \(gates) did not start") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    func finish() async {
        client.closeInput()
        await loop.value
    }
}

@Suite struct DispatcherTests {
    @Test func aChangeCancelsExactlyWhatEachClassSaysForAPeerThatRetries() async throws {
        let server = ToyServer(retried: [HeldModified.method, HeldRebased.method, HeldSuperseded.method, HeldFreestanding.method])
        let client = server.client
        let modified = client.sendRequest(HeldModified.method, ["gate": "m", "resource": "A"])
        let rebased = client.sendRequest(HeldRebased.method, ["gate": "r", "resource": "A"])
        let superseded = client.sendRequest(HeldSuperseded.method, ["gate": "s", "resource": "A"])
        let otherResource = client.sendRequest(HeldModified.method, ["gate": "b", "resource": "B"])
        let freestanding = client.sendRequest(HeldFreestanding.method, ["gate": "f"])
        try await server.waitUntilStarted(["m", "r", "s", "b", "f"])
        client.notify(Change.method, ["resource": "A"])
        // In-loop messages are handled in order: once the echo is answered, the change has been applied.
        #expect(try await client.call(Echo.method, ["text": "barrier"]) == "barrier")
        #expect(client.responses(to: modified).first?.errorCode == ResponseError.contentModifiedCode)
        #expect(client.responses(to: rebased).first?.errorCode == ResponseError.contentModifiedCode)
        for untouched in [superseded, otherResource, freestanding] { #expect(client.responses(to: untouched).isEmpty) }
        for gate in ["m", "r", "s", "b", "f"] { server.gates.open(gate) }
        #expect(try await client.response(to: superseded).value == "done s")
        #expect(try await client.response(to: otherResource).value == "done b")
        #expect(try await client.response(to: freestanding).value == "done f")
        await server.finish()
        for id in [modified, rebased, superseded, otherResource, freestanding] { #expect(client.responses(to: id).count == 1) }
        #expect(server.violations.isEmpty)
    }

    @Test func aChangeCancelsNothingForAPeerThatDoesNotRetry() async throws {
        let server = ToyServer(retried: [])
        let client = server.client
        let modified = client.sendRequest(HeldModified.method, ["gate": "m", "resource": "A"])
        let rebased = client.sendRequest(HeldRebased.method, ["gate": "r", "resource": "A"])
        try await server.waitUntilStarted(["m", "r"])
        client.notify(Change.method, ["resource": "A"])
        #expect(try await client.call(Echo.method, ["text": "barrier"]) == "barrier")
        #expect(client.responses(to: modified).isEmpty && client.responses(to: rebased).isEmpty)
        server.gates.open("m")
        server.gates.open("r")
        #expect(try await client.response(to: modified).value == "done m")
        #expect(try await client.response(to: rebased).value == "done r")
        await server.finish()
    }

    @Test func aNewerRequestSupersedesTheOlderOnTheSameResourceOnly() async throws {
        let server = ToyServer()
        let client = server.client
        let first = client.sendRequest(HeldSuperseded.method, ["gate": "1", "resource": "A"])
        let elsewhere = client.sendRequest(HeldSuperseded.method, ["gate": "x", "resource": "B"])
        try await server.waitUntilStarted(["1", "x"])
        let second = client.sendRequest(HeldSuperseded.method, ["gate": "2", "resource": "A"])
        #expect(try await client.response(to: first).value == "superseded")
        try await server.waitUntilStarted(["2"])
        #expect(client.responses(to: elsewhere).isEmpty)
        for gate in ["1", "2", "x"] { server.gates.open(gate) }
        #expect(try await client.response(to: second).value == "done 2")
        #expect(try await client.response(to: elsewhere).value == "done x")
        await server.finish()
        #expect(client.responses(to: first).count == 1)
    }

    @Test func aCancellationOvertakesTheQueueAndTheHandlersLateReplyIsDropped() async throws {
        let server = ToyServer()
        let client = server.client
        let id = client.sendRequest(HeldFreestanding.method, ["gate": "c"])
        try await server.waitUntilStarted(["c"])
        client.notify(Cancel.method, ["requestId": id.jsonValue])
        #expect(try await client.response(to: id).errorCode == ResponseError.requestCancelledCode)
        server.gates.open("c")
        #expect(try await client.call(Echo.method, ["text": "after"]) == "after")
        await server.finish()
        #expect(client.responses(to: id).count == 1)
        #expect(server.violations.isEmpty)
    }

    @Test func aCancellationOvertakesMessagesQueuedBehindABusyLoop() async throws {
        let server = ToyServer()
        let client = server.client
        let busy = client.sendRequest(HeldInLoop.method, ["gate": "loop"])
        try await server.waitUntilStarted(["loop"])
        // The loop is busy, so this request waits in the queue; its cancellation does not.
        let queued = client.sendRequest(Echo.method, ["text": "queued"])
        client.notify(Cancel.method, ["requestId": queued.jsonValue])
        #expect(try await client.response(to: queued).errorCode == ResponseError.requestCancelledCode)
        #expect(client.responses(to: busy).isEmpty)
        server.gates.open("loop")
        #expect(try await client.response(to: busy).value == "done loop")
        #expect(try await client.call(Echo.method, ["text": "after"]) == "after")
        await server.finish()
        #expect(client.responses(to: queued).count == 1)
        #expect(server.violations.isEmpty)
    }

    @Test func aLateCancellationDoesNotPoisonItsIdAndEarlyOnesAreForgottenOldestFirst() async throws {
        let server = ToyServer()
        let client = server.client
        client.send(.request(id: .number(5), method: Echo.method, params: ["text": "one"]))
        #expect(try await client.response(to: .number(5)).value == "one")
        client.notify(Cancel.method, ["requestId": 5])
        // A later request may reuse the id: the late cancellation must not be waiting for it.
        client.send(.request(id: .number(5), method: Echo.method, params: ["text": "two"]))
        #expect(try await client.call(Echo.method, ["text": "barrier"]) == "barrier")
        #expect(client.responses(to: .number(5)).compactMap(\.value) == ["one", "two"])
        // Cancellations of ids not seen yet are kept, the oldest forgotten first.
        let first = 1000
        for offset in 0...RequestTracker.memory { client.notify(Cancel.method, ["requestId": .int(first + offset)]) }
        client.send(.request(id: .number(first), method: Echo.method, params: ["text": "forgotten"]))
        client.send(.request(id: .number(first + 1), method: Echo.method, params: ["text": "kept"]))
        #expect(try await client.response(to: .number(first)).value == "forgotten")
        #expect(try await client.response(to: .number(first + 1)).errorCode == ResponseError.requestCancelledCode)
        await server.finish()
    }

    @Test func aHandlerThatForgetsToReplyIsAViolationAndThePeerStillGetsAnAnswer() async throws {
        let server = ToyServer()
        let response = try await server.client.request(Forgetful.method)
        #expect(response.errorCode == ResponseError.internalErrorCode)
        await server.finish()
        #expect(server.violations == [.dropped(id: .number(1), method: Forgetful.method)])
    }

    @Test func aHandlerThatRepliesTwiceIsAViolationAndOnlyTheFirstReplyIsSent() async throws {
        let server = ToyServer()
        let id = server.client.sendRequest(Twice.method)
        #expect(try await server.client.response(to: id).value == "first")
        #expect(try await server.client.call(Echo.method, ["text": "barrier"]) == "barrier")
        await server.finish()
        #expect(server.client.responses(to: id).count == 1)
        #expect(server.violations == [.repliedTwice(id: id, method: Twice.method)])
    }

    @Test func newlineDelimitedPeersUseAnyIdGetParseErrorsAndAskBack() async throws {
        let server = ToyServer()
        let client = server.client
        for id in [RequestID.number(0), .number(-7), .string("zero"), .string("")] {
            client.send(.request(id: id, method: Echo.method, params: ["text": .string("\(id)")]))
            #expect(try await client.response(to: id).value == .string("\(id)"))
        }
        client.sendRaw(Data("this is not JSON\n".utf8))
        #expect(try await client.response(to: nil).errorCode == ResponseError.parseErrorCode)
        client.respondToServerRequests { method, params in
            method == PeerQuestion.method ? .success(.string("yes to \(params?["question"]?.stringValue ?? "")")) : nil
        }
        #expect(try await client.call(AskPeer.method) == "yes to ready?")
        #expect(client.serverRequests(PeerQuestion.method).count == 1)
        client.respondToServerRequests { _, _ in LSPTestClient.noAnswer }
        let unanswered = try await client.call(AskPeer.method, ["timeoutMilliseconds": 50])
        #expect(unanswered.stringValue?.hasPrefix("no answer") == true)
        await server.finish()
        #expect(client.framingProblems.isEmpty)
    }

    @Test func theTableReportsEntriesWithoutHandlersAndHandlersWithoutEntries() {
        #expect(DispatchTable(registry: registry, handlers: handlers).problems.isEmpty)
        let missing = DispatchTable(registry: registry, handlers: Array(handlers.dropFirst()))
        #expect(missing.problems == ["echo is in the registry but has no handler"])
        let extra = DispatchTable(
            registry: MessageRegistry(incoming: Array(registry.incoming.dropFirst()), outgoing: []), handlers: handlers)
        #expect(extra.problems == ["echo has a handler but no registry entry"])
        let misfiled = MessageRegistry(
            incoming: [.request(Echo.self, .readsResource(.rebase)), .notification(Change.self, .freestanding),
                       .request(Echo.self, .inLoop)],
            outgoing: [])
        #expect(misfiled.problems.count == 3)
    }
}
