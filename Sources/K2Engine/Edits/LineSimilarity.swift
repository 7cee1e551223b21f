// How alike two lines are (Dice coefficient of byte bigrams), to point a failed search at the closest lines.
import K2Workspace

enum LineSimilarity {
    /// The sorted byte bigrams of a line without its surrounding whitespace, padded so one-byte lines have some.
    static func bigrams(of line: ArraySlice<UInt8>) -> [UInt16] {
        let trimmed = trimmingWhitespace(line)
        var padded: [UInt8] = [0]
        padded.append(contentsOf: trimmed)
        padded.append(0)
        if trimmed.isEmpty { return [] }
        var pairs: [UInt16] = []
        pairs.reserveCapacity(padded.count - 1)
        for index in 0..<(padded.count - 1) { pairs.append(UInt16(padded[index]) << 8 | UInt16(padded[index + 1])) }
        return pairs.sorted()
    }

    /// 2·|shared| / (|a| + |b|) over multisets of bigrams; two blank lines are alike.
    static func dice(_ first: [UInt16], _ second: [UInt16]) -> Double {
        if first.isEmpty && second.isEmpty { return 1 }
        var shared = 0
        var firstIndex = 0
        var secondIndex = 0
        while firstIndex < first.count && secondIndex < second.count {
            if first[firstIndex] == second[secondIndex] {
                shared += 1
                firstIndex += 1
                secondIndex += 1
            } else if first[firstIndex] < second[secondIndex] {
                firstIndex += 1
            } else {
                secondIndex += 1
            }
        }
        return Double(2 * shared) / Double(first.count + second.count)
    }

    /// The window of `searchLines.count` consecutive text lines whose lines are, on average, most like the search
    /// lines; the first such window wins a tie.
    static func closestWindow(to searchLines: [ByteLine], in textLines: [ByteLine]) -> ClosestLines? {
        guard !textLines.isEmpty, !searchLines.isEmpty else { return nil }
        let windowSize = min(searchLines.count, textLines.count)
        let searchBigrams = searchLines.map { bigrams(of: $0.content) }
        let textBigrams = textLines.map { bigrams(of: $0.content) }
        var bestStart = 0
        var bestScore = -1.0
        for start in 0...(textLines.count - windowSize) {
            var total = 0.0
            for offset in 0..<windowSize { total += dice(searchBigrams[offset], textBigrams[start + offset]) }
            let score = total / Double(searchLines.count)
            if score > bestScore {
                bestScore = score
                bestStart = start
            }
        }
        return ClosestLines(
            firstLine: bestStart + 1,
            lines: textLines[bestStart..<(bestStart + windowSize)].map(\.contentString),
            similarity: bestScore)
    }

    static func trimmingWhitespace(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.startIndex..<bytes.startIndex] }
        return bytes[first...last]
    }
}
