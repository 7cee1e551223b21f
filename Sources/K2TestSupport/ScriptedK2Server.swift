// An OpenAI-compatible HTTP/1.1 server on 127.0.0.1 that answers from a script and records every request.
import AnyJSON
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Tests queue replies, point a client (or the k2lsp binary) at `baseURL`, and inspect `recordedRequests`.
///
/// - `POST …/chat/completions` takes the first queued reply whose condition matches; else the responder's reply
///   (`respond(with:)`); with neither it answers 500 with "no scripted reply queued", so a test that forgot one
///   fails loudly.
/// - `GET …/models` answers the list set with `setModels` (or the reply set with `setModelsReply`); by default
///   Moonshot's live K2 ids.
/// - `behaveLikeHostedAPI` makes it enforce what Moonshot's API enforces (see `HostedAPI`).
/// - Anything else answers 404.
public final class ScriptedK2Server: Sendable {
    public let port: Int
    private let serverChannel: any Channel
    private let state: ScriptedServerState

    /// `http://127.0.0.1:PORT/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    private init(port: Int, serverChannel: any Channel, state: ScriptedServerState) {
        self.port = port
        self.serverChannel = serverChannel
        self.state = state
    }

    /// Starts on a free port.
    public static func start() async throws -> ScriptedK2Server {
        let state = ScriptedServerState()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let connectionID = state.connectionOpened(channel)
                channel.closeFuture.whenComplete { _ in state.connectionClosed(connectionID) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedHTTPHandler(state: state, connectionID: connectionID)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ScriptedServerError.noPort
        }
        return ScriptedK2Server(port: port, serverChannel: channel, state: state)
    }

    /// Queues a reply for the next chat request for which `condition` holds (any request when `nil`).
    public func enqueue(_ reply: ScriptedReply, when condition: (@Sendable (RecordedRequest) -> Bool)? = nil) {
        state.enqueue(reply, when: condition)
    }

    /// Queues a reply for the next chat request whose body asks for `model`.
    public func enqueue(_ reply: ScriptedReply, forModel model: String) {
        enqueue(reply, when: { $0.json?["model"]?.stringValue == model })
    }

    /// Answers chat requests that no queued reply matches, from the request itself (long sessions such as the soak,
    /// whose requests are too many and too concurrent to queue for). Return nil to fall back to the 500.
    public func respond(with responder: @escaping @Sendable (RecordedRequest) -> ScriptedReply?) {
        state.setResponder(responder)
    }

    /// The ids `GET /models` lists.
    public func setModels(_ ids: [String]) {
        state.setModels(ids)
    }

    /// Switches to hosted mode (see `HostedAPI`), or back to plain scripting with `nil`.
    public func behaveLikeHostedAPI(_ hosted: HostedAPI?) {
        state.setHosted(hosted)
    }

    /// In hosted mode: answer every chat request 429 with `Retry-After: seconds`, or stop with `nil`.
    public func setRateLimited(retryAfter seconds: Int?) {
        state.updateHosted { $0.rateLimitRetryAfter = seconds }
    }

    /// Replaces the model listing with a scripted reply (e.g. a 404), or restores it with `nil`.
    public func setModelsReply(_ reply: ScriptedReply?) {
        state.setModelsReply(reply)
    }

    /// Every request received so far, in order.
    public var recordedRequests: [RecordedRequest] { state.recordedRequests }

    /// Only the `POST …/chat/completions` requests.
    public var chatRequests: [RecordedRequest] { recordedRequests.filter(\.isChatCompletion) }

    /// Replies still queued.
    public var pendingReplyCount: Int { state.pendingReplyCount }

    /// Waits until `count` requests have arrived, or `timeout` passed; returns whether they did.
    public func waitForRequests(count: Int, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while state.recordedRequests.count < count {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// When the connection that carried request number `index` was closed (by either side), waiting up to
    /// `timeout` for it; `nil` if it stayed open or there is no such request.
    public func connectionClosedInstant(forRequestAt index: Int, timeout: Duration = .seconds(30)) async -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let instant = state.closedInstant(forRequestAt: index) { return instant }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Closes the listening socket and every open connection.
    public func shutdown() async {
        try? await serverChannel.close()
        for channel in state.openChannels() {
            try? await channel.close()
        }
    }
}

enum ScriptedServerError: Error {
    case noPort
}

/// Everything the server shares between its connections and the test.
final class ScriptedServerState: Sendable {
    private struct QueuedReply {
        var reply: ScriptedReply
        var condition: (@Sendable (RecordedRequest) -> Bool)?
    }

    private struct Contents {
        var queue: [QueuedReply] = []
        var requests: [RecordedRequest] = []
        var models: [String] = SSEFixtures.listedModels
        var modelsReply: ScriptedReply?
        var responder: (@Sendable (RecordedRequest) -> ScriptedReply?)?
        var hosted: HostedAPI?
        var nextConnectionID = 0
        var openChannels: [Int: any Channel] = [:]
        var closedAt: [Int: ContinuousClock.Instant] = [:]
    }

    private let contents = Mutex(Contents())

    func connectionOpened(_ channel: any Channel) -> Int {
        contents.withLock { contents in
            let id = contents.nextConnectionID
            contents.nextConnectionID += 1
            contents.openChannels[id] = channel
            return id
        }
    }

    func connectionClosed(_ id: Int) {
        let now = ContinuousClock.now
        contents.withLock { contents in
            contents.openChannels[id] = nil
            contents.closedAt[id] = now
        }
    }

    func openChannels() -> [any Channel] {
        contents.withLock { Array($0.openChannels.values) }
    }

    func closedInstant(forRequestAt index: Int) -> ContinuousClock.Instant? {
        contents.withLock { contents in
            guard contents.requests.indices.contains(index) else { return nil }
            return contents.closedAt[contents.requests[index].connectionID]
        }
    }

    func enqueue(_ reply: ScriptedReply, when condition: (@Sendable (RecordedRequest) -> Bool)?) {
        contents.withLock { $0.queue.append(QueuedReply(reply: reply, condition: condition)) }
    }

    func setModels(_ ids: [String]) {
        contents.withLock { $0.models = ids }
    }

    func setModelsReply(_ reply: ScriptedReply?) {
        contents.withLock { $0.modelsReply = reply }
    }

    func setResponder(_ responder: @escaping @Sendable (RecordedRequest) -> ScriptedReply?) {
        contents.withLock { $0.responder = responder }
    }

    func setHosted(_ hosted: HostedAPI?) {
        contents.withLock { $0.hosted = hosted }
    }

    func updateHosted(_ change: (inout HostedAPI) -> Void) {
        contents.withLock { contents in
            guard var hosted = contents.hosted else { return }
            change(&hosted)
            contents.hosted = hosted
        }
    }

    var recordedRequests: [RecordedRequest] { contents.withLock { $0.requests } }
    var pendingReplyCount: Int { contents.withLock { $0.queue.count } }

    /// Records a request and decides its reply.
    func receive(
        method: String,
        path: String,
        headers: [(name: String, value: String)],
        body: Data,
        connectionID: Int
    ) -> ScriptedReply {
        contents.withLock { contents in
            let request = RecordedRequest(
                index: contents.requests.count, method: method, path: path, headers: headers, body: body,
                connectionID: connectionID, receivedAt: .now
            )
            contents.requests.append(request)
            let reply = Self.reply(to: request, contents: &contents)
            contents.requests[request.index].replyStatus = reply.status
            return reply
        }
    }

    private static func reply(to request: RecordedRequest, contents: inout Contents) -> ScriptedReply {
        let method = request.method
        let path = request.path
        if request.isChatCompletion {
            var thinking = false
            if let hosted = contents.hosted {
                let verdict = hosted.check(request)
                if let refusal = verdict.refusal { return refusal }
                thinking = verdict.thinking
            }
            let queued = contents.queue.firstIndex(where: { $0.condition?(request) ?? true })
                .map { contents.queue.remove(at: $0).reply }
            if let hosted = contents.hosted {
                let reply = queued ?? .text(hosted.defaultReply)
                return thinking ? reply.withReasoning() : reply
            }
            if let queued { return queued }
            if let reply = contents.responder?(request) { return reply }
            return .error(
                status: 500,
                type: "scripted_server_error",
                message: "no scripted reply queued for \(method) \(path) (request #\(request.index))"
            )
        }
        if method == "GET", path.hasSuffix("/models") {
            if let reply = contents.modelsReply { return reply }
            if let hosted = contents.hosted { return hosted.listing(request) }
            let listing: JSONValue = [
                "object": "list",
                "data": .array(contents.models.map { ["id": .string($0), "object": "model", "owned_by": "scripted"] }),
            ]
            return .status(200, body: listing.serialized())
        }
        return .error(status: 404, type: "not_found", message: "the scripted server has no \(method) \(path)")
    }
}
