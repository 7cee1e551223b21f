// libFuzzer entry point: arbitrary bytes through the frame parser and the message decoder, in two splits that
// must give identical events. Built and run by Tests/Fuzz/run-fuzzer.sh (not part of `swift test`).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameParser(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    var whole = FrameParser(maximumBodyBytes: 4096, maximumHeaderBytes: 512)
    let wholeEvents = whole.feed(bytes)
    var split = FrameParser(maximumBodyBytes: 4096, maximumHeaderBytes: 512)
    var splitEvents: [FrameEvent] = []
    var index = 0
    var step = 1
    while index < bytes.count {
        let end = min(bytes.count, index + step)
        splitEvents += split.feed(bytes[index..<end])
        index = end
        step = step % 7 + 1
    }
    if wholeEvents != splitEvents { fatalError("the split changed the events") }
    for case .body(let body) in wholeEvents {
        _ = Message.decode(body)
    }
    return 0
}
