// The scripted server's per-connection HTTP handler and the task that plays one reply onto the socket.
import AnyJSON
import Foundation
import NIOCore
import NIOHTTP1

/// Collects a request, asks the state for its reply, and plays it from a task (so delays never block the loop).
final class ScriptedHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: ScriptedServerState
    private let connectionID: Int
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(state: ScriptedServerState, connectionID: Int) {
        self.state = state
        self.connectionID = connectionID
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let reply = state.receive(
                method: requestHead.method.rawValue,
                path: requestHead.uri,
                headers: requestHead.headers.map { ($0.name, $0.value) },
                body: Data(body.readableBytesView),
                connectionID: connectionID
            )
            let channel = context.channel
            let keepAlive = requestHead.isKeepAlive
            Task { await ReplyPlayer(channel: channel, keepAlive: keepAlive).play(reply) }
        }
    }
}

/// Writes one reply; every write error (the client went away) just ends the reply.
struct ReplyPlayer: Sendable {
    let channel: any Channel
    let keepAlive: Bool

    func play(_ reply: ScriptedReply) async {
        do {
            try await write(reply)
        } catch {
            try? await channel.close()
        }
    }

    private func write(_ reply: ScriptedReply) async throws {
        switch reply {
        case .delayed(let delay, let inner):
            try await Task.sleep(for: delay)
            try await write(inner)
        case .afterGate(let gate, let inner):
            await gate.wait()
            try await write(inner)
        case .dropConnection:
            try await channel.close()
        case .status(let code, let body, let headers):
            var responseHeaders = HTTPHeaders()
            if !headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
                responseHeaders.add(name: "Content-Type", value: "application/json")
            }
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) { responseHeaders.add(name: name, value: value) }
            responseHeaders.add(name: "Content-Length", value: String(body.utf8.count))
            try await writeHead(status: code, headers: responseHeaders)
            try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body)))).get()
            try await end()
        case .stream(let events, let delay):
            try await writeEventStream(events, delay: delay)
            try await end()
        case .streamThenStall(let events, let delay):
            try await writeEventStream(events, delay: delay)
            try await channel.closeFuture.get()
        case .streamThenDrop(let events, let delay):
            try await writeEventStream(events, delay: delay)
            try await channel.close()
        }
    }

    private func writeEventStream(_ events: [SSEEvent], delay: Duration) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream; charset=utf-8")
        headers.add(name: "Cache-Control", value: "no-cache")
        try await writeHead(status: 200, headers: headers)
        for event in events.flatMap(\.flattened) {
            if delay > .zero { try await Task.sleep(for: delay) }
            let bytes = ByteBuffer(string: event.wireText)
            try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(bytes))).get()
        }
    }

    private func writeHead(status: Int, headers: HTTPHeaders) async throws {
        var headers = headers
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        try await channel.writeAndFlush(HTTPServerResponsePart.head(head)).get()
    }

    private func end() async throws {
        try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
        if !keepAlive { try await channel.close() }
    }
}
