// Faults a red-team pass found in the provider layer: absurd waits, keys with line breaks, unbounded SSE lines.
import AnyJSON
import Foundation
@testable import K2Provider
import K2TestSupport
import Testing

@Suite struct RetryAfterBoundsTests {
    @Test(arguments: ["1e20", "9223372036854775807", "99999999999999999999", "inf", "1e400"])
    func aHugeHeaderIsClampedNotATrap(value: String) {
        #expect(RetryAfter.fromHeader(value, now: Date()) == RetryAfter.maximum)
    }

    @Test func aHugeWaitInTheMessageIsClamped() {
        #expect(RetryAfter.fromMessage("please retry after 99999999999999999999 seconds") == RetryAfter.maximum)
        #expect(RetryAfter.fromMessage("try again in 1e3 seconds") == nil)
        #expect(RetryAfter.fromMessage("try again after 7 seconds") == .seconds(7))
    }

    @Test func aFarFutureDateIsClamped() {
        #expect(RetryAfter.fromHeader("Fri, 31 Dec 9999 23:59:59 GMT", now: Date()) == RetryAfter.maximum)
    }

    @Test func anAbsurdWaitMeansDoNotRetry() {
        let endpoint = ProviderHarness.endpoint(baseURL: "https://api.moonshot.ai/v1")
        let error = ProviderErrorMapper.error(
            status: 429, headers: [("Retry-After", "1e20")],
            body: Data(#"{"error":{"type":"rate_limit_reached_error","message":"slow down"}}"#.utf8), endpoint: endpoint)
        #expect(error.code == .rateLimited)
        #expect(RetryPolicy.standard.delay(after: error, attempt: 1, waitedSoFar: .zero, jitter: 0.5) == nil)
        #expect(error.userMessage.contains("86400 s"))
    }

    @Test func aHugeRetryAfterOverTheWireFailsAtOnce() async throws {
        try await ProviderHarness.run { server, client in
            server.enqueue(
                .error(
                    status: 429, type: "rate_limit_reached_error", message: "retry after 99999999999999999999 seconds",
                    headers: ["Retry-After": "9223372036854775807"]))
            let error = try #require(await ProviderHarness.complete(client).0.failure)
            #expect(error.code == .rateLimited)
            #expect(error.attempts == 1)
            #expect(server.chatRequests.count == 1)
        }
    }
}

@Suite struct KeyRedactionFormsTests {
    @Test func escapedAndSplitFormsOfAKeyAreRedacted() {
        let key = "sk-line-0123456789\r\nabcdefghijk"
        let redactor = KeyRedactor(secrets: [key])
        let texts = [
            "header value \"sk-line-0123456789\\r\\nabcdefghijk\" is invalid",
            "got abcdefghijk after the break",
            "raw: \(key)",
        ]
        for text in texts {
            let redacted = redactor.redact(text)
            #expect(!redacted.contains("0123456789"), "\(redacted)")
            #expect(!redacted.contains("abcdefghijk"), "\(redacted)")
        }
    }
}

@Suite struct SSEParserBoundsTests {
    @Test func anEndlessLineIsNotKept() {
        var parser = SSEParser(maximumLineBytes: 1 << 16)
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 14)
        for _ in 0..<64 { _ = parser.feed(chunk) }  // 1 MiB without a line end
        #expect(parser.pendingByteCount <= 1 << 16)
        #expect(parser.overlongLines == 1)
        // The stream recovers at the next line.
        let events = parser.feed(Array("\ndata: ok\n\n".utf8))
        #expect(events == [ServerSentEvent(data: "ok")])
    }

    @Test func eachByteIsScannedOnceHoweverTheInputIsSplit() {
        var parser = SSEParser()
        let line = "data: " + String(repeating: "x", count: 200_000) + "\n\n"
        var events: [ServerSentEvent] = []
        for byte in line.utf8 { events += parser.feed(CollectionOfOne(byte)) }
        #expect(events.count == 1)
        #expect(events.first?.data.count == 200_000)
        #expect(parser.scannedByteCount == line.utf8.count)
    }

    @Test func tooMuchDataInOneEventIsDropped() {
        var parser = SSEParser(maximumLineBytes: 1000, maximumEventBytes: 1500)
        var events: [ServerSentEvent] = []
        for _ in 0..<4 { events += parser.feed(Array(("data: " + String(repeating: "y", count: 900) + "\n").utf8)) }
        events += parser.feed(Array("\n".utf8))
        #expect(events.isEmpty)
        #expect(parser.overlongLines >= 1)
    }

    @Test func anOverlongLineFailsTheTurnWithAClearError() throws {
        var reader = ChatStreamReader(endpoint: ProviderHarness.endpoint(baseURL: "http://127.0.0.1:1/v1"))
        let huge = [UInt8](repeating: UInt8(ascii: "z"), count: SSEParser.defaultMaximumLineBytes + 10)
        #expect(throws: ProviderError.self) { try reader.feed(huge, emit: { _ in }) }
    }
}

@Suite struct CompleteReplyTests {
    /// finish_reason and usage arrived, [DONE] never does, the connection stays open: the reply is used after a
    /// short wait, not thrown away at the idle timeout (120 s here; the test's own limit is one minute).
    @Test(.timeLimit(.minutes(1))) func aReplyWithFinishAndUsageEndsWithoutDone() async throws {
        let timeouts = ProviderTimeouts(firstByte: .seconds(120), idle: .seconds(120), total: .seconds(300))
        try await ProviderHarness.run(timeouts: timeouts) { server, client in
            server.enqueue(
                .streamThenStall([.roleDelta, .content("complete"), .finish("stop"), .usage(prompt: 3, completion: 1)]))
            let started = ContinuousClock.now
            let (result, _) = await ProviderHarness.complete(client)
            #expect(result.success?.content == "complete")
            #expect(result.success?.usage?.promptTokens == 3)
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }

    @Test(.timeLimit(.minutes(1))) func moonshotStyleUsageInTheFinishChunkAlsoCounts() async throws {
        let timeouts = ProviderTimeouts(firstByte: .seconds(120), idle: .seconds(120), total: .seconds(300))
        try await ProviderHarness.run(timeouts: timeouts) { server, client in
            server.enqueue(.streamThenStall([.roleDelta, .content("ok"), .usage(prompt: 5, completion: 2, moonshotStyleFinish: "stop")]))
            #expect(await ProviderHarness.complete(client).0.success?.content == "ok")
        }
    }

    @Test func aReplyWithoutUsageStillNeedsDoneOrTheEnd() async throws {
        let timeouts = ProviderTimeouts(firstByte: .seconds(20), idle: .milliseconds(300), total: .seconds(60))
        try await ProviderHarness.run(timeouts: timeouts) { server, client in
            server.enqueue(.streamThenStall([.roleDelta, .content("half")]))
            #expect(await ProviderHarness.complete(client).0.failure?.code == .idleTimeout)
        }
    }
}

@Suite struct TimeoutSettingNameTests {
    @Test(arguments: [
        (ProviderError.Code.firstByteTimeout, "provider.timeouts.first_byte"),
        (.idleTimeout, "provider.timeouts.idle"), (.totalTimeout, "provider.timeouts.total"),
    ])
    func timeoutMessagesNameTheSetting(code: ProviderError.Code, setting: String) {
        let error = ProviderError(
            code: code, origin: .init(ProviderHarness.endpoint(baseURL: "http://127.0.0.1:1/v1")), timeout: .seconds(3))
        #expect(error.userMessage.contains("raise \(setting)"), "\(error.userMessage)")
    }
}
