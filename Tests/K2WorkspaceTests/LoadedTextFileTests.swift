// Decoding files for editing (what is refused) and encoding edits back byte-faithfully.
import Testing
import K2Workspace

struct EncodeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var original: [UInt8]
    /// The engine's edited text (it works on `text`, which keeps line endings as they are).
    var edited: String
    var expected: [UInt8]
    var testDescription: String { name }
}

private let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Test(arguments: [
    EncodeCase(name: "unchanged LF file", original: bytes("a\nb\n"), edited: "a\nb\n", expected: bytes("a\nb\n")),
    EncodeCase(
        name: "CRLF file, model writes LF", original: bytes("a\r\nb\r\nc\r\n"), edited: "a\r\nB\nc\r\n",
        expected: bytes("a\r\nB\r\nc\r\n")),
    EncodeCase(
        name: "mixed file keeps each untouched line's ending", original: bytes("a\nb\r\nc\r\nd\r\n"),
        edited: "a\nb\r\nc\r\nD\n", expected: bytes("a\nb\r\nc\r\nD\r\n")),
    EncodeCase(
        name: "inserted lines get the dominant ending", original: bytes("a\r\nb\r\n"), edited: "a\nnew\nb\n",
        expected: bytes("a\r\nnew\r\nb\r\n")),
    EncodeCase(name: "BOM restored", original: bom + bytes("x\n"), edited: "y\n", expected: bom + bytes("y\n")),
    EncodeCase(
        name: "no final newline stays absent", original: bytes("a\nb"), edited: "a\nB\n", expected: bytes("a\nB")),
    EncodeCase(
        name: "final newline stays present", original: bytes("a\nb\n"), edited: "a\nB", expected: bytes("a\nB\n")),
    EncodeCase(
        name: "adding only the final newline is deliberate", original: bytes("a\nb"), edited: "a\nb\n",
        expected: bytes("a\nb\n")),
    EncodeCase(
        name: "removing only the final newline is deliberate", original: bytes("a\nb\n"), edited: "a\nb",
        expected: bytes("a\nb")),
    EncodeCase(
        name: "appending to a file without final newline", original: bytes("a\nb"), edited: "a\nb\nc\n",
        expected: bytes("a\nb\nc")),
    EncodeCase(
        name: "CRLF file without final newline", original: bytes("a\r\nb"), edited: "a\r\nb\nc",
        expected: bytes("a\r\nb\r\nc")),
    EncodeCase(name: "empty file follows the edit", original: [], edited: "x\n", expected: bytes("x\n")),
    EncodeCase(name: "everything deleted keeps the BOM", original: bom + bytes("x\n"), edited: "", expected: bom),
    EncodeCase(
        name: "classic Mac CR file", original: bytes("a\rb\r"), edited: "a\rX\nb\r", expected: bytes("a\rX\rb\r")),
])
func encodesEditsFaithfully(_ testCase: EncodeCase) throws {
    let file = try LoadedTextFile(path: "f.txt", bytes: testCase.original)
    #expect(file.encodedOriginal == testCase.original)
    #expect(file.encode(file.text) == testCase.original)
    #expect(file.encode(testCase.edited) == testCase.expected)
}

@Test func decodesTheFileFormat() throws {
    let file = try LoadedTextFile(path: "f.txt", bytes: bom + bytes("a\r\nb\r\nc"))
    #expect(file.text == "a\r\nb\r\nc")
    #expect(file.hasBOM)
    #expect(file.dominantLineEnding == .crlf)
    #expect(!file.endsWithNewline)
    #expect(file.fingerprint.size == 10)
}

struct RefusalCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var error: FileWriteError
    var testDescription: String { name }
}

@Test(arguments: [
    RefusalCase(name: "NUL byte", bytes: bytes("a\u{0}b"), error: .binary(path: "f")),
    RefusalCase(name: "PNG header", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], error: .binary(path: "f")),
    RefusalCase(name: "Latin-1", bytes: bytes("caf") + [0xE9, 0x0A], error: .notUTF8(path: "f", byteOffset: 3)),
    RefusalCase(name: "BOM then bad byte", bytes: bom + [0x61, 0xFF], error: .notUTF8(path: "f", byteOffset: 4)),
    RefusalCase(name: "truncated sequence", bytes: [0x61, 0xE2, 0x82], error: .notUTF8(path: "f", byteOffset: 1)),
    RefusalCase(name: "UTF-16 LE", bytes: [0xFF, 0xFE, 0x61, 0x00], error: .unsupportedEncoding(path: "f", encoding: "UTF-16")),
    RefusalCase(name: "UTF-16 BE", bytes: [0xFE, 0xFF, 0x00, 0x61], error: .unsupportedEncoding(path: "f", encoding: "UTF-16")),
])
func refusesWhatIsNotUTF8Text(_ testCase: RefusalCase) {
    #expect(throws: testCase.error) { try LoadedTextFile(path: "f", bytes: testCase.bytes) }
}

@Test func refusalMessagesSayWhatToDo() {
    #expect(FileWriteError.binary(path: "logo.png").description.contains("leave it out"))
    #expect(FileWriteError.notUTF8(path: "a.c", byteOffset: 3).description.contains("iconv"))
    #expect(FileWriteError.changedOnDisk(path: "a.c").description.contains("Run the command again"))
}
