// Resolves imports to workspace files, per language: modules, packages, relative paths, includes.

/// The files one import stands for.
struct ResolvedImport {
    let reference: ImportReference
    /// Indexed files, in the order they should be considered.
    var files: [FileKey] = []
    /// The import names a directory (Swift module, Go package, Java wildcard): several files, ranked by use.
    var isDirectory = false
    /// A path the import names that exists but is not indexed, with the reason.
    var excluded: (FileKey, ContextSkipReason)?
    /// The import looked local (a relative path) but nothing was found.
    var looksLocal = false
}

struct ImportResolver {
    let snapshot: WorkspaceSnapshot
    let current: FileKey
    var root: Int { current.root }
    var currentDirectory: String { RootFiles.split(current.relativePath).directory }

    func resolve(_ reference: ImportReference) -> ResolvedImport {
        var resolved = ResolvedImport(reference: reference)
        switch reference.kind {
        case .swiftModule:
            resolved.isDirectory = true
            resolved.files = swiftModuleFiles(reference.target)
        case .python(let level, let names):
            resolved.looksLocal = level > 0
            resolved.files = pythonFiles(reference.target, level: level, names: names, resolved: &resolved)
        case .relativePath:
            resolved.looksLocal = true
            resolved.files = firstExisting(relativeCandidates(reference.target), resolved: &resolved)
        case .goPackage:
            resolved.isDirectory = true
            resolved.files = goPackageFiles(reference.target)
        case .rustModule:
            resolved.looksLocal = true
            let directory = rustModuleDirectory(ofFile: current.relativePath)
            let candidates = [join(directory, reference.target + ".rs"), join(directory, reference.target + "/mod.rs")]
            resolved.files = firstExisting(candidates.compactMap { $0 }, resolved: &resolved)
        case .rustUse:
            resolved.looksLocal = true
            resolved.files = rustUseFiles(reference.target, resolved: &resolved)
        case .include:
            resolved.looksLocal = true
            resolved.files = includeFiles(reference.target, resolved: &resolved)
        case .jvm(let isWildcard):
            resolved.isDirectory = isWildcard
            resolved.files = jvmFiles(reference.target, isWildcard: isWildcard)
        }
        resolved.files.removeAll { $0 == current }
        return resolved
    }

    // MARK: - Paths

