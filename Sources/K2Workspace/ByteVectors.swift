// Sixteen-byte vector helpers for the scans that must run at memory speed (redaction, line starts).

public enum ByteVectors {
    /// Whether any lane of a comparison is set (without the generic `any(_:)`, which is not inlined).
    @inlinable @inline(__always)
    public static func hasAny(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return (words[0] | words[1]) != 0
    }

    /// The lanes of a comparison as bits, lane 0 in bit 0 (what `pmovmskb` gives). Each half keeps bit i of lane i,
    /// and one multiplication gathers the eight bits into the top byte.
    @inlinable @inline(__always)
    public static func bitmask(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt32 {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        let select: UInt64 = 0x8040_2010_0804_0201
        let gather: UInt64 = 0x0101_0101_0101_0101
        let low = ((words[0] & select) &* gather) >> 56
        let high = ((words[1] & select) &* gather) >> 56
        return UInt32(truncatingIfNeeded: low | high << 8)
    }

    /// Loads sixteen bytes from any address.
    @inlinable @inline(__always)
    public static func load(_ base: UnsafePointer<UInt8>, _ offset: Int) -> SIMD16<UInt8> {
        UnsafeRawPointer(base + offset).loadUnaligned(as: SIMD16<UInt8>.self)
    }
}
