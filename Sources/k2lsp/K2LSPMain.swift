// The process entry point: parses the command line, runs the command, and maps ArgumentParser's exit codes to ours.
import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@main
enum K2LSPMain {
    static func main() async {
        do {
            var command = try await K2LSPCommand.asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(Self.report(error))
        }
    }

    /// Prints what ArgumentParser would print for `error` and returns the exit status. A usage error is 2, as for
    /// most Unix tools (ArgumentParser's default, 64, is EX_USAGE from sysexits, which scripts rarely expect).
    private static func report(_ error: any Error) -> Int32 {
        let code = K2LSPCommand.exitCode(for: error)
        let text = K2LSPCommand.fullMessage(for: error)
        if !text.isEmpty {
            if code == .success {
                StandardStreams.writeOutput(text + "\n")
            } else {
                StandardStreams.writeError(text + "\n")
            }
        }
        return code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue
    }
}
