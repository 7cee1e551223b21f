// The reply corpus: cases read from ReplyCorpus/*.corpus, and running one through the edit-reply processor.
import Foundation
import K2Provider
import K2Workspace
import K2TestSupport
import Testing

@testable import K2Engine

/// One corpus case: the workspace, the request, the model's replies, and what must come of them.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    struct File: Sendable {
        var path: String
        /// The buffer for an open file, else the file on disk.
        var content: String
        var version: Int?
        /// The disk copy of an open file whose buffer differs from it.
        var disk: String?
        var isOpen: Bool { version != nil }
    }

    struct Reply: Sendable {
        var content: String
        var toolCalls: [ReplyToolCall]
    }

    enum Expectation: Sendable {
        /// Final texts by path (an open file's buffer); every file not listed stays unchanged.
        case documents([String: String])
        /// No edit at all; the message contains the text when one is given.
        case refusal(String?)
    }

    var name: String
    /// `file.corpus:line`, to find the case.
    var source: String
    var format: EditReplyFormat?
    var kind: EditKind = .edit
    var files: [File] = []
    var symlinks: [(link: String, target: String)] = []
    var replies: [Reply] = []
    var expectation: Expectation = .refusal(nil)
    var usesCRLF = false

    var testDescription: String { "\(name) (\(source))\(usesCRLF ? " CRLF" : "")" }

    /// The same case with every document (buffers, disk copies, expected texts of files that exist) in CRLF; the
    /// replies stay as models write them, in LF.
    var withCRLFDocuments: CorpusCase {
        var copy = self
        copy.usesCRLF = true
        func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }
        copy.files = files.map { file in
            var converted = file
            converted.content = crlf(file.content)
            converted.disk = file.disk.map(crlf)
            return converted
        }
        if case .documents(let expected) = expectation {
            let existing = Set(files.map(\.path))
            copy.expectation = .documents(expected.reduce(into: [:]) { result, entry in
                result[entry.key] = existing.contains(entry.key) ? crlf(entry.value) : entry.value
            })
        }
        return copy
    }
}

/// What the processor made of a case's replies.
struct CorpusOutcome: Sendable {
    /// The final text of every file an edit touched, by workspace-relative path.
    var texts: [String: String] = [:]
    var edits: [FileEdit] = []
    var problem: String?
    var rounds = 0
    /// Consistency faults of the edits themselves (replacements that do not give the new text, wrong base).
    var faults: [String] = []

    /// Why the outcome is not what the case expects; nil when it is.
    func mismatch(with expectation: CorpusCase.Expectation) -> String? {
        if !faults.isEmpty { return "inconsistent edits: " + faults.joined(separator: "; ") }
        switch expectation {
        case .refusal(let text):
            if !edits.isEmpty { return "expected a refusal, got edits of \(texts.keys.sorted())" }
            if let text, !(problem ?? "").contains(text) { return "refusal without '\(text)': \(problem ?? "")" }
            return nil
        case .documents(let expected):
            guard problem == nil else { return "expected documents, got a refusal: \(problem ?? "")" }
            for (path, text) in expected where texts[path] != text {
                return "\(path) is\n\(texts[path].map { $0.debugDescription } ?? "unchanged")\nnot\n\(text.debugDescription)"
            }
            if let extra = texts.keys.sorted().first(where: { expected[$0] == nil }) { return "\(extra) was edited" }
            return nil
        }
    }

    /// Whether the outcome is a wrong edit: some file changed, but not as expected.
    func isWrongEdit(for expectation: CorpusCase.Expectation) -> Bool {
        !edits.isEmpty && mismatch(with: expectation) != nil
    }
}

