// Which text in a reply names a file: a path line, a fence info string, a diff header. Sentences and `...` do not.

public enum ReplyPathName {
    /// Extension-less names that are files all the same.
    static let extensionlessFileNames: Set<String> = [
        "Makefile", "makefile", "GNUmakefile", "Dockerfile", "Containerfile", "Gemfile", "Rakefile", "Procfile",
        "Podfile", "Brewfile", "Vagrantfile", "Jenkinsfile", "Justfile", "justfile", "LICENSE", "README", "BUILD",
        "WORKSPACE", "Caddyfile", "Pipfile", "CODEOWNERS", "Earthfile", "Tiltfile",
    ]

    /// The file a line names when the line is nothing but a path, possibly decorated the way models decorate it:
    /// `**src/a.py**`, `` `a.py` ``, `### a.py`, `a.py:`, `File: a.py`. A line with spaces, a sentence, a single
    /// word with a trailing full stop (`Fixed.`), `...` and code are not file names.
    public static func fromLine(_ line: String) -> String? {
        var name = Substring(ReplyText.trimmed(line))
        for prefix in ["file:", "filename:", "path:"] where name.lowercased().hasPrefix(prefix) {
            name = Substring(ReplyText.trimmed(name.dropFirst(prefix.count)))
        }
        while let first = name.first, "#*`'\" ".contains(first) { name = name.dropFirst() }
        while let last = name.last, "*`'\": ".contains(last) { name = name.dropLast() }
        return pathLike(String(name), allowingSpaces: false)
    }

    /// The file a fence's info string names: ```` ```src/settings.py ````, ```` ```python:src/a.py ````,
    /// ```` ```python src/a.py ````. A language name is not a file.
    public static func fromFenceInfo(_ info: String) -> String? {
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        for (position, word) in words.prefix(2).enumerated() {
            var candidate = Substring(word)
            if let colon = candidate.firstIndex(of: ":"), position == 0 { candidate = candidate[candidate.index(after: colon)...] }
            for prefix in ["title=", "file=", "path=", "filename="] where candidate.hasPrefix(prefix) {
                candidate = candidate.dropFirst(prefix.count)
            }
            while let first = candidate.first, "\"'`".contains(first) { candidate = candidate.dropFirst() }
            while let last = candidate.last, "\"'`".contains(last) { candidate = candidate.dropLast() }
            if let path = pathLike(String(candidate), allowingSpaces: false) { return path }
        }
        return nil
    }

    /// The path of a `---` / `+++` header line's rest: a tab and what follows it (a timestamp) are dropped; spaces
    /// are allowed, as `diff` writes names with spaces unquoted. `/dev/null` is returned as is.
    public static func fromDiffHeader(_ rest: String) -> String? {
        var name = Substring(rest.prefix(while: { $0 != "\t" }))
        name = Substring(ReplyText.trimmed(name))
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = name.dropFirst().dropLast() }
        if name == "/dev/null" { return "/dev/null" }
        return pathLike(String(name), allowingSpaces: true)
    }

    /// `name` when it has the shape of a relative or absolute file path, nil otherwise.
    static func pathLike(_ name: String, allowingSpaces: Bool) -> String? {
        var name = name
        guard !name.isEmpty, name.count <= 4096 else { return nil }
        if !allowingSpaces, name.contains(where: { $0 == " " || $0 == "\t" }) { return nil }
        guard !name.contains(where: { "(){}[]<>=;,|\"'`$!?&^%".contains($0) }), !name.contains("://") else {
            return nil
        }
        guard let first = name.first, !"-+~@".contains(first) else { return nil }
        // A sentence ends with punctuation; a file name does not.
        guard let last = name.last, !".:".contains(last) else { return nil }
        // `dir\file.py` from a Windows-minded model.
        if !name.contains("/"), name.contains("\\") { name = name.replacingBackslashes() }
        guard name.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
        let components = name.split(separator: "/", omittingEmptySubsequences: true)
        guard let base = components.last else { return nil }
        if components.contains(where: { $0 == "..." || $0 == "…" }) { return nil }
        if name.contains("/") { return name }
        if extensionlessFileNames.contains(String(base)) { return name }
        // A dotfile (`.gitignore`) or `name.ext` with a short extension that has a letter (`v1.2` is a version).
        guard let dot = base.lastIndex(of: ".") else { return nil }
        let fileExtension = base[base.index(after: dot)...]
        guard (1...12).contains(fileExtension.count), fileExtension.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
            fileExtension.contains(where: \.isLetter)
        else { return nil }
        return name
    }
}

extension String {
    fileprivate func replacingBackslashes() -> String {
        String(map { $0 == "\\" ? "/" : $0 })
    }
}
