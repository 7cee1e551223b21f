// The measurements: index time and memory, bundle time per request, and gathering cost against plain reads.
import Foundation
import K2Context
import K2Workspace

struct BenchmarkResult {
    var files = 0
    var startReturnMicroseconds = 0.0
    var listingSeconds = 0.0
    var symbolSeconds = 0.0
    var rssBeforeMB = 0.0
    var rssAfterListingMB = 0.0
    var rssAfterSymbolsMB = 0.0
    var peakRSSMB = 0.0
    var bundleEditP50 = 0.0
    var bundleEditP99 = 0.0
    var bundleCompletionP50 = 0.0
    var bundleCompletionP99 = 0.0
    var bundleItems = 0
    var bundleTokens = 0
    var gatherFiles = 0
    var gatherBytes = 0
    var gatherMicroseconds = 0.0
    var rawReadMicroseconds = 0.0
    /// Median over rounds of (gather time / raw read time), each round measuring both back to back.
    var gatherRatio = 0.0
}

enum Memory {
    /// A field of /proc/self/status in MB (VmRSS: resident now, VmHWM: peak); 0 where /proc is missing.
    static func megabytes(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
            return digits / 1024
        }
        return 0
    }
}

struct BenchmarkRunner {
    let root: String
    let currentFile: String
    let requests: Int

    private func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }

    private func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }

    func run() async throws -> BenchmarkResult {
        var result = BenchmarkResult()
        result.rssBeforeMB = Memory.megabytes("VmRSS")
        let index = WorkspaceIndex(roots: [root])
        let clock = ContinuousClock()
        let start = clock.now
        await index.startIndexing()
        result.startReturnMicroseconds = milliseconds(clock.now - start) * 1_000
        await index.waitUntilIndexed()
        result.listingSeconds = milliseconds(clock.now - start) / 1_000
        result.rssAfterListingMB = Memory.megabytes("VmRSS")
        await index.waitUntilSymbolsIndexed()
        result.symbolSeconds = milliseconds(clock.now - start) / 1_000 - result.listingSeconds
        result.rssAfterSymbolsMB = Memory.megabytes("VmRSS")
        result.files = await index.currentProgress().fileCount

        let text = try String(contentsOfFile: root + "/" + currentFile, encoding: .utf8)
        let document = DocumentSnapshot(uri: FileURI.uri(fromPath: root + "/" + currentFile), languageID: "python", version: 1, text: text)
        let builder = ContextBuilder(index: index)
        var random = SeededRandom(seed: 7)
        func request(_ task: ContextTask) -> ContextRequest {
            let offset = random.below(text.utf8.count)
            var options = ContextOptions()
            options.maxContextTokens = task.suggestedMaxContextTokens
            return ContextRequest(
                document: document, selection: TextRange(offset, offset), task: task, openDocuments: [document],
                recentlyEdited: [document.uri], options: options)
        }
        // Warm up once (first build renders the cached repo tree), then measure.
        let warm = try await builder.build(request(.edit))
        result.bundleItems = warm.items.count
        result.bundleTokens = warm.usedTokens
        for task in [ContextTask.edit, .completion] {
            var times: [Double] = []
            for _ in 0..<requests {
                let built = request(task)
                let before = clock.now
                _ = try await builder.build(built)
                times.append(milliseconds(clock.now - before))
            }
            if task == .edit {
                result.bundleEditP50 = percentile(times, 0.5)
                result.bundleEditP99 = percentile(times, 0.99)
            } else {
                result.bundleCompletionP50 = percentile(times, 0.5)
                result.bundleCompletionP99 = percentile(times, 0.99)
            }
        }
        measureGathering(warm, into: &result)
        result.peakRSSMB = Memory.megabytes("VmHWM")
        return result
    }

    /// Gathers the files a bundle chose as the builder does (the reader's checks, UTF-8, line starts, redaction of
    /// the lines that are sent) and reads the same files as plain bytes; medians of many rounds, files in the page
    /// cache.
    private func measureGathering(_ bundle: ContextBundle, into result: inout BenchmarkResult) {
        let fileSources: Set<ContextSource> = [.importedFile, .symbolDefinition, .openDocument, .recentlyEdited, .projectNotes]
        var itemsByPath: [String: [ContextItem]] = [:]
        for item in bundle.items where fileSources.contains(item.source) { itemsByPath[item.path, default: []].append(item) }
        let files = itemsByPath.sorted { $0.key < $1.key }
        result.gatherFiles = files.count
        let reader = ContextOptions().fileReader
        let clock = ContinuousClock()
        var gatherTimes: [Double] = []
        var rawTimes: [Double] = []
        var ratios: [Double] = []
        let rounds = Int(ProcessInfo.processInfo.environment["K2_BENCH_GATHER_ROUNDS"] ?? "") ?? 100
        for _ in 0..<rounds {
            var bytes = 0
            let rawStart = clock.now
            for (path, _) in files { bytes += RawRead.read(root + "/" + path) }
            let raw = milliseconds(clock.now - rawStart) * 1_000
            result.gatherBytes = bytes
            let gatherStart = clock.now
            for (path, items) in files {
                guard case .success(let file) = reader.read(absolutePath: root + "/" + path, relativePath: path) else { continue }
                // As the builder does: a file sent whole is redacted whole; parts need line starts first.
                if items.count == 1, let item = items.first, item.source != .symbolDefinition, !item.truncated {
                    _ = file.redactedWhole()
                } else {
                    let lines = TextLines(file.unredactedText)
                    for item in items { _ = file.redacted(lines.byteRange(item.lineRange)) }
                }
            }
            let gather = milliseconds(clock.now - gatherStart) * 1_000
            rawTimes.append(raw)
            gatherTimes.append(gather)
            ratios.append(gather / raw)
        }
        result.gatherRatio = percentile(ratios, 0.5)
        result.gatherMicroseconds = percentile(gatherTimes, 0.5)
        result.rawReadMicroseconds = percentile(rawTimes, 0.5)
    }
}

