// Synthetic workspaces for the benchmark: mixed languages, realistic sizes, imports, nested .gitignores, noise to skip.
import Foundation

/// A small deterministic random generator (SplitMix64), so that the same seed gives the same workspace.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func pick<Element>(_ elements: [Element]) -> Element { elements[below(elements.count)] }

    /// A log-normal size: most files a few KB, a long tail of large ones.
    mutating func fileSize(median: Double, sigma: Double, range: ClosedRange<Int>) -> Int {
        let gaussian = (-2 * log(max(unit(), 1e-12))).squareRoot() * cos(2 * Double.pi * unit())
        return min(max(Int(median * exp(sigma * gaussian)), range.lowerBound), range.upperBound)
    }
}

enum GeneratedLanguage: CaseIterable {
    case python, typescript, go, swift, rust, java, c

    var fileExtension: String {
        switch self {
        case .python: return "py"
        case .typescript: return "ts"
        case .go: return "go"
        case .swift: return "swift"
        case .rust: return "rs"
        case .java: return "java"
        case .c: return "c"
        }
    }
}

/// What the generator made.
struct GeneratedWorkspace {
    var sourceFiles = 0
    var noiseFiles = 0
    var bytes = 0
    /// The 200 KB file requests are made in, relative to the root.
    var currentFile = ""
}

/// Writes a workspace of `sourceFileCount` source files (plus ignored, secret, binary and oversized noise).
struct WorkspaceGenerator {
    let root: String
    let sourceFileCount: Int
    var random: SeededRandom

    private static let words = """
        account address agent alert amount api archive asset audit auth backup balance batch bill block branch \
        buffer build bundle cache cart catalog channel chart check client cluster code config connection console \
        context contract counter coupon credit customer dashboard data date debit delivery device discount document \
        draft email engine entry event export feature feed field file filter flag form format gateway graph group \
        handler header health history hook image import index inventory invoice item job journal key label ledger \
        limit line link list loader locale lock log mail manager map merchant message meter metric model module \
        monitor node note notice offer option order owner package page panel parser partner payment peer permission \
        plan policy pool post price process product profile project promo provider queue quota rate reader receipt \
        record refund region registry report request resource result review role route rule sale schedule schema \
        scope search segment sender server service session setting shard shipment signal source stage state status \
        stock store stream subscription summary supplier sync table tag task tax template tenant ticket token topic \
        trace track transfer trigger user validator value vendor version view voucher wallet warehouse webhook worker
        """.split(separator: " ").map(String.init)
    private static let verbs = [
        "load", "save", "parse", "build", "compute", "find", "update", "delete", "create", "validate", "render",
        "fetch", "merge", "apply", "resolve", "format", "encode", "decode", "sync", "check", "list", "count",
    ]

    /// Names declared so far, for calls between files (which the symbol index then resolves).
    private var declaredFunctions: [String] = []
    private var declaredTypes: [String] = []

    init(root: String, sourceFileCount: Int, seed: UInt64 = 42) {
        self.root = root
        self.sourceFileCount = sourceFileCount
        self.random = SeededRandom(seed: seed)
    }

    // MARK: - Layout

    private struct Directory {
        var path: String
        var depth: Int
        var language: GeneratedLanguage
        /// Module names and two declared functions of the files written so far, for sibling imports.
        var modules: [(name: String, functions: [String], type: String)] = []
    }

    mutating func generate() throws -> GeneratedWorkspace {
        var result = GeneratedWorkspace()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var directories = makeDirectories()
        try write("go.mod", "module example.com/bench\n\ngo 1.22\n", into: &result)
        try write(".gitignore", "*.pyc\n/dist/\n.cache/\n*.tmp\n", into: &result)
        try write("AGENTS.md", "# Agent notes\n\nRun `make test` before committing. Keep functions small.\n", into: &result)
        try write("README.md", "# Bench workspace\n\nGenerated for the k2lsp context benchmark.\n", into: &result)
        for number in 0..<sourceFileCount {
            let directoryIndex = random.below(directories.count)
            try writeSourceFile(number: number, directory: &directories[directoryIndex], into: &result)
        }
        try writeNoise(directories: directories, into: &result)
        result.currentFile = try writeCurrentFile(directories: directories, into: &result)
        return result
    }

