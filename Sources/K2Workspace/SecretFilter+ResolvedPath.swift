// The one secret decision for a file on disk: by the name it is reached through and by the file it leads to.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SecretFilter {
    /// The pattern that makes the file `root/relativePath` secret, nil when none does. Two names count: the path as
    /// named, and where it leads once every symbolic link is followed (`settings.py -> .env`,
    /// `deploy_key.txt -> ~/.ssh/id_rsa`). The target is named relative to `root` when it lies inside, else relative
    /// to the deepest folder it shares with `root`, so that the folders above the workspace (a home folder called
    /// `secret-agent`) never make a file secret. A path that does not exist yet is resolved as far as it exists, and
    /// a dangling link by what it names. An absolute `relativePath` (a model may write one) is taken as it is.
    ///
    /// Every place that reads a file for a prompt, or writes one, asks this; no second copy of the rule exists.
    public func secretPattern(relativePath: String, root: String) -> String? {
        let trimmedRoot = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        let lexical: String
        if relativePath.hasPrefix("/") {
            lexical = relativePath
            let named = WorkspacePaths.relativePath(of: relativePath, inside: trimmedRoot)
                ?? Self.pathBelowCommonFolder(relativePath, trimmedRoot)
            if let pattern = matchingPattern(relativePath: named) { return pattern }
        } else {
            lexical = (trimmedRoot == "/" ? "" : trimmedRoot) + "/" + relativePath
            if let pattern = matchingPattern(relativePath: relativePath) { return pattern }
        }
        let target = FileSystemCalls.resolvingLinks(lexical)
        if target == lexical { return nil }
        let realRoot = FileSystemCalls.realPath(trimmedRoot) ?? trimmedRoot
        if let inside = WorkspacePaths.relativePath(of: target, inside: realRoot) {
            return inside == relativePath || inside.isEmpty ? nil : matchingPattern(relativePath: inside)
        }
        return matchingPattern(relativePath: Self.pathBelowCommonFolder(target, realRoot))
    }

    /// `target` relative to the deepest folder it shares with `root`: `/home/ann/.env` from `/home/ann/app` is `.env`.
    private static func pathBelowCommonFolder(_ target: String, _ root: String) -> String {
        let targetComponents = target.split(separator: "/")
        let rootComponents = root.split(separator: "/")
        var shared = 0
        while shared < targetComponents.count - 1 && shared < rootComponents.count
            && targetComponents[shared] == rootComponents[shared]
        {
            shared += 1
        }
        return targetComponents[shared...].joined(separator: "/")
    }
}

extension FileSystemCalls {
    /// `path` with every symbolic link followed as far as the path exists; a dangling link is followed by the text
    /// it holds, and the missing rest is appended. Gives up after 40 links (the kernel's limit) and returns what it
    /// has then.
    static func resolvingLinks(_ path: String, linksLeft: Int = 40) -> String {
        if let real = realPath(path) { return real }
        guard let slash = path.lastIndex(of: "/"), linksLeft > 0 else { return path }
        let name = path[path.index(after: slash)...]
        let parent = slash == path.startIndex ? "/" : resolvingLinks(String(path[..<slash]), linksLeft: linksLeft - 1)
        let joined = (parent == "/" ? "" : parent) + "/" + name
        guard name != "..", name != ".", let link = readLink(joined) else { return joined }
        let target = link.hasPrefix("/") ? link : (parent == "/" ? "" : parent) + "/" + link
        return resolvingLinks(WorkspacePaths.lexicallyNormalized(target), linksLeft: linksLeft - 1)
    }

    /// The text of a symbolic link, nil when `path` is not one.
    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
