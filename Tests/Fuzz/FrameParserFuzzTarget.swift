// libFuzzer entry point: arbitrary bytes through both frame parsers (LSP's Content-Length, ACP's one message per
// line) and the message decoder, each in two splits that must give identical events. Built and run by
// Tests/Fuzz/run-fuzzer.sh (not part of `swift test`).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameParser(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    var contentLength = FrameParser(maximumBodyBytes: 4096, maximumHeaderBytes: 512)
    var contentLengthSplit = FrameParser(maximumBodyBytes: 4096, maximumHeaderBytes: 512)
    let framed = sameEventsInAnySplit(bytes, whole: { contentLength.feed($0) }, split: { contentLengthSplit.feed($0) })
    var lines = LineFrameParser(maximumBodyBytes: 4096)
    var linesSplit = LineFrameParser(maximumBodyBytes: 4096)
    var lineEvents = sameEventsInAnySplit(bytes, whole: { lines.feed($0) }, split: { linesSplit.feed($0) })
    let wholeEnd = lines.finish()
    if wholeEnd != linesSplit.finish() { fatalError("the split changed the line parser's last event") }
    lineEvents += wholeEnd
    for case .body(let body) in framed + lineEvents {
        _ = Message.decode(body)
    }
    return 0
}

/// The events of feeding `bytes` at once, after checking that feeding them in pieces of 1 to 7 bytes gives the same.
private func sameEventsInAnySplit(
    _ bytes: [UInt8], whole: (ArraySlice<UInt8>) -> [FrameEvent], split: (ArraySlice<UInt8>) -> [FrameEvent]
) -> [FrameEvent] {
    let wholeEvents = whole(bytes[...])
    var splitEvents: [FrameEvent] = []
    var index = 0
    var step = 1
    while index < bytes.count {
        let end = min(bytes.count, index + step)
        splitEvents += split(bytes[index..<end])
        index = end
        step = step % 7 + 1
    }
    if wholeEvents != splitEvents { fatalError("the split changed the events") }
    return wholeEvents
}
