// Reads one configuration file: regular files only, never blocking on a FIFO, at most `maximumFileBytes`.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

enum ConfigFileReader {
    enum Refusal: Error, Equatable {
        case notRegularFile
        case tooLarge(bytes: Int)
        case unreadable
        case notUTF8
    }

    /// The file's text. Opened non-blocking, so a FIFO or a device named `.k2lsp.yaml` cannot stall the caller;
    /// the size is checked before anything is read.
    static func read(_ path: String, limit: Int = ConfigDocumentLimits.maximumFileBytes) -> Result<String, Refusal> {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.unreadable) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.unreadable) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegularFile) }
        let size = Int(info.st_size)
        guard size <= limit else { return .failure(.tooLarge(bytes: size)) }
        // One byte more than allowed tells a file that grew since fstat.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var total = 0
        while total < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(descriptor, base + total, buffer.count - total)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable)
            }
            if got == 0 { break }
            total += got
        }
        guard total <= limit else { return .failure(.tooLarge(bytes: total)) }
        guard let text = String(validating: bytes[0..<total], as: UTF8.self) else { return .failure(.notUTF8) }
        return .success(text)
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.read(descriptor, buffer, count)
        #else
            return Darwin.read(descriptor, buffer, count)
        #endif
    }

    /// What to tell the user about a refusal.
    static func message(_ refusal: Refusal) -> String {
        switch refusal {
        case .notRegularFile:
            return "this is not a regular file (a FIFO, a device or a folder), so it is not read; replace it with a "
                + "YAML file"
        case .tooLarge(let bytes):
            return "this file has \(bytes) bytes, over the \(ConfigDocumentLimits.maximumFileBytes)-byte limit for "
                + "configuration files, so it is not read; a configuration needs a few kilobytes"
        case .unreadable:
            return "could not read this file; check its permissions"
        case .notUTF8:
            return "could not read this file as UTF-8 text; check its encoding"
        }
    }
}
