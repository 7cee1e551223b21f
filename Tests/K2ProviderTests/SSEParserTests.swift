// SSE framing: any split of the same bytes gives the same events; comments, CRLF, multi-line data, BOM, EOF.
@testable import K2Provider
import Testing

/// The ways a test feeds bytes to the parser.
enum ByteSplit: CaseIterable, CustomStringConvertible {
    case allAtOnce, oneByteAtATime, randomPieces

    var description: String { "\(self == .allAtOnce ? "all at once" : self == .oneByteAtATime ? "byte by byte" : "random pieces")" }

    /// Cuts `bytes` into pieces; the random split is seeded so failures reproduce.
    func pieces(of bytes: [UInt8], seed: UInt64 = 42) -> [[UInt8]] {
        switch self {
        case .allAtOnce:
            return [bytes]
        case .oneByteAtATime:
            return bytes.map { [$0] }
        case .randomPieces:
            var state = seed
            var pieces: [[UInt8]] = []
            var start = 0
            while start < bytes.count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let length = Int((state >> 33) % 17)
                let end = min(bytes.count, start + length)
                pieces.append(Array(bytes[start..<end]))
                start = end
            }
            return pieces
        }
    }
}

func parseSSE(_ text: String, split: ByteSplit) -> [ServerSentEvent] {
    var parser = SSEParser()
    var events: [ServerSentEvent] = []
    for piece in split.pieces(of: Array(text.utf8)) { events += parser.feed(piece) }
    return events + parser.finish()
}

struct SSEParserCase: Sendable, CustomStringConvertible {
    var name: String
    var stream: String
    var expected: [ServerSentEvent]
    var description: String { name }
}

let sseParserCases: [SSEParserCase] = [
    .init(name: "one event", stream: "data: hello\n\n", expected: [.init(data: "hello")]),
    .init(name: "no space after colon", stream: "data:hello\n\n", expected: [.init(data: "hello")]),
    .init(name: "only one leading space is removed", stream: "data:  two\n\n", expected: [.init(data: " two")]),
    .init(name: "multi-line data", stream: "data: a\ndata: b\n\n", expected: [.init(data: "a\nb")]),
    .init(
        name: "comments are ignored",
        stream: ": OPENROUTER PROCESSING\n\n: keep-alive\ndata: x\n\n:\n\n",
        expected: [.init(data: "x")]
    ),
    .init(name: "CRLF line ends", stream: "data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n", expected: [.init(data: "a\nb"), .init(data: "c")]),
    .init(name: "CR line ends", stream: "data: a\r\rdata: b\r\r", expected: [.init(data: "a"), .init(data: "b")]),
    .init(name: "event and id fields", stream: "event: error\nid: 7\ndata: {}\n\n", expected: [.init(event: "error", data: "{}", id: "7")]),
    .init(name: "blank lines alone dispatch nothing", stream: "\n\n\n", expected: []),
    .init(name: "unknown fields are ignored", stream: "retry: 100\nfoo: bar\ndata: x\n\n", expected: [.init(data: "x")]),
    .init(name: "byte-order mark at the start", stream: "\u{FEFF}data: x\n\n", expected: [.init(data: "x")]),
    .init(name: "last event without its blank line", stream: "data: a\n\ndata: [DONE]\n", expected: [.init(data: "a"), .init(data: "[DONE]")]),
    .init(name: "last line without a line end", stream: "data: a\n\ndata: [DONE]", expected: [.init(data: "a"), .init(data: "[DONE]")]),
    .init(
        name: "multi-byte UTF-8 survives splits",
        stream: "data: {\"content\":\"héllo 世界 🚀\"}\n\n",
        expected: [.init(data: "{\"content\":\"héllo 世界 🚀\"}")]
    ),
    .init(name: "empty data line", stream: "data:\n\n", expected: [.init(data: "")]),
]

@Test(arguments: sseParserCases, ByteSplit.allCases)
func sseParserGivesTheSameEventsForAnySplit(_ testCase: SSEParserCase, split: ByteSplit) {
    #expect(parseSSE(testCase.stream, split: split) == testCase.expected)
}

@Test func sseParserIsIdenticalAcrossManyRandomSplitsOfARealStream() {
    let stream = SSEFixtureText.openRouterReasoningStream
    let reference = parseSSE(stream, split: .allAtOnce)
    #expect(reference.count == 7)
    for seed in UInt64(1)...40 {
        var parser = SSEParser()
        var events: [ServerSentEvent] = []
        for piece in ByteSplit.randomPieces.pieces(of: Array(stream.utf8), seed: seed) { events += parser.feed(piece) }
        events += parser.finish()
        #expect(events == reference, "seed \(seed)")
    }
}
