import CCRC32C

/// CRC-32C (Castagnoli), the checksum every FlatStore line carries.
///
/// Computed by the small C target `CCRC32C`: the CPU's CRC-32C instruction (SSE4.2 on x86-64,
/// the CRC extension on ARMv8) when it has one, slicing-by-8 tables otherwise. The standard
/// check value is `CRC32C.checksum("123456789") == 0xE306_9283`.
public enum CRC32C {
    /// Continues a running CRC over `bytes`. Start with `crc = 0`.
    /// - Complexity: O(n).
    @inline(__always)
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return lg_crc32c_update(crc, base, bytes.count)
    }

    /// Three CRCs at once, each continuing from `seed`: what three ``update(_:_:)`` calls give,
    /// faster (the instruction's latency is hidden by running the three side by side).
    @inline(__always)
    public static func update3(_ seed: UInt32, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer,
                               _ c: UnsafeRawBufferPointer) -> (UInt32, UInt32, UInt32) {
        guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else {
            return (update(seed, a), update(seed, b), update(seed, c))
        }
        var out: (UInt32, UInt32, UInt32) = (0, 0, 0)
        withUnsafeMutableBytes(of: &out) { o in
            lg_crc32c_update3(seed, pa, a.count, pb, b.count, pc, c.count, o.baseAddress!.assumingMemoryBound(to: UInt32.self))
        }
        return out
    }

    /// The table-driven path alone, whatever the CPU (tests compare it with ``update(_:_:)``).
    public static func updatePortable(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return lg_crc32c_update_portable(crc, base, bytes.count)
    }

    /// Whether the CPU's CRC instruction is in use.
    public static var usesHardware: Bool { lg_crc32c_hardware() != 0 }

    /// The CRC of `bytes` alone.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        if let c = bytes.withContiguousStorageIfAvailable({ update(0, UnsafeRawBufferPointer($0)) }) { return c }
        let array = Array(bytes)
        return array.withUnsafeBytes { update(0, $0) }
    }

    /// The CRC of a string's UTF-8 bytes.
    public static func checksum(_ string: String) -> UInt32 {
        checksum(Array(string.utf8))
    }
}