enum ReplyCorpus {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "ReplyCorpus")

    /// Every case of every `.corpus` file, in file and case order.
    static let cases: [CorpusCase] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".corpus") }.sorted().flatMap { name -> [CorpusCase] in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
                return []
            }
            return parse(text, fileName: name)
        }
    }()

    static let directivePrefix = "%%%% "

    /// Reads cases. A directive line starts with `%%%% `; the lines up to the next directive are its text
    /// (trailing blank lines dropped; a text ends with a line break unless the directive says `noeol`).
    static func parse(_ text: String, fileName: String) -> [CorpusCase] {
        var cases: [CorpusCase] = []
        var current: CorpusCase?
        var directive: (words: [String], line: Int)?
        var body: [String] = []
        var rawArguments = ""

        func flush() {
            guard let (words, _) = directive, var open = current else { return }
            var lines = body
            while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
            let noFinalBreak = words.contains("noeol")
            let text = lines.joined(separator: "\n") + (lines.isEmpty || noFinalBreak ? "" : "\n")
            let options = words.dropFirst().filter { $0 == "noeol" || $0.hasPrefix("version=") || $0 == "open" }
            // A path may hold spaces: it is the directive's words that are not options.
            let rest = words.dropFirst().filter { !options.contains($0) }
            let argument = words.first == "symlink:" || words.first == "expect:" && rest.first == "refusal"
                ? Array(rest) : [rest.joined(separator: " ")]
            switch words.first {
            case "file:":
                let version = words.first { $0.hasPrefix("version=") }.flatMap { Int($0.dropFirst(8)) }
                    ?? (words.contains("open") ? 1 : nil)
                open.files.append(CorpusCase.File(path: argument.first ?? "", content: text, version: version))
            case "disk:":
                if let index = open.files.firstIndex(where: { $0.path == argument.first }) { open.files[index].disk = text }
            case "reply":
                open.replies.append(CorpusCase.Reply(content: lines.joined(separator: "\n"), toolCalls: []))
            case "tool:":
                let json = rawArguments
                if open.replies.isEmpty { open.replies.append(CorpusCase.Reply(content: "", toolCalls: [])) }
                open.replies[open.replies.count - 1].toolCalls.append(ReplyToolCall(name: words[1], arguments: json))
            case "expect:":
                if argument.first == "refusal" {
                    let detail = argument.dropFirst().joined(separator: " ")
                    open.expectation = .refusal(detail.isEmpty ? nil : detail)
                } else {
                    var expected: [String: String] = [:]
                    if case .documents(let earlier) = open.expectation { expected = earlier }
                    expected[argument.first ?? ""] = text
                    open.expectation = .documents(expected)
                }
            case "format:":
                open.format = argument.first == "selection" ? .selection : .searchReplace
            case "kind:":
                open.kind = EditKind(rawValue: argument.first ?? "") ?? .edit
            case "symlink:":
                if argument.count == 3 { open.symlinks.append((argument[0], argument[2])) }
            default:
                break
            }
            current = open
        }

        for (offset, line) in text.components(separatedBy: "\n").enumerated() {
            guard line.hasPrefix(directivePrefix) else {
                body.append(line)
                continue
            }
            flush()
            body = []
            let words = line.dropFirst(directivePrefix.count).split(separator: " ").map(String.init)
            if words.first == "case:" {
                if let finished = current { cases.append(finished) }
                current = CorpusCase(name: words.dropFirst().joined(separator: " "), source: "\(fileName):\(offset + 1)")
                directive = nil
                continue
            }
            if words.first == "tool:" {
                // The JSON is taken as written: splitting it at spaces would change its strings.
                let afterName = line.dropFirst(directivePrefix.count + "tool: ".count).drop { $0 != " " }
                rawArguments = String(afterName.dropFirst())
                directive = (Array(words), offset + 1)
                flush()
                directive = nil
                continue
            }
            directive = (words, offset + 1)
        }
        flush()
        if let finished = current { cases.append(finished) }
        return cases
    }

    /// A case's workspace on disk with its buffers, to run replies against (the processor writes nothing, so one
    /// workspace serves any number of replies).
    final class Workspace {
        let root: String
        let base: URL
        var open: [DocumentSnapshot] = []
        var request: EditRequest?
        var format: EditReplyFormat = .searchReplace

        init(_ corpusCase: CorpusCase) throws {
            base = FileManager.default.temporaryDirectory.appendingPathComponent("k2corpus-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            root = base.resolvingSymlinksInPath().path
            for (index, file) in corpusCase.files.enumerated() {
                let path = root + "/" + file.path
                let marked = MarkedText(file.content)
                let (text, selection) = (marked.text, marked.selection)
                try AgentFixture.write(file.disk ?? text, to: path)
                let snapshot = DocumentSnapshot(
                    uri: FileURI.uri(fromPath: path), languageID: "text", version: file.version ?? 0, text: text)
                if file.isOpen { open.append(snapshot) }
                if index == 0 {
                    request = EditRequest(
                        kind: corpusCase.kind, document: snapshot, path: path, selection: selection,
                        instruction: "corpus")
                    format = corpusCase.format ?? (selection.isEmpty ? .searchReplace : .selection)
                }
            }
            for link in corpusCase.symlinks {
                try FileManager.default.createSymbolicLink(atPath: root + "/" + link.link, withDestinationPath: link.target)
            }
        }

        deinit { try? FileManager.default.removeItem(at: base) }
    }

    /// Runs a case: writes its workspace, opens its buffers, and gives its replies to the processor one round at a
    /// time, as the edit command does.
    static func run(_ corpusCase: CorpusCase) throws -> CorpusOutcome {
        run(corpusCase, in: try Workspace(corpusCase))
    }

    /// Runs a case's replies in a workspace made for it (or for a case with the same files).
    static func run(_ corpusCase: CorpusCase, in workspace: Workspace) -> CorpusOutcome {
        let root = workspace.root
        guard let request = workspace.request else { return CorpusOutcome(problem: "the case has no file") }
        let secrets = SecretFilter()
        var processor = EditReplyProcessor(
            request: request, format: workspace.format, workspace: root, openDocuments: workspace.open,
            secretRefusal: { written, resolved in
                let relative = WorkspacePaths.relativePath(of: resolved, inside: root) ?? resolved
                return secrets.isSecretFile(relativePath: written) || secrets.isSecretFile(relativePath: relative)
                    ? "\(written) holds secrets" : nil
            })
        var outcome = CorpusOutcome()
        for reply in corpusCase.replies {
            outcome.rounds += 1
            let calls = reply.toolCalls.map { call in
                ReplyToolCall(name: call.name, arguments: call.arguments.replacingOccurrences(of: "${WORKSPACE}", with: root))
            }
            let content = reply.content.replacingOccurrences(of: "${WORKSPACE}", with: root)
            switch processor.edits(content: content, toolCalls: calls) {
            case .failure(let problem):
                outcome.problem = problem.userMessage + "\n" + problem.repairPrompt
                continue
            case .success(let edits):
                outcome.problem = nil
                outcome.edits = edits
                for edit in edits {
                    let relative = WorkspacePaths.relativePath(of: ReplyPathResolver.canonical(edit.path), inside: root)
                        ?? edit.path
                    outcome.texts[relative] = edit.newText
                    outcome.faults += faults(of: edit, relative: relative, in: corpusCase, root: root)
                }
            }
            break
        }
        return outcome
    }

    /// An edit must turn its base text into its new text, and be computed from the buffer of an open file (with its
    /// version) or from the disk copy of any other (without one).
    private static func faults(of edit: FileEdit, relative: String, in corpusCase: CorpusCase, root: String) -> [String] {
        var faults: [String] = []
        if MinimalTextEdits.apply(edit.replacements, to: edit.baseText) != edit.newText {
            faults.append("\(relative): replacements do not give the new text")
        }
        guard let file = corpusCase.files.first(where: { $0.path == relative }) else {
            if !edit.isNewFile { faults.append("\(relative): an edit of a file the case does not have") }
            return faults
        }
        let buffer = MarkedText(file.content).text
        if file.isOpen {
            if edit.baseText != buffer { faults.append("\(relative): not computed from the open buffer") }
            if edit.baseVersion != file.version { faults.append("\(relative): version \(String(describing: edit.baseVersion)), not \(file.version ?? -1)") }
            if edit.documentURI == nil { faults.append("\(relative): no document URI for an open buffer") }
        } else {
            if edit.baseText != (file.disk ?? buffer) { faults.append("\(relative): not computed from the disk copy") }
            if edit.baseVersion != nil { faults.append("\(relative): a version for a file that is not open") }
        }
        return faults
    }
}
