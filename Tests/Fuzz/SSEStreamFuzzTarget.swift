// libFuzzer entry point: arbitrary bytes as a chat-completions event stream (SSE parser, chunk decoder, assembler),
// whole and in small splits, which must give the same events and the same turn or error.
// Built and run by Tests/Fuzz/run-fuzzer.sh (not part of `swift test`).
import Foundation

/// What reading a stream produced: its events, then the turn or the error that ended it.
private struct Outcome: Equatable {
    var events: [ChatStreamEvent] = []
    var turn: ChatTurn?
    var error: ProviderError?
}

private func read(_ bytes: [UInt8], step: (Int) -> Int) -> Outcome {
    var reader = ChatStreamReader(endpoint: ProviderEndpoint(baseURL: "http://127.0.0.1:1/v1", model: "fuzz"))
    var outcome = Outcome()
    var index = 0
    var round = 0
    do {
        while index < bytes.count {
            let end = min(bytes.count, index + step(round))
            try reader.feed(bytes[index..<end]) { outcome.events.append($0) }
            index = end
            round += 1
        }
        outcome.turn = try reader.finish { outcome.events.append($0) }
    } catch let error as ProviderError {
        outcome.error = error
    } catch {
        fatalError("reading a stream threw something other than a ProviderError: \(error)")
    }
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSEStream(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let whole = read(bytes) { _ in Int.max }
    let split = read(bytes) { $0 % 7 + 1 }
    if whole != split { fatalError("the split changed the outcome:\n\(whole)\n---\n\(split)") }
    return 0
}
