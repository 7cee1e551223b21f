// Writes several files all-or-nothing: checks every file, stages every temporary file, then renames, rolling back on failure.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes `FileWritePlan`s so that either every file gets its new bytes or none changes.
///
/// 1. Check: every existing file must still have the content it was read with (size and SHA-256) and be writable
///    (a read-only file is replaced only when the writer was made with `replacingReadOnlyFiles`, as `vim`'s `:w!`
///    and aider's confirmation do; rename would replace it silently), every new file's path must be free, and no
///    file may appear twice. Any problem: nothing is touched.
/// 2. Stage: each new content goes to a temporary file in the target's directory (written, `fsync`ed, given the
///    original's mode and, when running as root, its owner), and each original gets a backup (a hard link, or a
///    copy where links are refused). A failure here removes what was staged.
/// 3. Commit: rename each temporary file over its target. A symbolic link is followed, so its target is edited
///    and the link stays. A file with several hard links is rewritten in place instead, so that every link keeps
///    seeing the same file. If any step fails, the files already committed are put back from their backups.
public struct AtomicFileWriter: Sendable {
    private let beforeCommitting: @Sendable (_ planIndex: Int) throws -> Void
    private let replacingReadOnlyFiles: Bool

    /// - Parameter replacingReadOnlyFiles: replace files without write permission too (the CLI's `--force`); their
    ///   mode is kept, so they stay read-only.
    public init(replacingReadOnlyFiles: Bool = false) {
        beforeCommitting = { _ in }
        self.replacingReadOnlyFiles = replacingReadOnlyFiles
    }

    /// For tests: `beforeCommitting(i)` runs before plan `i` is committed; throwing simulates a failing write.
    package init(beforeCommitting: @escaping @Sendable (_ planIndex: Int) throws -> Void) {
        self.beforeCommitting = beforeCommitting
        replacingReadOnlyFiles = false
    }

    public func write(_ plans: [FileWritePlan]) throws(FileWriteError) {
        let targets = try Self.check(plans, replacingReadOnlyFiles: replacingReadOnlyFiles)
        let staged = try Self.stage(targets)
        try commit(staged)
    }

    // MARK: - Check

    private enum Method {
        case replaceByRename
        case rewriteInPlace
        case create
    }

    private struct Target {
        var plan: FileWritePlan
        var path: String
        var method: Method
        var originalBytes: [UInt8]
        var originalStatus: POSIXFileStatus?
    }

    private static func check(_ plans: [FileWritePlan], replacingReadOnlyFiles: Bool) throws(FileWriteError) -> [Target] {
        var targets: [Target] = []
        var errors: [FileWriteError] = []
        var seenPaths = Set<String>()
        for plan in plans {
            do throws(FileWriteError) {
                let target = try checkOne(plan, replacingReadOnlyFiles: replacingReadOnlyFiles)
                if !seenPaths.insert(target.path).inserted { throw .samePathTwice(path: plan.path) }
                targets.append(target)
            } catch {
                errors.append(error)
            }
        }
        if let error = FileWriteError.combining(errors) { throw error }
        return targets
    }

    private static func checkOne(_ plan: FileWritePlan, replacingReadOnlyFiles: Bool) throws(FileWriteError) -> Target {
        switch plan.expectation {
        case .absent:
            switch POSIXFile.status(ofPath: plan.path, followingLinks: false) {
            case .success: throw .alreadyExists(path: plan.path)
            case .failure(let error) where error.isNotFound:
                return Target(plan: plan, path: absolutePath(plan.path), method: .create, originalBytes: [])
            case .failure(let error): throw .writeFailed(path: plan.path, reason: error.message)
            }
        case .unchangedSince(let fingerprint):
            let resolved: String
            switch POSIXFile.resolvedPath(plan.path) {
            case .success(let path): resolved = path
            case .failure(let error) where error.isNotFound: throw .changedOnDisk(path: plan.path)
            case .failure(let error): throw .writeFailed(path: plan.path, reason: error.message)
            }
            // Checked before opening: opening a FIFO or a device could block or have effects.
            if case .success(let status) = POSIXFile.status(ofPath: resolved, followingLinks: false),
                !status.isRegularFile
            {
                throw .notARegularFile(path: plan.path)
            }
            let read: (bytes: [UInt8], status: POSIXFileStatus)
            switch POSIXFile.readFile(atPath: resolved) {
            case .success(let result): read = result
            case .failure(let error): throw .writeFailed(path: plan.path, reason: error.message)
            }
            guard FileFingerprint(bytes: read.bytes, status: read.status).hasSameContent(as: fingerprint) else {
                throw .changedOnDisk(path: plan.path)
            }
            // No write bit at all (root may write anything, but a 0444 file says "leave me"), or none for this user.
            if !replacingReadOnlyFiles && (read.status.permissionBits & 0o222 == 0 || access(resolved, W_OK) != 0) {
                throw .readOnly(path: plan.path, mode: Int(read.status.permissionBits))
            }
            return Target(
                plan: plan, path: resolved, method: read.status.linkCount > 1 ? .rewriteInPlace : .replaceByRename,
                originalBytes: read.bytes, originalStatus: read.status)
        }
    }