    /// Joins and normalises `directory/relative`; nil when `..` climbs above the root.
    func join(_ directory: String, _ relative: String) -> String? {
        var parts = directory.isEmpty ? [] : directory.split(separator: "/").map(String.init)
        for part in relative.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    private func parent(_ directory: String) -> String? {
        guard !directory.isEmpty else { return nil }
        return RootFiles.split(directory).directory
    }

    /// The first candidate in the index; otherwise notes why the first one that exists on disk is not indexed.
    /// Before the first listing lands, a local import is looked up on disk instead.
    private func firstExisting(_ candidates: [String], resolved: inout ResolvedImport) -> [FileKey] {
        for candidate in candidates {
            let key = FileKey(root: root, relativePath: candidate)
            if snapshot.file(key) != nil { return [key] }
        }
        if !snapshot.progress.isListingComplete && resolved.looksLocal {
            for candidate in candidates {
                let key = FileKey(root: root, relativePath: candidate)
                if case .file = snapshot.diskEntry(key) { return [key] }
            }
        }
        // Only a local-looking import earns a look at the disk: `import os` is no missing file.
        if resolved.excluded == nil && resolved.looksLocal {
            for candidate in candidates {
                let key = FileKey(root: root, relativePath: candidate)
                if let reason = snapshot.exclusionReason(key) {
                    resolved.excluded = (key, reason)
                    break
                }
            }
        }
        return []
    }

    private func files(in directory: String, withExtensions extensions: [String], excludingSuffix: String? = nil)
        -> [FileKey]
    {
        snapshot.filesDirectly(in: directory, root: root).filter { key in
            extensions.contains { key.relativePath.hasSuffix($0) }
                && !(excludingSuffix.map { key.relativePath.hasSuffix($0) } ?? false)
        }
    }

    // MARK: - Languages

    private func swiftModuleFiles(_ module: String) -> [FileKey] {
        var result: [FileKey] = []
        for directory in snapshot.directories(endingWith: "Sources/" + module, root: root) {
            // A file of the module itself imports nothing from it.
            if current.relativePath.hasPrefix(directory + "/") { continue }
            result += snapshot.filesUnder(directory, root: root).filter { $0.relativePath.hasSuffix(".swift") }
        }
        return result
    }

    private func pythonFiles(_ module: String, level: Int, names: [String], resolved: inout ResolvedImport) -> [FileKey] {
        let modulePath = module.split(separator: ".").joined(separator: "/")
        var bases: [String] = []
        if level > 0 {
            var base: String? = currentDirectory
            for _ in 1..<level { base = base.flatMap(parent) }
            guard let base else { return [] }
            bases = [base]
        } else {
            // Absolute imports: the root, common source folders, and the folders above the current file.
            bases = ["", "src", "lib", "python"]
            var directory: String? = currentDirectory
            while let current = directory, !current.isEmpty {
                bases.append(current)
                directory = parent(current)
            }
        }
        var result: [FileKey] = []
        for base in bases {
            guard let moduleBase = modulePath.isEmpty ? base : join(base, modulePath) else { continue }
            var candidates: [String] = []
            if !modulePath.isEmpty { candidates += [moduleBase + ".py", join(moduleBase, "__init__.py") ?? ""] }
            let found = firstExisting(candidates.filter { !$0.isEmpty }, resolved: &resolved)
            // `from package import module`: the names may be submodules.
            var submodules: [FileKey] = []
            for name in names {
                guard let path = join(moduleBase, name) else { continue }
                submodules += firstExisting([path + ".py", path + "/__init__.py"], resolved: &resolved)
            }
            result = found + submodules
            if !result.isEmpty { break }
        }
        return result
    }

    private static let scriptExtensions = [".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json", ".vue", ".svelte"]

    private func relativeCandidates(_ specifier: String) -> [String] {
        guard let base = join(currentDirectory, specifier) else { return [] }
        var candidates = [base]
        // TypeScript's ESM style imports `./x.js` for the source `./x.ts`.
        for compiled in [".js", ".jsx", ".mjs", ".cjs"] where base.hasSuffix(compiled) {
            let stem = String(base.dropLast(compiled.count))
            candidates += [stem + ".ts", stem + ".tsx", stem + ".mts", stem + ".cts"]
        }
        candidates += Self.scriptExtensions.map { base + $0 }
        candidates += Self.scriptExtensions.map { join(base, "index" + $0) ?? "" }.filter { !$0.isEmpty }
        return candidates
    }

    /// The directory of the nearest `go.mod` above the current file, and the module path it declares.
    private func goModule() -> (directory: String, path: String)? {
        var directory: String? = currentDirectory
        var source = ContextTextSource(snapshot: snapshot, openDocuments: [])
        while let current = directory {
            let key = FileKey(root: root, relativePath: join(current, "go.mod") ?? "go.mod")
            if snapshot.file(key) != nil, case .success(let file) = source.text(of: key) {
                for line in file.unredactedText.split(separator: "\n") where line.hasPrefix("module ") {
                    let path = line.dropFirst(7).trimmingCharacters(in: " \t\r\"")
                    return (current, path)
                }
            }
            directory = parent(current)
        }
        return nil
    }

    private func goPackageFiles(_ importPath: String) -> [FileKey] {
        guard let module = goModule() else { return [] }
        let directory: String
        if importPath == module.path {
            directory = module.directory
        } else if importPath.hasPrefix(module.path + "/") {
            guard let joined = join(module.directory, String(importPath.dropFirst(module.path.count + 1))) else { return [] }
            directory = joined
        } else {
            return []
        }
        return files(in: directory, withExtensions: [".go"], excludingSuffix: "_test.go")
    }

    /// Where the submodules of a Rust file live: its own directory for `lib.rs`, `main.rs` and `mod.rs`,
    /// otherwise a directory named after it.
    private func rustModuleDirectory(ofFile path: String) -> String {
        let (directory, name) = RootFiles.split(path)
        if ["lib.rs", "main.rs", "mod.rs"].contains(name) { return directory }
        let stem = name.hasSuffix(".rs") ? String(name.dropLast(3)) : name
        return directory.isEmpty ? stem : directory + "/" + stem
    }

    private func rustUseFiles(_ path: String, resolved: inout ResolvedImport) -> [FileKey] {
        var segments = path.split(separator: "::").map(String.init).filter { !$0.isEmpty }
        guard let head = segments.first else { return [] }
        segments.removeFirst()
        var base: String
        switch head {
        case "crate":
            guard let crateRoot = rustCrateSource() else { return [] }
            base = crateRoot
        case "self":
            base = rustModuleDirectory(ofFile: current.relativePath)
        default:  // super
            let own = rustModuleDirectory(ofFile: current.relativePath)
            guard let up = parent(own) else { return [] }
            base = up
            while segments.first == "super", let higher = parent(base) {
                base = higher
                segments.removeFirst()
            }
        }
        // The longest prefix of the path that names a module file.
        var count = segments.count
        while count > 0 {
            let modulePath = segments[0..<count].joined(separator: "/")
            if let joined = join(base, modulePath) {
                let found = firstExisting([joined + ".rs", joined + "/mod.rs"], resolved: &resolved)
                if !found.isEmpty { return found }
            }
            count -= 1
        }
        return []
    }

    /// `src/` of the nearest crate above the current file.
    private func rustCrateSource() -> String? {
        var directory: String? = currentDirectory
        while let current = directory {
            if snapshot.file(FileKey(root: root, relativePath: join(current, "Cargo.toml") ?? "Cargo.toml")) != nil {
                return join(current, "src")
            }
            directory = parent(current)
        }
        return nil
    }

    private func includeFiles(_ path: String, resolved: inout ResolvedImport) -> [FileKey] {
        let direct = [join(currentDirectory, path), join("", path), join("include", path), join("src", path)].compactMap { $0 }
        let found = firstExisting(direct, resolved: &resolved)
        if !found.isEmpty { return found }
        // Anywhere in the tree under a matching path, the shortest path first.
        let name = RootFiles.split(path).name
        let matches = snapshot.files(named: name, root: root).filter {
            $0.relativePath == path || $0.relativePath.hasSuffix("/" + path)
        }
        return matches.min { ($0.relativePath.count, $0.relativePath) < ($1.relativePath.count, $1.relativePath) }.map { [$0] } ?? []
    }

    private func jvmFiles(_ name: String, isWildcard: Bool) -> [FileKey] {
        let parts = name.split(separator: ".").map(String.init)
        let extensions = [".java", ".kt"]
        if isWildcard {
            let suffix = parts.joined(separator: "/")
            return snapshot.directories(endingWith: suffix, root: root).flatMap { files(in: $0, withExtensions: extensions) }
        }
        // `a.b.C`, or `a.b.C.member` for a static import: try the longest class path first.
        var count = parts.count
        while count > 1 {
            let classPath = parts[0..<count].joined(separator: "/")
            for fileExtension in extensions {
                let matches = snapshot.files(named: parts[count - 1] + fileExtension, root: root).filter {
                    $0.relativePath == classPath + fileExtension || $0.relativePath.hasSuffix("/" + classPath + fileExtension)
                }
                if !matches.isEmpty { return matches }
            }
            count -= 1
        }
        return []
    }
}

extension Substring {
    /// Drops leading and trailing characters of a set.
    func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
