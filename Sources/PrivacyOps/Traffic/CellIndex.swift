/// Cells of a traffic report (breakdown, period, value) numbered as they are first seen:
/// an open-addressing table from a packed 64-bit key to the cell's number.
///
/// - Complexity: O(1) per lookup on average.
struct CellIndex {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0
    /// Never a real key (a real key's top byte is a breakdown number below 8).
    private static let empty = UInt64.max

    init() {
        keys = Array(repeating: Self.empty, count: 1024)
        values = Array(repeating: 0, count: 1024)
        mask = 1023
    }

    /// The packed key of a cell.
    @inline(__always)
    static func key(breakdown: Int, period: Int, value: Int32) -> UInt64 {
        UInt64(breakdown) << 56 | UInt64(UInt32(truncatingIfNeeded: period) & 0xFF_FFFF) << 32 | UInt64(UInt32(bitPattern: value))
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// The number of the cell `key`, or `make()`'s number for a new one.
    @inline(__always)
    mutating func index(_ key: UInt64, make: () -> Int32) -> Int32 {
        var s = slot(key)
        while true {
            let k = keys[s]
            if k == key { return values[s] }
            if k == Self.empty { break }
            s = (s + 1) & mask
        }
        let v = make()
        keys[s] = key
        values[s] = v
        count += 1
        if count * 2 > keys.count { grow() }
        return v
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let size = keys.count * 2
        keys = Array(repeating: Self.empty, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
        for (i, k) in oldKeys.enumerated() where k != Self.empty {
            var s = slot(k)
            while keys[s] != Self.empty { s = (s + 1) & mask }
            keys[s] = k
            values[s] = oldValues[i]
        }
    }

    /// Every cell: its packed key and number.
    func forEach(_ body: (UInt64, Int32) -> Void) {
        for (i, k) in keys.enumerated() where k != Self.empty { body(k, values[i]) }
    }
}