    // MARK: - Stage

    private struct StagedTarget {
        var target: Target
        var temporaryPath: String?
        var backupPath: String?
        var createdDirectories: [String] = []
    }

    private static func stage(_ targets: [Target]) throws(FileWriteError) -> [StagedTarget] {
        var staged: [StagedTarget] = []
        for target in targets {
            var entry = StagedTarget(target: target)
            do throws(FileWriteError) {
                switch target.method {
                case .replaceByRename:
                    entry.temporaryPath = try writeTemporaryFile(next: target.path, bytes: target.plan.bytes,
                                                                 like: target.originalStatus)
                    entry.backupPath = try makeBackup(of: target)
                case .rewriteInPlace:
                    entry.backupPath = try makeBackup(of: target)
                case .create:
                    entry.createdDirectories = try createParentDirectories(of: target.path)
                    entry.temporaryPath = try writeTemporaryFile(next: target.path, bytes: target.plan.bytes, like: nil)
                }
            } catch {
                staged.append(entry)  // Whatever it created before failing is removed with the rest.
                discard(staged)
                throw error
            }
            staged.append(entry)
        }
        return staged
    }

    /// A temporary file beside `path` holding `bytes`, synced, with the mode and (as root) owner of `status`;
    /// a new file gets 0644 less the umask.
    private static func writeTemporaryFile(next path: String, bytes: [UInt8], like status: POSIXFileStatus?)
        throws(FileWriteError) -> String
    {
        let (temporaryPath, descriptor) = try createUniqueFile(next: path, suffix: "tmp", mode: status == nil ? 0o644 : 0o600)
        defer { close(descriptor) }
        var result = POSIXFile.writeAll(descriptor: descriptor, bytes: bytes)
        if case .success = result, let status {
            if POSIXFile.isRoot { _ = fchown(descriptor, uid_t(status.ownerID), gid_t(status.groupID)) }
            result = POSIXFile.check(fchmod(descriptor, mode_t(status.permissionBits)))
        }
        if case .success = result { result = POSIXFile.check(fsync(descriptor)) }
        if case .failure(let error) = result {
            unlink(temporaryPath)
            throw .writeFailed(path: path, reason: error.message)
        }
        return temporaryPath
    }

    /// Keeps the original reachable until every file is committed: a hard link costs nothing and keeps mode and
    /// owner; a copy is the fallback where links are refused, and the only choice for an in-place rewrite.
    private static func makeBackup(of target: Target) throws(FileWriteError) -> String {
        if target.method == .replaceByRename {
            for _ in 0..<8 {
                let backupPath = siblingPath(of: target.path, suffix: "orig")
                if link(target.path, backupPath) == 0 { return backupPath }
                if errno != EEXIST { break }
            }
        }
        let (backupPath, descriptor) = try createUniqueFile(next: target.path, suffix: "orig", mode: 0o600)
        defer { close(descriptor) }
        var result = POSIXFile.writeAll(descriptor: descriptor, bytes: target.originalBytes)
        if case .success = result { result = POSIXFile.check(fsync(descriptor)) }
        if case .failure(let error) = result {
            unlink(backupPath)
            throw .writeFailed(path: target.plan.path, reason: "could not keep a backup copy (\(error.message))")
        }
        return backupPath
    }

    private static func createUniqueFile(next path: String, suffix: String, mode: UInt32)
        throws(FileWriteError) -> (path: String, descriptor: Int32)
    {
        var lastError = POSIXError(code: EEXIST)
        for _ in 0..<8 {
            let candidate = siblingPath(of: path, suffix: suffix)
            switch POSIXFile.open(candidate, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode) {
            case .success(let descriptor): return (candidate, descriptor)
            case .failure(let error):
                lastError = error
                if error.code != EEXIST { break }
            }
        }
        throw .writeFailed(
            path: path, reason: "could not create a temporary file in \(directoryName(of: path)) (\(lastError.message))")
    }

    private static func createParentDirectories(of path: String) throws(FileWriteError) -> [String] {
        var missing: [String] = []
        var directory = directoryName(of: path)
        while true {
            switch POSIXFile.status(ofPath: directory, followingLinks: true) {
            case .success(let status):
                guard status.isDirectory else {
                    throw .writeFailed(path: path, reason: "\(directory) exists and is not a directory")
                }
            case .failure(let error) where error.isNotFound:
                missing.append(directory)
                let parent = directoryName(of: directory)
                if parent != directory {
                    directory = parent
                    continue
                }
            case .failure(let error):
                throw .writeFailed(path: path, reason: error.message)
            }
            break
        }
        var created: [String] = []
        for directory in missing.reversed() {
            if mkdir(directory, 0o777) != 0 && errno != EEXIST {
                let error = POSIXError.current()
                for createdDirectory in created.reversed() { rmdir(createdDirectory) }
                throw .writeFailed(path: path, reason: "could not create \(directory) (\(error.message))")
            }
            created.append(directory)
        }
        return created
    }

