// The framing parser gives the same events whatever way the bytes are split.
import Foundation
import Testing

@testable import JSONRPC

private func frame(_ body: String, extraHeaders: String = "") -> [UInt8] {
    Array("Content-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)".utf8)
}

private let sampleStream: [UInt8] =
    frame(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#)
    + frame(#"{"jsonrpc":"2.0","method":"x","params":{"text":"héllo 🎉"}}"#, extraHeaders: "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n")
    + Array("garbage line without colon\r\n".utf8)
    + frame(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#)
    + Array("content-length: 5\r\n\r\n[1,2]".utf8)
    + frame(String(repeating: "x", count: 300))
    + frame(#"{"jsonrpc":"2.0","id":3,"method":"after"}"#)

private func parseAll(_ bytes: [UInt8], splits: [Int]) -> [FrameEvent] {
    var parser = FrameParser(maximumBodyBytes: 200)
    var events: [FrameEvent] = []
    var start = 0
    for split in splits + [bytes.count] where split > start {
        events += parser.feed(bytes[start..<min(split, bytes.count)])
        start = min(split, bytes.count)
    }
    return events
}

@Test func sameEventsWhateverTheSplit() {
    let whole = parseAll(sampleStream, splits: [])
    let byteByByte = parseAll(sampleStream, splits: Array(1..<sampleStream.count))
    #expect(whole == byteByByte)
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<200 {
        let splits = (0..<Int.random(in: 1...40, using: &generator)).map { _ in
            Int.random(in: 1..<sampleStream.count, using: &generator)
        }.sorted()
        #expect(parseAll(sampleStream, splits: splits) == whole)
    }
}

@Test func eventsOfTheSampleStream() throws {
    let events = parseAll(sampleStream, splits: [])
    #expect(events.count == 7)
    guard case .body(let first) = events[0] else { Issue.record("expected a body"); return }
    #expect(String(decoding: first, as: UTF8.self).contains("initialize"))
    guard case .body(let second) = events[1] else { Issue.record("expected a body"); return }
    #expect(String(decoding: second, as: UTF8.self).contains("🎉"))
    guard case .malformedHeader = events[2] else { Issue.record("expected a malformed header"); return }
    guard case .body = events[3] else { Issue.record("expected a body after resynchronising"); return }
    guard case .body(let array) = events[4] else { Issue.record("expected the lowercase header to work"); return }
    #expect(array == Data("[1,2]".utf8))
    #expect(events[5] == .oversized(length: 300, limit: 200, idHint: nil))
    guard case .body(let last) = events[6] else { Issue.record("expected a body after the oversized one"); return }
    #expect(String(decoding: last, as: UTF8.self).contains("after"))
}

@Test(arguments: [
    ("Content-Length: abc\r\n\r\n", "not a non-negative integer"),
    ("Content-Type: text/plain\r\n\r\n", "no Content-Length"),
    ("no colon here\r\n", "has no ':'"),
])
func malformedHeadersAreReportedAndSkipped(header: String, reason: String) {
    var parser = FrameParser()
    let events = parser.feed(Array(header.utf8) + frame(#"{"id":1}"#))
    #expect(events.count == 2)
    if case .malformedHeader(let message) = events[0] {
        #expect(message.contains(reason))
    } else {
        Issue.record("expected malformedHeader, got \(events)")
    }
    #expect(events[1] == .body(Data(#"{"id":1}"#.utf8)))
}

@Test func oversizedBodyIsNotBufferedAndItsIDIsRecovered() {
    var parser = FrameParser(maximumBodyBytes: 64)
    let body = #"{"jsonrpc":"2.0","id":42,"method":"k2/edit","params":{"text":""# + String(repeating: "a", count: 10_000) + #""}}"#
    var events = parser.feed(Array("Content-Length: \(body.utf8.count)\r\n\r\n".utf8))
    for chunk in Array(body.utf8).chunked(into: 1000) { events += parser.feed(chunk) }
    #expect(events == [.oversized(length: body.utf8.count, limit: 64, idHint: .number(42))])
    #expect(parser.feed(frame(#"{"id":2}"#)) == [.body(Data(#"{"id":2}"#.utf8))])
}

@Test func overlongHeaderSectionResynchronises() {
    var parser = FrameParser(maximumHeaderBytes: 100)
    let events = parser.feed(Array(String(repeating: "z", count: 500).utf8) + [10] + frame("{}"))
    #expect(events.first.map { if case .malformedHeader = $0 { true } else { false } } == true)
    #expect(events.last == .body(Data("{}".utf8)))
}

@Test func idHints() {
    #expect(FrameParser.requestIDHint(in: Array(#"{"jsonrpc":"2.0","id":"abc","method""#.utf8)) == .string("abc"))
    #expect(FrameParser.requestIDHint(in: Array(#"{"id" : 7,"#.utf8)) == .number(7))
    #expect(FrameParser.requestIDHint(in: Array(#"{"method":"x","params":{"id":9"#.utf8)) == nil)
}

extension Array {
    fileprivate func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// Found by the fuzzer (Tests/Fuzz): an over-long header line that itself contains `Content-Length:` used to be
/// skipped whole when it arrived at once, but searched from its middle when it arrived in pieces.
@Test func overlongHeaderLineIsSkippedTheSameWayWhateverTheSplit() {
    let stream = Array(("X-Padding: " + String(repeating: "y", count: 80) + " Content-Length: 2\r\n\r\n{}").utf8)
        + frame(#"{"id":5}"#)
    func events(splitEvery size: Int) -> [FrameEvent] {
        var parser = FrameParser(maximumHeaderBytes: 64)
        var result: [FrameEvent] = []
        var index = 0
        while index < stream.count {
            result += parser.feed(stream[index..<min(stream.count, index + size)])
            index += size
        }
        return result
    }
    let whole = events(splitEvery: stream.count)
    for size in [1, 2, 3, 7, 16, 64] { #expect(events(splitEvery: size) == whole) }
    #expect(whole.last == .body(Data(#"{"id":5}"#.utf8)))
}
