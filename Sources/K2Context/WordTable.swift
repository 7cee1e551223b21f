// Names as 64-bit hashes, and small keyword tables looked up by bytes: the scanners meet millions of words and must
// not make a String of each.

/// FNV-1a over UTF-8 bytes: the key of a name in the symbol index and in keyword tables.
enum NameHash {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    static func of(_ name: String) -> UInt64 {
        var hash = offsetBasis
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }

    @inline(__always)
    static func of(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var hash = offsetBasis
        for index in range { hash = (hash ^ UInt64(bytes[index])) &* prime }
        return hash
    }
}

/// A word read from a line: where it is and its hash.
struct Word {
    let range: Range<Int>
    let hash: UInt64
}

/// A fixed set of words with a value each, in an open-addressing table keyed by `NameHash`; a hit is confirmed
/// against the word's bytes.
struct WordTable<Value: Sendable>: Sendable {
    private struct Slot: Sendable {
        let hash: UInt64
        let bytes: [UInt8]
        let value: Value
    }

    private var slots: [Slot?]
    private let mask: Int

    init(_ pairs: [(String, Value)]) {
        var size = 16
        while size < pairs.count * 4 { size *= 2 }
        slots = [Slot?](repeating: nil, count: size)
        mask = size - 1
        for (word, value) in pairs {
            let hash = NameHash.of(word)
            var index = Int(truncatingIfNeeded: hash) & mask
            while slots[index] != nil { index = (index + 1) & mask }
            slots[index] = Slot(hash: hash, bytes: Array(word.utf8), value: value)
        }
    }

    init(_ words: [String]) where Value == Bool {
        self.init(words.map { ($0, true) })
    }

    func value(of word: Word, in bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        var index = Int(truncatingIfNeeded: word.hash) & mask
        while let slot = slots[index] {
            if slot.hash == word.hash && slot.bytes.elementsEqual(UnsafeBufferPointer(rebasing: bytes[word.range])) {
                return slot.value
            }
            index = (index + 1) & mask
        }
        return nil
    }

    func contains(_ word: Word, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        value(of: word, in: bytes) != nil
    }
}
