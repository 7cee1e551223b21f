// The instruction of `edit` and `agent`: given with -m, or read from stdin with `-m -`.
import Foundation

enum InstructionInput {
    /// The instruction, reading stdin to its end when it is `-`; nil when none was given.
    static func resolve(_ given: String?) throws(CLIFailure) -> String? {
        guard given == "-" else { return given }
        if StandardStreams.inputIsTerminal {
            StandardStreams.writeError("Type the instruction, then press Ctrl-D.\n")
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure(.usage, "The instruction on stdin is not UTF-8 text; pipe plain text into -m -.")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CLIFailure(
                .usage, "-m - reads the instruction from stdin, but stdin was empty; pipe it in: echo 'what to change' | k2lsp edit FILE -m -")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
