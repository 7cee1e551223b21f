// Newline-delimited framing (ACP): one message per line, the same events whatever way the bytes are split.
import Foundation
import Testing

@testable import JSONRPC

private let sampleStream: [UInt8] = Array(
    (#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}"# + "\n"
        + "\n   \r\n"  // blank lines are skipped
        + #"{"jsonrpc":"2.0","method":"x","params":{"text":"héllo 🎉\n"}}"# + "\r\n"
        + "not json at all\n"
        + #"{"jsonrpc":"2.0","id":"s-1","pad":""# + String(repeating: "x", count: 300) + "\"}\n"
        + #"{"jsonrpc":"2.0","id":3,"method":"after"}"# + "\n"
        + #"{"jsonrpc":"2.0","id":4,"method":"last, without a newline"}"#).utf8)

private func parseAll(_ bytes: [UInt8], splits: [Int]) -> [FrameEvent] {
    var reader = Framing.newlineDelimited.makeReader(maximumBodyBytes: 200)
    var events: [FrameEvent] = []
    var start = 0
    for split in splits + [bytes.count] where split > start {
        events += reader.feed(bytes[start..<min(split, bytes.count)])
        start = min(split, bytes.count)
    }
    return events + reader.finish()
}

@Suite struct LineFrameParserTests {
    @Test func eventsOfTheSampleLines() {
        let events = parseAll(sampleStream, splits: [])
        #expect(events.count == 6)
        #expect(events[0] == .body(Data(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}"#.utf8)))
        #expect(events[1] == .body(Data(#"{"jsonrpc":"2.0","method":"x","params":{"text":"héllo 🎉\n"}}"#.utf8)))
        #expect(events[2] == .body(Data("not json at all".utf8)))
        #expect(events[3] == .oversized(length: 337, limit: 200, idHint: .string("s-1")))
        #expect(events[4] == .body(Data(#"{"jsonrpc":"2.0","id":3,"method":"after"}"#.utf8)))
        #expect(events[5] == .body(Data(#"{"jsonrpc":"2.0","id":4,"method":"last, without a newline"}"#.utf8)))
    }

    @Test func sameEventsWhateverTheSplit() {
        let whole = parseAll(sampleStream, splits: [])
        #expect(parseAll(sampleStream, splits: Array(1..<sampleStream.count)) == whole, "byte by byte")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let splits = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                Int.random(in: 0...sampleStream.count, using: &generator)
            }.sorted()
            #expect(parseAll(sampleStream, splits: splits) == whole, "splits \(splits)")
        }
    }

    @Test func anOverlongLineIsNeverBuffered() {
        var reader = Framing.newlineDelimited.makeReader(maximumBodyBytes: 1000)
        var events: [FrameEvent] = []
        events += reader.feed(Array(#"{"id":9,"x":""#.utf8))
        for _ in 0..<100 { events += reader.feed([UInt8](repeating: UInt8(ascii: "y"), count: 10_000)) }
        #expect(events.isEmpty)
        #expect(reader.hasPartialFrame)
        events += reader.feed(Array("\"}\n{\"id\":10}\n".utf8))
        #expect(events == [.oversized(length: 1_000_015, limit: 1000, idHint: .number(9)), .body(Data(#"{"id":10}"#.utf8))])
        #expect(!reader.hasPartialFrame)
    }

    @Test func framesAreOneLineEach() {
        let body = Data(#"{"jsonrpc":"2.0","method":"n","params":{"text":"a\nb"}}"#.utf8)
        #expect(Framing.newlineDelimited.frame(body) == body + Data("\n".utf8))
        #expect(Framing.contentLength.frame(body) == FrameWriter.frame(body))
    }
}
