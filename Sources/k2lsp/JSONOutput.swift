// `--json` output: one pretty-printed JSON document on stdout, keys sorted so the output is stable.
import Foundation

enum JSONOutput {
    static func print<Value: Encodable>(_ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        StandardStreams.writeOutput(String(decoding: data, as: UTF8.self) + "\n")
    }
}
