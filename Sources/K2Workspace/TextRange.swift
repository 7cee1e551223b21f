// A range of UTF-8 offsets in a text, and slicing and splicing by such ranges.

/// A half-open range of UTF-8 offsets; the engine's way of saying "this part of the text".
public struct TextRange: Sendable, Hashable, CustomStringConvertible {
    public var lowerBound: Int
    public var upperBound: Int
    public init(_ lowerBound: Int, _ upperBound: Int) {
        self.lowerBound = min(lowerBound, upperBound)
        self.upperBound = max(lowerBound, upperBound)
    }
    public var isEmpty: Bool { lowerBound == upperBound }
    public var length: Int { upperBound - lowerBound }
    public var description: String { "\(lowerBound)..<\(upperBound)" }

    public func overlaps(_ other: TextRange) -> Bool {
        lowerBound < other.upperBound && other.lowerBound < upperBound
    }
}

extension String {
    /// The text between two UTF-8 offsets, clamped to the string; a cut inside a character keeps what decodes.
    public func slice(_ range: TextRange) -> String {
        let utf8 = self.utf8
        let count = utf8.count
        let lower = max(0, min(range.lowerBound, count))
        let upper = max(lower, min(range.upperBound, count))
        let start = utf8.index(utf8.startIndex, offsetBy: lower)
        let end = utf8.index(utf8.startIndex, offsetBy: upper)
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// A copy with the bytes of `range` replaced by `replacement`.
    public func replacing(_ range: TextRange, with replacement: String) -> String {
        let utf8 = Array(self.utf8)
        let lower = max(0, min(range.lowerBound, utf8.count))
        let upper = max(lower, min(range.upperBound, utf8.count))
        var result = [UInt8]()
        result.reserveCapacity(utf8.count - (upper - lower) + replacement.utf8.count)
        result.append(contentsOf: utf8[0..<lower])
        result.append(contentsOf: replacement.utf8)
        result.append(contentsOf: utf8[upper...])
        return String(decoding: result, as: UTF8.self)
    }
}