    /// Removes temporary files, backups and created directories of targets that were never committed.
    private static func discard(_ staged: [StagedTarget]) {
        for entry in staged.reversed() {
            if let temporaryPath = entry.temporaryPath { unlink(temporaryPath) }
            if let backupPath = entry.backupPath { unlink(backupPath) }
            for directory in entry.createdDirectories.reversed() { rmdir(directory) }
        }
    }

    // MARK: - Commit

    private func commit(_ staged: [StagedTarget]) throws(FileWriteError) {
        for (index, entry) in staged.enumerated() {
            if let failure = commitOne(entry, index: index) {
                let rollback = Self.rollBack(Array(staged[..<index]))
                var unrestored = rollback.unrestored
                if entry.target.method == .rewriteInPlace {
                    // A rewrite that failed halfway may have truncated the file: put its bytes back too.
                    unrestored += Self.rollBack([entry]).unrestored
                } else {
                    Self.discard([entry])
                }
                Self.discard(Array(staged[(index + 1)...]))
                throw .rolledBack(cause: failure, restoredPaths: rollback.restored, unrestored: unrestored)
            }
        }
        for entry in staged {
            if let backupPath = entry.backupPath { unlink(backupPath) }
            POSIXFile.syncDirectory(Self.directoryName(of: entry.target.path))
        }
    }

    private func commitOne(_ entry: StagedTarget, index: Int) -> FileWriteError? {
        let target = entry.target
        do {
            try beforeCommitting(index)
        } catch {
            return .writeFailed(path: target.plan.path, reason: "\(error)")
        }
        let result: Result<Void, POSIXError>
        switch target.method {
        case .replaceByRename:
            guard let temporaryPath = entry.temporaryPath else { return nil }
            result = POSIXFile.check(rename(temporaryPath, target.path))
        case .rewriteInPlace:
            result = Self.rewrite(target.path, with: target.plan.bytes)
        case .create:
            guard let temporaryPath = entry.temporaryPath else { return nil }
            // link() refuses to replace a file that appeared since the check; rename() would clobber it.
            if link(temporaryPath, target.path) == 0 {
                unlink(temporaryPath)
                result = .success(())
            } else if errno == EEXIST {
                return .alreadyExists(path: target.plan.path)
            } else {
                result = POSIXFile.check(rename(temporaryPath, target.path))
            }
        }
        if case .failure(let error) = result { return .writeFailed(path: target.plan.path, reason: error.message) }
        return nil
    }

    private static func rewrite(_ path: String, with bytes: [UInt8]) -> Result<Void, POSIXError> {
        POSIXFile.open(path, flags: O_WRONLY | O_TRUNC).flatMap { descriptor in
            defer { close(descriptor) }
            return POSIXFile.writeAll(descriptor: descriptor, bytes: bytes).flatMap {
                POSIXFile.check(fsync(descriptor))
            }
        }
    }

    private static func rollBack(_ committed: [StagedTarget])
        -> (restored: [String], unrestored: [FileWriteError.UnrestoredFile])
    {
        var restored: [String] = []
        var unrestored: [FileWriteError.UnrestoredFile] = []
        for entry in committed.reversed() {
            let target = entry.target
            let succeeded: Bool
            switch target.method {
            case .replaceByRename:
                succeeded = entry.backupPath.map { rename($0, target.path) == 0 } ?? false
            case .rewriteInPlace:
                succeeded = (try? rewrite(target.path, with: target.originalBytes).get()) != nil
                if succeeded, let backupPath = entry.backupPath { unlink(backupPath) }
            case .create:
                succeeded = unlink(target.path) == 0
                for directory in entry.createdDirectories.reversed() { rmdir(directory) }
            }
            if succeeded {
                restored.append(target.plan.path)
            } else if let backupPath = entry.backupPath {
                unrestored.append(.init(path: target.plan.path, backupPath: backupPath))
            }
        }
        return (restored.reversed(), unrestored.reversed())
    }

    // MARK: - Paths

    private static func siblingPath(of path: String, suffix: String) -> String {
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let directory = directoryName(of: path)
        let prefix = directory == "." && !path.hasPrefix("./") ? "" : directory + (directory.hasSuffix("/") ? "" : "/")
        return "\(prefix).\(baseName(of: path)).k2lsp-\(random).\(suffix)"
    }

    static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let directory = getcwd(nil, 0) else { return path }
        defer { free(directory) }
        return String(cString: directory) + "/" + path
    }
}
