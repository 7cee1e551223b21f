// How alike two lines are (Dice coefficient of their byte bigrams), to point a failed search at the closest lines.
import K2Workspace

enum LineSimilarity {
    /// The byte bigrams of a line without its surrounding whitespace, hashed into 256 bits (padded at both ends so
    /// one-byte lines have some). A set of hashes rather than a sorted list: building it allocates nothing, which
    /// matters when every line of a large file is sketched.
    struct Sketch: Sendable {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        mutating func insert(_ first: UInt8, _ second: UInt8) {
            let bit = Int(truncatingIfNeeded: ((UInt32(first) << 8 | UInt32(second)) &* 0x9E37_79B1) >> 24)
            let mask = UInt64(1) << UInt64(bit & 63)
            switch bit >> 6 {
            case 0: words.0 |= mask
            case 1: words.1 |= mask
            case 2: words.2 |= mask
            default: words.3 |= mask
            }
        }

        var count: Int { words.0.nonzeroBitCount + words.1.nonzeroBitCount + words.2.nonzeroBitCount + words.3.nonzeroBitCount }

        func sharedCount(with other: Sketch) -> Int {
            (words.0 & other.words.0).nonzeroBitCount + (words.1 & other.words.1).nonzeroBitCount
                + (words.2 & other.words.2).nonzeroBitCount + (words.3 & other.words.3).nonzeroBitCount
        }
    }

    static func sketch(of line: ArraySlice<UInt8>) -> Sketch {
        let trimmed = trimmingWhitespace(line)
        var sketch = Sketch()
        guard !trimmed.isEmpty else { return sketch }
        var previous: UInt8 = 0
        for byte in trimmed {
            sketch.insert(previous, byte)
            previous = byte
        }
        sketch.insert(previous, 0)
        return sketch
    }

    /// 2·|shared| / (|a| + |b|); two blank lines are alike.
    static func dice(_ first: Sketch, _ second: Sketch) -> Double {
        let total = first.count + second.count
        return total == 0 ? 1 : Double(2 * first.sharedCount(with: second)) / Double(total)
    }

    /// The window of `searchLines.count` consecutive text lines whose lines are, on average, most like the search
    /// lines; the first such window wins a tie. Windows where some line is equal to its search line (without
    /// surrounding whitespace) are scored first, so that a good score is known early and most other windows can be
    /// abandoned as soon as they cannot beat it.
    static func closestWindow(to searchLines: [ByteLine], in textLines: [ByteLine]) -> ClosestLines? {
        guard !textLines.isEmpty, !searchLines.isEmpty else { return nil }
        let windowSize = min(searchLines.count, textLines.count)
        let searchSketches = searchLines.map { sketch(of: $0.content) }
        let textSketches = textLines.map { sketch(of: $0.content) }
        let lastStart = textLines.count - windowSize

        var textLinesByContent: [ArraySlice<UInt8>: [Int]] = [:]
        for (index, line) in textLines.enumerated() {
            textLinesByContent[trimmingWhitespace(line.content), default: []].append(index)
        }
        // Short lines ("}", "end") are everywhere and would promise nothing.
        var promisingStarts: [Int] = []
        for (offset, line) in searchLines.prefix(windowSize).enumerated() {
            let content = trimmingWhitespace(line.content)
            guard content.count >= 4 else { continue }
            for index in textLinesByContent[content] ?? [] where index >= offset && index - offset <= lastStart {
                promisingStarts.append(index - offset)
            }
        }

        var best: (start: Int, total: Double) = (0, -1)
        for start in promisingStarts + Array(0...lastStart) {
            var total = 0.0
            var offset = 0
            while offset < windowSize {
                total += dice(searchSketches[offset], textSketches[start + offset])
                offset += 1
                if total + Double(windowSize - offset) < best.total { break }
            }
            if offset == windowSize && (total > best.total || total == best.total && start < best.start) {
                best = (start, total)
            }
        }
        // These lines are quoted to the model: secrets in them go through the same redactor as all context.
        let quoted = textLines[best.start..<(best.start + windowSize)].map(\.contentString)
        let redacted = SecretFilter().redactLines(quoted.joined(separator: "\n")).text
        return ClosestLines(
            firstLine: best.start + 1,
            lines: redacted.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
            similarity: best.total / Double(searchLines.count))
    }

    static func trimmingWhitespace(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.startIndex..<bytes.startIndex] }
        return bytes[first...last]
    }
}
