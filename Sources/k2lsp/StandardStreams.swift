// Writing to stdout and stderr without buffering surprises, and whether stderr is a terminal.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

enum StandardStreams {
    /// stdout carries only results (diffs, JSON, completion text) so that scripts can consume it.
    static func writeOutput(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// stderr carries progress, notices and errors.
    static func writeError(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// Keeps the real stdout for protocol bytes and points fd 1 at stderr, so a stray print cannot corrupt the stream.
    static func takeStdoutForProtocol() -> FileHandle {
        let protocolDescriptor = dup(STDOUT_FILENO)
        guard protocolDescriptor >= 0 else { return FileHandle.standardOutput }
        dup2(STDERR_FILENO, STDOUT_FILENO)
        return FileHandle(fileDescriptor: protocolDescriptor, closeOnDealloc: true)
    }

    static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// The terminal's width in columns, when stderr is a terminal that says.
    static var errorTerminalColumns: Int? {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Writes every byte, retrying short writes; a closed pipe ends the output quietly.
    private static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { buffer in
                #if canImport(Glibc)
                    Glibc.write(descriptor, buffer.baseAddress, buffer.count)
                #else
                    Darwin.write(descriptor, buffer.baseAddress, buffer.count)
                #endif
            }
            if result < 0 {
                if errno == EINTR { continue }
                return
            }
            written += result
        }
    }
}
