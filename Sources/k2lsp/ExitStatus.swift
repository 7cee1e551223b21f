// The exit statuses of the command-line subcommands, and the error that carries one with its message.
import ArgumentParser
import K2Engine
import K2Provider
import K2Workspace

/// What a script can rely on: every failure exits with one of these, after one clear sentence on stderr.
enum ExitStatus: Int32, Sendable {
    case success = 0
    /// K2 answered, but its reply could not be turned into a valid edit (or the edit could not be applied).
    case invalidEdit = 1
    /// A bad flag, a missing file, no API key, a broken configuration: nothing was sent to a model.
    case usage = 2
    /// The provider failed: authentication, network, rate limit after retries.
    case provider = 3
}

/// A failure the CLI reports itself: the sentence for stderr (it says what to do next) and the exit status.
struct CLIFailure: Error, Sendable {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The one place engine errors become exit statuses.
    init(_ error: EngineError) {
        switch error {
        case .invalidReply, .contentModified: self.init(.invalidEdit, error.description)
        case .notConfigured, .invalidRequest, .refused, .stopped: self.init(.usage, error.description)
        case .provider: self.init(.provider, error.description)
        }
    }

    /// A file named on the command line could not be read for editing: a usage error, found before any model call.
    init(reading error: FileWriteError) {
        self.init(.usage, error.description)
    }

    /// The edit could not be written (a file changed on disk, a write failed): nothing was changed.
    init(writing error: FileWriteError) {
        self.init(.invalidEdit, error.description)
    }

    /// Any error a command let escape, mapped by kind.
    static func from(_ error: any Error) -> CLIFailure {
        switch error {
        case let failure as CLIFailure: return failure
        case let validation as ValidationError: return CLIFailure(.usage, validation.message)
        case let engineError as EngineError: return CLIFailure(engineError)
        case let providerError as ProviderError: return CLIFailure(.provider, providerError.userMessage)
        case let fileError as FileWriteError: return CLIFailure(writing: fileError)
        case is CancellationError: return CLIFailure(.invalidEdit, "The command was cancelled; nothing was written.")
        default: return CLIFailure(.invalidEdit, "\(error)")
        }
    }

    /// Runs a subcommand's body; a failure is printed as `k2lsp: message` and becomes its exit status.
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            let failure = CLIFailure.from(error)
            StandardStreams.writeError("k2lsp: \(failure.message)\n")
            throw ExitCode(failure.status.rawValue)
        }
    }
}
