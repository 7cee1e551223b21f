// Loading with a deadline: the files are read on a thread of their own, so a stalled read cannot hold up a server.
import Foundation
import Synchronization

extension ConfigurationLoader {
    /// How long a server waits for its configuration files before it goes on without them.
    public static let standardDeadline: Duration = .seconds(10)

    /// `load()` on a thread of its own, waited for at most `deadline`. A file on a stalled network mount cannot
    /// hold up the caller: after the deadline the result comes from the environment and the editor's settings alone,
    /// with an error that names the files and says what to do. (The thread that reads them cannot be stopped; it
    /// ends when the read returns.)
    public func load(deadline: Duration) async -> LoadedConfiguration {
        await load(deadline: deadline, reading: { $0.load() })
    }

    /// `reading` stands in for `load()` in tests.
    package func load(
        deadline: Duration, reading: @escaping @Sendable (ConfigurationLoader) -> LoadedConfiguration
    ) async -> LoadedConfiguration {
        let loader = self
        if let loaded = await BoundedWait.result(within: deadline, of: { reading(loader) }) { return loaded }
        var withoutFiles = self
        withoutFiles.readsFiles = false
        var fallback = withoutFiles.load()
        let files = [ConfigPaths.userConfig(
            override: userConfigPathOverride, environment: environment, homeDirectory: homeDirectory
        ).path] + workspaceFolders.map(ConfigPaths.workspaceFile(in:))
        let shown = files.map { ConfigPaths.abbreviated($0, homeDirectory: homeDirectory) }.joined(separator: ", ")
        fallback.diagnostics.append(
            ConfigDiagnostic(
                severity: .error, origin: "configuration files", line: nil, keyPath: "",
                message: "reading \(shown) took longer than \(deadline.components.seconds) s, "
                    + "so k2lsp goes on with the environment and the editor's settings only; check that the folders "
                    + "are reachable (a stalled network mount?), then save a configuration file or restart the server"))
        return fallback
    }
}

/// Runs blocking work on a thread of its own and waits for it up to a deadline.
enum BoundedWait {
    /// The work's result, or nil when the deadline passed first. The work is not stopped when the deadline passes.
    static func result<T: Sendable>(within deadline: Duration, of work: @escaping @Sendable () -> T) async -> T? {
        let slot = ResumeOnce<T?>()
        return await withCheckedContinuation { continuation in
            slot.set(continuation)
            let timer = Task {
                // Only a sleep that ran its course answers: a cancelled one means the work is done.
                do {
                    try await Task.sleep(for: deadline)
                    slot.resume(nil)
                } catch {}
            }
            // Not a task: blocking calls must not take a thread of the cooperative pool.
            Thread {
                let value = work()
                slot.resume(value)
                timer.cancel()
            }.start()
        }
    }
}

/// A continuation that the first of several racers resumes.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, Never>?>(nil)

    /// Called before any racer starts.
    func set(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(_ value: T) {
        continuation.withLock { stored -> CheckedContinuation<T, Never>? in
            defer { stored = nil }
            return stored
        }?.resume(returning: value)
    }
}
