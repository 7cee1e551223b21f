// The reply corpus, each case as written and with CRLF documents, and a property test that corrupts its replies.
import Foundation
import Testing

@testable import K2Engine

@Suite struct ReplyCorpusTests {
    static let cases = ReplyCorpus.cases + ReplyCorpus.cases.map(\.withCRLFDocuments)

    @Test func theCorpusIsLargeAndCoversEveryShape() {
        let corpus = ReplyCorpus.cases
        #expect(corpus.count >= 60, "the corpus has \(corpus.count) cases")
        #expect(Set(corpus.map(\.name)).count == corpus.count, "case names are unique")
        let replies = corpus.flatMap(\.replies)
        #expect(replies.contains { $0.content.contains("<<<<<<< SEARCH") })
        #expect(replies.contains { $0.content.contains("@@") })
        #expect(replies.contains { !$0.toolCalls.isEmpty })
        #expect(corpus.contains { if case .refusal = $0.expectation { true } else { false } })
        #expect(corpus.contains { $0.files.contains(where: \.isOpen) && $0.files.count > 1 })
    }

    @Test(arguments: cases) func replyBecomesTheExpectedEditOrARefusal(_ corpusCase: CorpusCase) throws {
        let outcome = try ReplyCorpus.run(corpusCase)
        let mismatch = outcome.mismatch(with: corpusCase.expectation)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// Corrupted replies: a marker dropped or doubled, the reply cut inside an edit, the indentation changed, the
    /// path swapped for another file's. The outcome is the expected documents or a refusal, never another edit.
    /// (One workspace per case and line ending serves all its mutations: the processor writes nothing.)
    @Test func corruptedRepliesNeverBecomeWrongEdits() throws {
        var total = 0
        var refused = 0
        var wrong: [String] = []
        for corpusCase in ReplyCorpus.cases {
            guard case .documents = corpusCase.expectation, corpusCase.replies.count == 1,
                let reply = corpusCase.replies.first
            else { continue }
            let mutations = ReplyMutations.all(of: reply.content, in: corpusCase)
            for variant in [corpusCase, corpusCase.withCRLFDocuments] {
                let workspace = try ReplyCorpus.Workspace(variant)
                for mutation in mutations {
                    var mutated = variant
                    mutated.replies = [CorpusCase.Reply(content: mutation.text, toolCalls: reply.toolCalls)]
                    total += 1
                    let outcome = ReplyCorpus.run(mutated, in: workspace)
                    if outcome.isWrongEdit(for: mutated.expectation) {
                        wrong.append("\(mutated.testDescription) [\(mutation.name)]: \(outcome.mismatch(with: mutated.expectation) ?? "")")
                    } else if outcome.problem != nil {
                        refused += 1
                    }
                }
            }
        }
        print("reply corpus property test: \(total) corrupted replies, \(refused) refused, \(wrong.count) wrong edits")
        #expect(total >= 300)
        #expect(wrong.isEmpty, "\(wrong.prefix(5).joined(separator: "\n\n"))")
    }
}

/// Ways a reply gets corrupted, each keeping the reply's meaning undecidable or unchanged, so that the only
/// acceptable outcomes are the original expected documents or a refusal.
enum ReplyMutations {
    struct Mutation {
        var name: String
        var text: String
    }

    static func all(of reply: String, in corpusCase: CorpusCase) -> [Mutation] {
        let lines = reply.components(separatedBy: "\n")
        var mutations: [Mutation] = []
        for (index, line) in lines.enumerated() where isMarker(line) {
            var dropped = lines
            dropped.remove(at: index)
            mutations.append(Mutation(name: "drop line \(index + 1)", text: dropped.joined(separator: "\n")))
            var doubled = lines
            doubled.insert(line, at: index)
            mutations.append(Mutation(name: "double line \(index + 1)", text: doubled.joined(separator: "\n")))
        }
        for cut in cutPoints(in: lines) {
            mutations.append(Mutation(name: "cut at \(cut)", text: String(reply.utf8.prefix(cut)) ?? ""))
        }
        mutations += indentationChanges(lines)
        mutations += pathSwaps(reply, in: corpusCase)
        return mutations
    }