/// The baseline: open, read all bytes into a buffer, close.
enum RawRead {
    static func read(_ path: String) -> Int {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return 0 }
        let size = Int(info.st_size)
        var total = 0
        let buffer = [UInt8](unsafeUninitializedCapacity: size) { raw, initialized in
            while total < size, let base = raw.baseAddress {
                let count = Foundation.read(descriptor, base + total, size - total)
                if count <= 0 { break }
                total += count
            }
            initialized = total
        }
        return buffer.count
    }
}

/// Development aid: where the time of `WorkspaceFileReader.read` goes, on the files of a workspace.
enum ReadProfile {
    static func run(root: String, limit: Int) throws {
        let index = WorkspaceFileLister(matcher: IgnoreMatcher(root: root), secretFilter: SecretFilter())
        let paths = index.list().files.map(\.relativePath).filter { !$0.hasSuffix(".png") }.prefix(limit)
        let texts = paths.map { (try? String(contentsOfFile: root + "/" + $0, encoding: .utf8)) ?? "" }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        let clock = ContinuousClock()
        func time(_ label: String, _ body: () -> Void) {
            var best = Duration.seconds(100)
            for _ in 0..<20 {
                let start = clock.now
                body()
                best = min(best, clock.now - start)
            }
            let (seconds, attoseconds) = best.components
            let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
            print("\(label): \(String(format: "%.2f", nanoseconds / Double(bytes))) ns/byte")
        }
        let reader = WorkspaceFileReader()
        let filter = SecretFilter()
        time("raw read") { for path in paths { _ = RawRead.read(root + "/" + path) } }
        time("reader.read") { for path in paths { _ = reader.read(absolutePath: root + "/" + path, relativePath: path) } }
        time("redact only") { for text in texts { _ = filter.redactLines(text) } }
        let arrays = texts.map { Array($0.utf8) }
        time("utf-8 validation") { for bytes in arrays { _ = String(decoding: bytes, as: UTF8.self) } }
        time("secret path check") { for path in paths { _ = filter.isSecretFile(relativePath: path) } }
        print("\(paths.count) files, \(bytes) bytes")
    }
}
