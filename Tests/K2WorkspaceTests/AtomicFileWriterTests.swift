// Writing files all-or-nothing: modes, owners, symbolic and hard links, changed-on-disk refusal, rollback.
import Foundation
import K2TestSupport
import K2Workspace
import Testing
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private func update(_ path: String, to text: String) throws -> FileWritePlan {
    FileWritePlan(updating: try TextFileReader.read(path), to: text)
}

@Test(arguments: [0o644, 0o755, 0o600, 0o640, 0o4755])
func keepsTheFileMode(_ mode: Int) throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("script.sh", "echo old\n", mode: mode)
    try AtomicFileWriter().write([try update(path, to: "echo new\n")])
    #expect(try directory.bytes("script.sh") == Array("echo new\n".utf8))
    #expect(metadata(of: path)?.mode == mode)
    #expect(try directory.entries() == ["script.sh"])
}

@Test func replacesByRenameSoTheInodeChanges() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("a.txt", "old\n")
    let before = try #require(metadata(of: path))
    try AtomicFileWriter().write([try update(path, to: "new\n")])
    #expect(metadata(of: path)?.inode != before.inode)
}

@Test func keepsTheOwnerWhenRoot() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("owned.txt", "old\n")
    let isRoot = geteuid() == 0
    if isRoot { #expect(chown(path, 1234, 1235) == 0) }
    try AtomicFileWriter().write([try update(path, to: "new\n")])
    var raw = stat()
    #expect(stat(path, &raw) == 0)
    #expect(raw.st_uid == (isRoot ? 1234 : geteuid()))
    #expect(raw.st_gid == (isRoot ? 1235 : getegid()))
}

@Test func symbolicLinkEditsItsTarget() throws {
    let directory = try TemporaryDirectory()
    let target = try directory.write("real/target.txt", "old\n", mode: 0o600)
    let link = directory.file("link.txt")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/target.txt")
    let file = try TextFileReader.read(link)
    #expect(file.path == link)
    #expect(file.resolvedPath.hasSuffix("/real/target.txt"))
    try AtomicFileWriter().write([FileWritePlan(updating: file, to: "new\n")])
    #expect(isSymbolicLink(link))
    #expect(try directory.bytes("real/target.txt") == Array("new\n".utf8))
    #expect(metadata(of: target)?.mode == 0o600)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("real")) == ["target.txt"])
}

@Test func hardLinkedFileIsRewrittenInPlace() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("a.txt", "old\n")
    let otherLink = directory.file("b.txt")
    #expect(link(path, otherLink) == 0)
    let before = try #require(metadata(of: path))
    try AtomicFileWriter().write([try update(path, to: "new\n")])
    #expect(try directory.bytes("b.txt") == Array("new\n".utf8))
    #expect(metadata(of: path) == before)  // Same inode, mode and link count.
    #expect(try directory.entries() == ["a.txt", "b.txt"])
}

@Test func refusesAFileThatChangedOnDisk() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("a.txt", "original\n")
    let plan = try update(path, to: "from the model\n")
    try directory.write("a.txt", "typed by the user meanwhile\n")
    #expect(throws: FileWriteError.changedOnDisk(path: path)) { try AtomicFileWriter().write([plan]) }
    #expect(try directory.bytes("a.txt") == Array("typed by the user meanwhile\n".utf8))
}

@Test func aTouchAloneIsNoChange() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("a.txt", "same\n")
    let plan = try update(path, to: "new\n")
    var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
    #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    try AtomicFileWriter().write([plan])
    #expect(try directory.bytes("a.txt") == Array("new\n".utf8))
}

@Test func oneChangedFileStopsEveryWrite() throws {
    let directory = try TemporaryDirectory()
    let first = try directory.write("first.txt", "1\n")
    let second = try directory.write("second.txt", "2\n")
    let plans = [
        try update(first, to: "one\n"), try update(second, to: "two\n"),
        FileWritePlan(creating: directory.file("new/third.txt"), text: "3\n"),
    ]
    try directory.write("second.txt", "2 changed\n")
    #expect(throws: FileWriteError.changedOnDisk(path: second)) { try AtomicFileWriter().write(plans) }
    #expect(try directory.bytes("first.txt") == Array("1\n".utf8))
    #expect(try directory.entries() == ["first.txt", "second.txt"])
}

@Test func reportsEveryProblemAtOnce() throws {
    let directory = try TemporaryDirectory()
    let first = try directory.write("first.txt", "1\n")
    let second = try directory.write("second.txt", "2\n")
    let plans = [try update(first, to: "one\n"), FileWritePlan(creating: second, text: "two\n")]
    try directory.write("first.txt", "changed\n")
    #expect(throws: FileWriteError.several([.changedOnDisk(path: first), .alreadyExists(path: second)])) {
        try AtomicFileWriter().write(plans)
    }
}

