// The path sandbox: what resolves inside the workspace and what is refused.
import K2TestSupport
import Testing

@testable import K2Workspace

private enum Expected {
    /// Resolves to this path relative to the root.
    case inside(String)
    case escapes
    case symlinkOut
    case empty
    case nul
}

private let sandboxCases: [(path: String, expected: Expected)] = [
    ("a/f.txt", .inside("a/f.txt")),
    ("./a/./f.txt", .inside("a/f.txt")),
    ("a/../a/f.txt", .inside("a/f.txt")),
    ("new/dir/file.txt", .inside("new/dir/file.txt")),
    ("new/../a/f.txt", .inside("a/f.txt")),
    ("in/f.txt", .inside("a/f.txt")),
    ("in/../a/f.txt", .inside("a/f.txt")),
    ("in/new.txt", .inside("a/new.txt")),
    ("../x", .escapes),
    ("a/../../x", .escapes),
    ("/etc/passwd", .escapes),
    ("out/x.txt", .symlinkOut),
    ("out/new.txt", .symlinkOut),
    ("a/escape", .symlinkOut),
    ("", .empty),
    ("a/\u{0}x", .nul),
]

@Test func resolvesInsideAndRefusesEscapes() throws {
    let scratch = try TemporaryDirectory()
    let outside = try TemporaryDirectory()
    try outside.write("x.txt", "outside")
    try scratch.write("a/f.txt", "inside")
    try scratch.symlink("in", to: "a")
    try scratch.symlink("out", to: outside.path)
    try scratch.symlink("a/escape", to: outside.path + "/x.txt")
    for (path, expected) in sandboxCases {
        let result = WorkspacePaths.resolveInside(root: scratch.path, relativePath: path)
        switch (expected, result) {
        case (.inside(let relative), .success(let resolved)):
            #expect(resolved == scratch.path + "/" + relative, "\(path)")
        case (.escapes, .failure(.escapesRoot)), (.symlinkOut, .failure(.symlinkLeavesRoot)), (.empty, .failure(.empty)),
            (.nul, .failure(.containsNUL)):
            break
        default:
            Issue.record("\(path.debugDescription): expected \(expected), got \(result)")
        }
    }
}

@Test func absolutePathsInsideTheRootAreAccepted() throws {
    let scratch = try TemporaryDirectory()
    try scratch.write("a/f.txt", "inside")
    #expect(try WorkspacePaths.resolveInside(root: scratch.path, relativePath: scratch.path + "/a/f.txt").get() == scratch.path + "/a/f.txt")
    #expect(try WorkspacePaths.resolveInside(root: scratch.path, relativePath: scratch.path + "/a/../b").get() == scratch.path + "/b")
}

@Test func refusalsSayWhatToDo() {
    #expect(PathRefusal.escapesRoot(path: "../x").description.contains("only files inside the workspace"))
    #expect(WorkspacePaths.relativePath(of: "/w/root/a/b", inside: "/w/root") == "a/b")
    #expect(WorkspacePaths.relativePath(of: "/w/rootx/a", inside: "/w/root") == nil)
    #expect(WorkspacePaths.relativePath(of: "/w/root", inside: "/w/root/") == "")
}
