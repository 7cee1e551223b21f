// libFuzzer entry point: arbitrary bytes as a `.k2lsp.yaml` and as editor settings, through the whole loader.
// It must answer (values or diagnostics) without crashing, and quickly: libFuzzer's -timeout catches a hang.
// Built and run by Tests/Fuzz/run-fuzzer.sh (not part of `swift test`).
import Foundation

private let workspace: String = {
    let folder = NSTemporaryDirectory() + "k2lsp-fuzz-config-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigLoader(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let text = String(decoding: data, as: UTF8.self)
    guard (try? data.write(to: URL(fileURLWithPath: workspace + "/.k2lsp.yaml"))) != nil else { return 0 }
    let loaded = ConfigurationLoader(
        environment: ["K2_API_KEY": "sk-fuzz-0123456789abcdef"], homeDirectory: workspace + "/home",
        workspaceFolders: [workspace], editorSettings: text
    ).load()
    for diagnostic in loaded.diagnostics where diagnostic.description.contains("sk-fuzz-0123456789abcdef") {
        fatalError("a diagnostic shows the key: \(diagnostic)")
    }
    _ = loaded.describe(environment: [:])
    return 0
}
