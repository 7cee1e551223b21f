// Which lines of a reply name files: paths and decorated paths do; sentences, `...` and `Fixed.` do not.
import Testing

@testable import K2Engine

@Test(arguments: [
    ("src/settings.py", "src/settings.py"), ("**src/b.py**", "src/b.py"), ("`Makefile`:", "Makefile"),
    ("### a.txt", "a.txt"), ("File: lib/a.rb", "lib/a.rb"), ("./geometry.py", "./geometry.py"),
    (".gitignore", ".gitignore"), ("src\\win\\util.c", "src/win/util.c"), ("/abs/path/x.swift", "/abs/path/x.swift"),
])
func linesThatNameFiles(_ line: String, _ expected: String) {
    #expect(ReplyPathName.fromLine(line) == expected)
}

@Test(arguments: [
    "...", "…", "Fixed.", "Done!", "Here is the change:", "v1.2", "3.14", "x = 1", "print(x)", "e.g.",
    "Hope you like it!", "https://example.com/a.py", "-x.py", "+++ b/x.py", "@@ -1 +1 @@", "src/.../x.py", "",
])
func linesThatDoNotNameFiles(_ line: String) {
    #expect(ReplyPathName.fromLine(line) == nil)
}

@Test(arguments: [
    ("src/settings.py", "src/settings.py"), ("python src/a.py", "src/a.py"), ("python:src/a.py", "src/a.py"),
    ("swift", nil), ("python", nil), ("text", nil), ("py title=\"x.py\"", "x.py"), ("c++", nil),
] as [(String, String?)])
func fenceInfoStrings(_ info: String, _ expected: String?) {
    #expect(ReplyPathName.fromFenceInfo(info) == expected)
}

@Test(arguments: [
    ("a/src/x.py", "a/src/x.py"), ("dir name/file.txt\t2024-01-01 10:00", "dir name/file.txt"),
    ("/dev/null", "/dev/null"), ("\"quoted name.txt\"", "quoted name.txt"),
] as [(String, String?)])
func diffHeaders(_ rest: String, _ expected: String?) {
    #expect(ReplyPathName.fromDiffHeader(rest) == expected)
}
