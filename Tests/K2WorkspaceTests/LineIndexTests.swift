// Position conversions: UTF-16 surrogate pairs, UTF-8, CRLF and CR line breaks, clamping past the end.
import Testing

@testable import K2Workspace

private struct Case: Sendable, CustomStringConvertible {
    var text: String
    var position: LineColumn
    var encoding: PositionEncoding
    var offset: Int
    var description: String { "\(position) in \(encoding) of \(text.debugDescription)" }
}

private let offsetCases: [Case] = [
    Case(text: "abc", position: .init(line: 0, column: 2), encoding: .utf16, offset: 2),
    Case(text: "a🎉b", position: .init(line: 0, column: 1), encoding: .utf16, offset: 1),
    Case(text: "a🎉b", position: .init(line: 0, column: 3), encoding: .utf16, offset: 5),
    // Inside the surrogate pair: moved back to the start of the emoji.
    Case(text: "a🎉b", position: .init(line: 0, column: 2), encoding: .utf16, offset: 1),
    Case(text: "a🎉b", position: .init(line: 0, column: 5), encoding: .utf8, offset: 5),
    Case(text: "a🎉b", position: .init(line: 0, column: 2), encoding: .utf32, offset: 5),
    Case(text: "é\r\nx", position: .init(line: 1, column: 0), encoding: .utf16, offset: 4),
    Case(text: "é\r\nx", position: .init(line: 0, column: 9), encoding: .utf16, offset: 2),
    Case(text: "a\rb\rc", position: .init(line: 2, column: 1), encoding: .utf16, offset: 5),
    Case(text: "a\nb", position: .init(line: 7, column: 0), encoding: .utf16, offset: 3),
    Case(text: "a\nb", position: .init(line: -1, column: 3), encoding: .utf16, offset: 0),
    Case(text: "", position: .init(line: 0, column: 4), encoding: .utf16, offset: 0),
    Case(text: "x\n", position: .init(line: 1, column: 0), encoding: .utf16, offset: 2),
    Case(text: "日本語", position: .init(line: 0, column: 2), encoding: .utf16, offset: 6),
]

@Test(arguments: offsetCases)
private func offsetOfPosition(_ testCase: Case) {
    let index = LineIndex(testCase.text)
    #expect(index.offset(of: testCase.position, in: testCase.encoding, text: testCase.text) == testCase.offset)
}

@Test func positionOfOffsetRoundTrips() {
    let text = "let 🎉 = \"é\"\r\nsecond\rthird\nfourth 👩‍👩‍👧"
    let index = LineIndex(text)
    #expect(index.lineCount == 4)
    for encoding in PositionEncoding.allCases {
        var offset = 0
        for scalar in text.unicodeScalars {
            let position = index.position(of: offset, in: encoding, text: text)
            #expect(index.offset(of: position, in: encoding, text: text) == offset || scalar == "\n")
            offset += String(scalar).utf8.count
        }
    }
    #expect(index.position(of: 5, in: .utf16, text: text) == LineColumn(line: 0, column: 4))
    #expect(index.position(of: 8, in: .utf16, text: text) == LineColumn(line: 0, column: 6))
    // An offset inside the emoji's bytes is moved back to its start.
    #expect(index.position(of: 6, in: .utf16, text: text) == LineColumn(line: 0, column: 4))
    // An offset between \r and \n belongs to the end of the line.
    let crlf = text.utf8.firstIndex(of: 13).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) } ?? 0
    #expect(index.position(of: crlf + 1, in: .utf16, text: text).line == 0)
}

@Test func incrementalChangesApplyInOrder() {
    let document = DocumentSnapshot(uri: "file:///a.swift", languageID: "swift", version: 1, text: "a🎉b\r\nline two\n")
    let changed = document.applying(
        [
            DocumentChange(range: (LineColumn(line: 0, column: 3), LineColumn(line: 0, column: 4)), text: "B"),
            DocumentChange(range: (LineColumn(line: 1, column: 0), LineColumn(line: 1, column: 4)), text: "LINE"),
            DocumentChange(range: (LineColumn(line: 0, column: 1), LineColumn(line: 0, column: 3)), text: "😀😀"),
            DocumentChange(range: (LineColumn(line: 9, column: 0), LineColumn(line: 9, column: 0)), text: "end"),
        ], version: 2, encoding: .utf16)
    #expect(changed.text == "a😀😀B\r\nLINE two\nend")
    #expect(changed.version == 2)
    let replaced = changed.applying([DocumentChange(range: nil, text: "new")], version: 3, encoding: .utf16)
    #expect(replaced.text == "new")
}

@Test func storeRefusesOldVersionsAndUnknownDocuments() async throws {
    let store = DocumentStore()
    await store.open(uri: "u", languageID: "swift", version: 3, text: "x")
    await #expect(throws: DocumentStoreError.staleVersion(uri: "u", current: 3, received: 3)) {
        try await store.change(uri: "u", version: 3, changes: [.init(range: nil, text: "y")], encoding: .utf16)
    }
    await #expect(throws: DocumentStoreError.notOpen(uri: "v")) {
        try await store.change(uri: "v", version: 1, changes: [], encoding: .utf16)
    }
    try await store.change(uri: "u", version: 4, changes: [.init(range: nil, text: "y")], encoding: .utf16)
    #expect(await store.snapshot("u")?.text == "y")
}
