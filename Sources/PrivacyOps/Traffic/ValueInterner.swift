import Foundation

/// Breakdown values (pages, domains) numbered as they are first seen: each distinct value is
/// stored once, in one byte arena, and looked up by its bytes without allocating.
///
/// - Complexity: O(length) per lookup on average.
struct ValueInterner {
    private var arena: [UInt8] = []
    private var starts: [Int32] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing: id + 1, 0 for empty.
    private var slots: [Int32] = Array(repeating: 0, count: 1024)
    private var mask = 1023

    var count: Int { hashes.count }

    /// The id of `bytes`, adding it when new.
    mutating func id(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let h = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[slot]
            if v == 0 { break }
            let id = Int(v - 1)
            if hashes[id] == h, equal(id, bytes) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        hashes.append(h)
        arena.append(contentsOf: bytes)
        starts.append(Int32(arena.count))
        slots[slot] = id + 1
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of a string value (special labels such as "(direct)").
    mutating func id(_ text: String) -> Int32 {
        var t = text
        return t.withUTF8 { id(UnsafeRawBufferPointer($0)) }
    }

    /// The value of `id`.
    func value(_ id: Int32) -> String {
        let s = Int(starts[Int(id)]), e = Int(starts[Int(id) + 1])
        return String(decoding: arena[s..<e], as: UTF8.self)
    }

    private func equal(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let s = Int(starts[id]), e = Int(starts[id + 1])
        guard e - s == bytes.count else { return false }
        return arena.withUnsafeBytes { a in
            guard let base = a.baseAddress, let b = bytes.baseAddress else { return bytes.isEmpty }
            return memcmp(base + s, b, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        for (id, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    /// A fast 64-bit hash of bytes, eight at a time (not keyed: these values are published
    /// labels, never addresses).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h }
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = (h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        h = h &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 32)
    }
}