@Test func createsNewFilesAndTheirDirectories() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("src/deep/New.swift")
    try AtomicFileWriter().write([FileWritePlan(creating: path, text: "struct New {}\n")])
    #expect(try directory.bytes("src/deep/New.swift") == Array("struct New {}\n".utf8))
    let currentUmask = umask(0o022)
    umask(currentUmask)
    #expect(metadata(of: path)?.mode == 0o644 & ~Int(currentUmask))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("src/deep")) == ["New.swift"])
}

@Test func refusesToCreateOverAnExistingFile() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("exists.txt", "keep\n")
    #expect(throws: FileWriteError.alreadyExists(path: path)) {
        try AtomicFileWriter().write([FileWritePlan(creating: path, text: "clobber\n")])
    }
    #expect(try directory.bytes("exists.txt") == Array("keep\n".utf8))
}

@Test func refusesTheSameFileTwiceThroughALink() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("a.txt", "x\n")
    let link = directory.file("alias.txt")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
    #expect(throws: FileWriteError.samePathTwice(path: link)) {
        try AtomicFileWriter().write([try update(path, to: "1\n"), try update(link, to: "2\n")])
    }
}

struct SimulatedDiskFailure: Error, CustomStringConvertible {
    var description: String { "simulated I/O error" }
}

/// Plans: 0 replaces by rename, 1 rewrites a hard-linked file in place, 2 creates a file in new directories.
/// Whichever commit fails, every file ends as it was and nothing is left behind.
@Test(arguments: [0, 1, 2])
func rollsBackWhenACommitFails(_ failingPlan: Int) throws {
    let directory = try TemporaryDirectory()
    let renamed = try directory.write("renamed.txt", "renamed original\r\n", mode: 0o755)
    let hardLinked = try directory.write("linked.txt", "linked original\n")
    #expect(link(hardLinked, directory.file("linked-alias.txt")) == 0)
    let created = directory.file("made/for/you.txt")
    let plans = [
        try update(renamed, to: "renamed new\n"), try update(hardLinked, to: "linked new\n"),
        FileWritePlan(creating: created, text: "brand new\n"),
    ]
    let renamedBefore = try #require(metadata(of: renamed))
    let writer = AtomicFileWriter(beforeCommitting: { index in
        if index == failingPlan { throw SimulatedDiskFailure() }
    })
    let error = #expect(throws: FileWriteError.self) { try writer.write(plans) }
    guard case .rolledBack(let cause, let restoredPaths, let unrestored) = error else {
        Issue.record("expected a rollback, got \(String(describing: error))")
        return
    }
    #expect(cause == .writeFailed(path: plans[failingPlan].path, reason: "simulated I/O error"))
    #expect(restoredPaths == plans.prefix(failingPlan).map(\.path))
    #expect(unrestored.isEmpty)
    #expect(try directory.bytes("renamed.txt") == Array("renamed original\r\n".utf8))
    #expect(metadata(of: renamed) == renamedBefore)
    #expect(try directory.bytes("linked-alias.txt") == Array("linked original\n".utf8))
    #expect(try directory.entries() == ["linked-alias.txt", "linked.txt", "renamed.txt"])
}

@Test func roundTripKeepsBOMAndLineEndings() throws {
    let directory = try TemporaryDirectory()
    let original: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("first\r\nsecond\nthird\r\nlast".utf8)
    let path = try directory.write("mixed.txt", bytes: original)
    let file = try TextFileReader.read(path)
    let edited = file.text.replacingOccurrences(of: "third", with: "THIRD\nadded")
    try AtomicFileWriter().write([FileWritePlan(updating: file, to: edited)])
    let expected: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("first\r\nsecond\nTHIRD\r\nadded\r\nlast".utf8)
    #expect(try directory.bytes("mixed.txt") == expected)
}

@Test func readerRefusesWhatItCannotEdit() throws {
    let directory = try TemporaryDirectory()
    let binary = try directory.write("image.bin", bytes: [0x00, 0x01, 0x02])
    #expect(throws: FileWriteError.binary(path: binary)) { try TextFileReader.read(binary) }
    let missing = directory.file("missing.txt")
    #expect(throws: FileWriteError.notFound(path: missing)) { try TextFileReader.read(missing) }
    #expect(throws: FileWriteError.notARegularFile(path: directory.path)) { try TextFileReader.read(directory.path) }
}

@Test func aReadOnlyFileIsNotReplacedUnlessAllowed() throws {
    let directory = try TemporaryDirectory()
    let locked = try directory.write("locked.txt", "old\n", mode: 0o444)
    let other = try directory.write("other.txt", "old\n")
    let plans = [try update(other, to: "new\n"), try update(locked, to: "new\n")]
    #expect(throws: FileWriteError.readOnly(path: locked, mode: 0o444)) { try AtomicFileWriter().write(plans) }
    #expect(try directory.bytes("locked.txt") == Array("old\n".utf8))
    #expect(try directory.bytes("other.txt") == Array("old\n".utf8))
    try AtomicFileWriter(replacingReadOnlyFiles: true).write(plans)
    #expect(try directory.bytes("locked.txt") == Array("new\n".utf8))
    #expect(metadata(of: locked)?.mode == 0o444)
}