    private mutating func makeDirectories() -> [Directory] {
        let count = max(8, sourceFileCount / 12)
        let tops = ["src", "lib", "services", "packages", "tools", "internal", "app", "core"]
        var directories: [Directory] = tops.map { Directory(path: $0, depth: 1, language: .python) }
        var used = Set(tops)
        while directories.count < count {
            let parent = directories[random.below(directories.count)]
            guard parent.depth < 5 else { continue }
            let path = parent.path + "/" + random.pick(Self.words) + (random.below(4) == 0 ? "_\(random.below(100))" : "")
            guard used.insert(path).inserted else { continue }
            directories.append(Directory(path: path, depth: parent.depth + 1, language: .python))
        }
        // One language per directory, so that sibling imports resolve; the mix is weighted like a polyglot monorepo.
        let weighted: [GeneratedLanguage] = [.python, .python, .typescript, .typescript, .go, .swift, .rust, .java, .c]
        for index in directories.indices { directories[index].language = random.pick(weighted) }
        directories[0].language = .python
        return directories
    }

    private func write(_ path: String, _ text: String, into result: inout GeneratedWorkspace) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        result.bytes += text.utf8.count
    }

    // MARK: - Source files

    private mutating func name(_ style: GeneratedLanguage) -> (function: String, type: String) {
        let verb = random.pick(Self.verbs)
        let noun = random.pick(Self.words)
        let other = random.pick(Self.words)
        let type = noun.prefix(1).uppercased() + noun.dropFirst() + other.prefix(1).uppercased() + other.dropFirst()
        switch style {
        case .python, .rust, .c: return ("\(verb)_\(noun)_\(other)", type)
        case .go: return (verb.prefix(1).uppercased() + verb.dropFirst() + type, type)
        default: return (verb + type, type)
        }
    }

    private mutating func callee() -> String {
        declaredFunctions.isEmpty ? "helper" : declaredFunctions[declaredFunctions.count - 1 - random.below(min(declaredFunctions.count, 5_000))]
    }

    private mutating func writeSourceFile(number: Int, directory: inout Directory, into result: inout GeneratedWorkspace) throws {
        let language = directory.language
        let moduleName = random.pick(Self.words) + "_\(number)"
        let target = random.fileSize(median: 3_500, sigma: 0.9, range: 300...150_000)
        var text = header(language: language, directory: directory, module: moduleName)
        var functions: [String] = []
        let (_, typeName) = name(language)
        text += typeDeclaration(language: language, name: typeName)
        while text.utf8.count < target {
            let (function, _) = name(language)
            functions.append(function)
            text += functionDeclaration(language: language, name: function)
        }
        declaredFunctions += functions
        declaredTypes.append(typeName)
        if declaredFunctions.count > 200_000 { declaredFunctions.removeFirst(100_000) }
        directory.modules.append((moduleName, Array(functions.prefix(2)), typeName))
        let path = directory.path + "/" + (language == .java ? typeName : moduleName) + "." + language.fileExtension
        try write(path, text, into: &result)
        result.sourceFiles += 1
    }

    private mutating func header(language: GeneratedLanguage, directory: Directory, module: String) -> String {
        let siblings = directory.modules.suffix(3)
        switch language {
        case .python:
            var lines = ["\"\"\"Module \(module) of the benchmark workspace.\"\"\"", "import os", "import json"]
            for sibling in siblings { lines.append("from .\(sibling.name) import \(sibling.functions.joined(separator: ", "))") }
            return lines.joined(separator: "\n") + "\n\n"
        case .typescript:
            var lines = ["// Module \(module) of the benchmark workspace.", "import { readFile } from 'fs'"]
            for sibling in siblings {
                lines.append("import { \(sibling.functions.joined(separator: ", ")) } from './\(sibling.name)'")
            }
            return lines.joined(separator: "\n") + "\n\n"
        case .go:
            let package = directory.path.split(separator: "/").last.map { $0.replacingOccurrences(of: "_", with: "") } ?? "main"
            return "// Package \(package) is part of the benchmark workspace.\npackage \(package)\n\nimport (\n\t\"fmt\"\n\t\"example.com/bench/\(directory.path)\"\n)\n\n"
        case .swift:
            return "// \(module).swift, part of the benchmark workspace.\nimport Foundation\n\n"
        case .rust:
            return "//! \(module): part of the benchmark workspace.\nuse std::collections::HashMap;\n\n"
        case .java:
            let package = directory.path.replacingOccurrences(of: "/", with: ".")
            var lines = ["package \(package);", "", "import java.util.List;"]
            for sibling in siblings { lines.append("import \(package).\(sibling.type);") }
            return lines.joined(separator: "\n") + "\n\n"
        case .c:
            return "/* \(module).c: part of the benchmark workspace. */\n#include <stdio.h>\n#include \"common.h\"\n\n"
        }
    }

    private func typeDeclaration(language: GeneratedLanguage, name: String) -> String {
        switch language {
        case .python: return "class \(name):\n    def __init__(self, value):\n        self.value = value\n\n"
        case .typescript: return "export class \(name) {\n  constructor(public value: number) {}\n}\n\n"
        case .go: return "type \(name) struct {\n\tValue int\n}\n\n"
        case .swift: return "public struct \(name): Sendable {\n    public var value: Int\n}\n\n"
        case .rust: return "pub struct \(name) {\n    pub value: u64,\n}\n\n"
        case .java: return "public class \(name) {\n    private int value;\n\n"
        case .c: return "struct \(name.lowercased()) {\n    int value;\n};\n\n"
        }
    }

    private mutating func functionDeclaration(language: GeneratedLanguage, name: String) -> String {
        let statements = 3 + random.below(12)
        var body: [String] = []
        for index in 0..<statements {
            let call = callee()
            let variable = random.pick(Self.words) + "_\(index)"
            switch language {
            case .python: body.append("    \(variable) = \(call)(\(random.below(100)), total)")
            case .typescript: body.append("  const \(variable) = \(call)(\(random.below(100)), total)")
            case .go: body.append("\t\(variable) := \(call)(\(random.below(100)), total)")
            case .swift: body.append("    let \(variable) = \(call)(\(random.below(100)), total)")
            case .rust: body.append("    let \(variable) = \(call)(\(random.below(100)), total);")
            case .java: body.append("        int \(variable) = \(call)(\(random.below(100)), total);")
            case .c: body.append("    int \(variable) = \(call)(\(random.below(100)), total);")
            }
        }
        let joined = body.joined(separator: "\n")
        switch language {
        case .python: return "def \(name)(count, total):\n\(joined)\n    return total\n\n"
        case .typescript: return "export function \(name)(count: number, total: number): number {\n\(joined)\n  return total\n}\n\n"
        case .go: return "func \(name)(count int, total int) int {\n\(joined)\n\treturn total\n}\n\n"
        case .swift: return "public func \(name)(_ count: Int, _ total: Int) -> Int {\n\(joined)\n    return total\n}\n\n"
        case .rust: return "pub fn \(name)(count: u64, total: u64) -> u64 {\n\(joined)\n    total\n}\n\n"
        case .java: return "    public static int \(name)(int count, int total) {\n\(joined)\n        return total;\n    }\n\n"
        case .c: return "int \(name)(int count, int total) {\n\(joined)\n    return total;\n}\n\n"
        }
    }

    // MARK: - Noise and the current file

    /// Ignored logs and temp folders under nested .gitignores, node_modules, secrets, binaries, oversized files.
    private mutating func writeNoise(directories: [Directory], into result: inout GeneratedWorkspace) throws {
        for (index, directory) in directories.enumerated() where index % 20 == 3 {
            try write(directory.path + "/.gitignore", "*.log\ntmp/\n*_generated.*\n!keep.log\n", into: &result)
            try write(directory.path + "/debug.log", "log line\n", into: &result)
            try write(directory.path + "/keep.log", "kept\n", into: &result)
            try write(directory.path + "/tmp/scratch.py", "x = 1\n", into: &result)
            try write(directory.path + "/schema_generated.ts", "export const schema = {}\n", into: &result)
            result.noiseFiles += 5
        }
        for number in 0..<max(10, sourceFileCount / 100) {
            try write("node_modules/pkg\(number % 50)/index\(number).js", "module.exports = function () {}\n", into: &result)
            result.noiseFiles += 1
        }
        for number in 0..<max(2, sourceFileCount / 500) {
            let directory = directories[random.below(directories.count)].path
            try write(directory + "/.env", "API_KEY=sk-benchmarkbenchmarkbenchmark\(number)\n", into: &result)
            var bytes = [UInt8](repeating: 0x41, count: 2_048)
            bytes[10] = 0
            let url = URL(fileURLWithPath: root + "/" + directory + "/image\(number).png")
            try Data(bytes).write(to: url)
            result.noiseFiles += 2
        }
        for number in 0..<max(1, sourceFileCount / 5_000) {
            try write("data/dump\(number).json", String(repeating: "{\"k\": 1}\n", count: 140_000), into: &result)
            result.noiseFiles += 1
        }
    }

    /// A 200 KB Python file that imports its siblings and calls functions declared all over the workspace.
    private mutating func writeCurrentFile(directories: [Directory], into result: inout GeneratedWorkspace) throws -> String {
        let directory = directories[0]
        var text = "\"\"\"The large file the benchmark edits.\"\"\"\nimport os\n"
        for sibling in directory.modules.suffix(10) {
            text += "from .\(sibling.name) import \(sibling.functions.joined(separator: ", "))\n"
        }
        text += "\n"
        var number = 0
        while text.utf8.count < 200_000 {
            text += functionDeclaration(language: .python, name: "step_\(number)")
            number += 1
        }
        let path = directory.path + "/main_big.py"
        try write(path, text, into: &result)
        return path
    }
}
