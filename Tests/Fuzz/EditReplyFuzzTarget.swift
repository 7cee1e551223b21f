// libFuzzer entry point: arbitrary text as a model's edit reply (any shape ReplyInterpreter reads: fenced code,
// SEARCH/REPLACE blocks, unified diffs, whole files, edit_file arguments), for both requested formats, applied to a
// small file; any edit that applies must rebuild through minimal replacements that never split a character.
// Built and run by Tests/Fuzz/run-fuzzer.sh (not part of `swift test`).
import Foundation

private let file = "import Foundation\r\n\nfunc add(_ a: Int, _ b: Int) -> Int {\n    return a + b // 😀\n}\n\nlet x = add(1, 2)\n"
private let selection = TextRange(20, 58)  // The line `func add(…) -> Int {`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEditReply(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let reply = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    // The same bytes as the arguments of an edit_file call, too.
    let calls = [ReplyToolCall(name: "edit_file", arguments: reply)]
    for (format, toolCalls) in [(EditReplyFormat.selection, []), (.searchReplace, []), (.searchReplace, calls)] {
        switch ReplyInterpreter.interpret(content: reply, toolCalls: toolCalls, format: format) {
        case .failure:
            continue
        case .success(.selectionReplacement(let code, _, _)):
            let replacement = FencedCodeReply.replacement(forSelection: selection, in: file, code: code)
            check(file, file.replacing(selection, with: replacement))
        case .success(.operations(let operations, _)):
            let applied = EditApplier.apply(
                operations, to: ["a.swift": file], defaultPath: "a.swift", selection: ("a.swift", selection))
            if case .success(let results) = applied {
                for result in results { check(result.originalText, result.newText) }
            }
        }
    }
    return 0
}

/// The replacements must rebuild the new text and never start or end inside a character.
private func check(_ original: String, _ updated: String) {
    let replacements = MinimalTextEdits.compute(original: original, updated: updated)
    if MinimalTextEdits.apply(replacements, to: original) != updated { fatalError("the replacements do not rebuild the text") }
    let bytes = Array(original.utf8)
    for replacement in replacements {
        for offset in [replacement.range.lowerBound, replacement.range.upperBound] where offset < bytes.count {
            if bytes[offset] & 0xC0 == 0x80 { fatalError("a replacement splits a character at \(offset)") }
        }
    }
}