    /// Lines that give a reply its structure: SEARCH/REPLACE markers, diff headers and hunk headers, fences.
    static func isMarker(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return ["<<<<<<<", "=======", ">>>>>>>", "```", "~~~", "--- ", "+++ ", "@@"].contains { trimmed.hasPrefix($0) }
    }

    /// Byte offsets strictly inside a region that only a complete reply closes: a SEARCH/REPLACE block (from its
    /// SEARCH line to its REPLACE line) or a fenced block. A cut between two complete bare blocks leaves a shorter
    /// valid reply, which is indistinguishable from one the model meant; those are not tried.
    static func cutPoints(in lines: [String]) -> [Int] {
        var offsets: [Int] = []
        var position = 0
        for line in lines {
            offsets.append(position)
            position += line.utf8.count + 1
        }
        var regions: [Range<Int>] = []
        var open: Int?
        var fenceOpen: Int?
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<<<<<<<") { open = index }
            if trimmed.hasPrefix(">>>>>>>"), let start = open {
                regions.append((offsets[start] + lines[start].utf8.count)..<(offsets[index] + line.utf8.count - 1))
                open = nil
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                if let start = fenceOpen {
                    regions.append((offsets[start] + lines[start].utf8.count)..<(offsets[index] + 2))
                    fenceOpen = nil
                } else {
                    fenceOpen = index
                }
            }
        }
        var cuts: [Int] = []
        for region in regions where !region.isEmpty {
            let step = max(1, region.count / 7)
            cuts += stride(from: region.lowerBound, to: region.upperBound, by: step)
        }
        return Array(Set(cuts)).sorted()
    }

    /// Every line of a SEARCH/REPLACE block shifted alike (the matcher's indentation tolerance must undo exactly
    /// that); one SEARCH line of a multi-line SEARCH shifted alone (which must then not match).
    static func indentationChanges(_ lines: [String]) -> [Mutation] {
        var mutations: [Mutation] = []
        var index = 0
        while index < lines.count {
            guard lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("<<<<<<<"),
                let divider = lines[index...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("=======") }),
                let end = lines[divider...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(">>>>>>>") })
            else {
                index += 1
                continue
            }
            let searchLines = ((index + 1)..<divider).filter { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }
            // A block that creates a file has nothing to match; its indentation is what the file gets.
            if !searchLines.isEmpty {
                var shifted = lines
                for line in (index + 1)..<end where line != divider && !lines[line].isEmpty {
                    shifted[line] = "  " + lines[line]
                }
                mutations.append(Mutation(name: "indent block at \(index + 1)", text: shifted.joined(separator: "\n")))
            }
            if searchLines.count >= 2, let first = searchLines.first {
                var one = lines
                one[first] = " " + lines[first]
                mutations.append(Mutation(name: "indent one SEARCH line \(first + 1)", text: one.joined(separator: "\n")))
            }
            index = end + 1
        }
        return mutations
    }

    /// The path a reply names replaced by another file of the case that does not hold the text the edit searches.
    static func pathSwaps(_ reply: String, in corpusCase: CorpusCase) -> [Mutation] {
        var paths = corpusCase.files.map(\.path)
        // A code block named for the selection's own file is a valid selection reply, whatever it holds.
        let isCodeBlockReply = !["<<<<<<<", "@@", "+++ "].contains(where: reply.contains)
        if isCodeBlockReply, corpusCase.files.first.map({ $0.content.contains("$0") }) == true,
            let requestPath = paths.first
        {
            paths = paths.map { $0 == requestPath ? "" : $0 }
        }
        var mutations: [Mutation] = []
        for path in corpusCase.files.map(\.path) where reply.contains(path) {
            for other in paths where !other.isEmpty && other != path && !path.hasSuffix(other) && !other.hasSuffix(path) {
                let otherText = corpusCase.files.first { $0.path == other }?.content ?? ""
                let sharesText = searchTexts(of: reply).contains { !$0.isEmpty && otherText.contains($0) }
                guard !sharesText else { continue }
                mutations.append(
                    Mutation(name: "swap \(path) for \(other)", text: reply.replacingOccurrences(of: path, with: other)))
            }
        }
        return mutations
    }

    /// The non-blank lines a reply's SEARCH parts and diff context hold, trimmed.
    private static func searchTexts(of reply: String) -> [String] {
        reply.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 3 }
    }
}
