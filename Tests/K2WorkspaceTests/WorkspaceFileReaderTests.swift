// Reading file text for a model: refusals (secret, size, binary, missing) and redaction, for disk and buffers.
import K2TestSupport
import Testing

@testable import K2Workspace

@Test func readsAndRedactsOrRefuses() throws {
    let scratch = try TemporaryDirectory()
    try scratch.write("ok.py", "x = 1\napi_key = \"abcdef0123456789\"\n")
    try scratch.write(".env", "KEY=1")
    try scratch.write("big.txt", String(repeating: "a", count: 300))
    try scratch.write("image.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01])
    try scratch.write("latin1.txt", bytes: [0x63, 0x61, 0x66, 0xE9, 0x0A])
    try scratch.makeDirectory("dir")
    let reader = WorkspaceFileReader(maxFileBytes: 200)
    func read(_ path: String) -> Result<FileText, FileReadRefusal> {
        reader.read(absolutePath: scratch.path + "/" + path, relativePath: path)
    }
    let text = try read("ok.py").get()
    let whole = text.redactedWhole()
    #expect(whole.text == "x = 1\napi_key = \"\(SecretPolicy.redactionMarker)\"\n")
    #expect(whole.redactedLines == [1])
    #expect(whole.lineCount == 3)
    #expect(text.byteCount == 35)
    // A slice is redacted on its own; its line numbers count from the slice.
    #expect(text.redacted(6..<35).text == "api_key = \"\(SecretPolicy.redactionMarker)\"\n")
    #expect(text.redacted(6..<35).redactedLines == [0])
    #expect(text.redacted(0..<6).text == "x = 1\n")
    #expect(read(".env") == .failure(.secretFile(path: ".env", pattern: ".env")))
    #expect(read("big.txt") == .failure(.tooLarge(path: "big.txt", bytes: 300, limit: 200)))
    #expect(read("image.png") == .failure(.binary(path: "image.png")))
    #expect(read("missing.txt") == .failure(.notFound(path: "missing.txt")))
    #expect(read("dir") == .failure(.notRegularFile(path: "dir")))
    #expect(try read("latin1.txt").get().redactedWhole().text == "caf\u{FFFD}\n")
}

@Test func buffersGetTheSameChecks() throws {
    let reader = WorkspaceFileReader(maxFileBytes: 10)
    #expect(reader.prepare(text: "KEY=1", relativePath: "app/.env.local") == .failure(.secretFile(path: "app/.env.local", pattern: ".env.*")))
    #expect(reader.prepare(text: "0123456789ab", relativePath: "a.txt") == .failure(.tooLarge(path: "a.txt", bytes: 12, limit: 10)))
    #expect(try reader.prepare(text: "0123456789ab", relativePath: "a.txt", enforceSizeLimit: false).get().redactedWhole().text == "0123456789ab")
    #expect(reader.prepare(text: "a\u{0}b", relativePath: "a.bin") == .failure(.binary(path: "a.bin")))
}

@Test func aPrivateKeyBlockIsRedactedBeforeAnySliceIsTaken() throws {
    let text = "a\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\nb\n"
    let file = try WorkspaceFileReader().prepare(text: text, relativePath: "x.txt").get()
    // The middle line alone does not look like a secret; it must already be gone.
    #expect(!file.unredactedText.contains("MIIEvQIBADANBg"))
    #expect(file.redactedWhole().text.split(separator: "\n", omittingEmptySubsequences: false).count == 6)
}

@Test func refusalsTellWhatToDo() {
    let refusal = FileReadRefusal.tooLarge(path: "a.txt", bytes: 3, limit: 2)
    #expect(refusal.description.contains("raise `max_file_bytes`"))
    #expect(refusal.code == "too-large")
}
