import Foundation

/// The distinct visitors of one cell, as keyed hashes (never addresses): counted exactly in a
/// small set up to a limit, then by a HyperLogLog sketch, so a cell never needs more than
/// about 32 KiB however many lines are read.
///
/// The limit is at least the report's minimum count K, so whether a cell reaches K is always
/// decided exactly, and the cells merged into "other" (all under K) are exact sets whose union
/// is exact. Counts above the limit are estimates: 2^14 registers, a typical error of 0.8 %.
struct DistinctVisitors {
    /// Open addressing of visitor hashes (0 = empty); emptied when the sketch takes over.
    private var table: [UInt64] = []
    /// The sketch's registers; empty while counting exactly.
    private var registers: [UInt8] = []
    private(set) var exactCount = 0

    static let precision = 14
    static let registerCount = 1 << precision

    var isExact: Bool { registers.isEmpty }

    /// Adds a visitor; past `limit` distinct visitors the cell switches to the sketch.
    @inline(__always)
    mutating func insert(_ visitor: UInt64, limit: Int) {
        let v = visitor == 0 ? 1 : visitor
        if !registers.isEmpty {
            Self.add(v, to: &registers)
            return
        }
        if table.isEmpty { table = Array(repeating: 0, count: 8) }
        let mask = table.count - 1
        var s = Int(truncatingIfNeeded: v) & mask
        while true {
            let k = table[s]
            if k == v { return }
            if k == 0 { break }
            s = (s + 1) & mask
        }
        table[s] = v
        exactCount += 1
        if exactCount >= limit {
            var r = [UInt8](repeating: 0, count: Self.registerCount)
            for k in table where k != 0 { Self.add(k, to: &r) }
            registers = r
            table = []
        } else if exactCount * 2 > table.count {
            grow()
        }
    }

    private mutating func grow() {
        let old = table
        table = Array(repeating: 0, count: old.count * 2)
        let mask = table.count - 1
        for v in old where v != 0 {
            var s = Int(truncatingIfNeeded: v) & mask
            while table[s] != 0 { s = (s + 1) & mask }
            table[s] = v
        }
    }

    @inline(__always)
    private static func add(_ v: UInt64, to registers: inout [UInt8]) {
        // The top bits choose the register (the low bits chose the exact set's slot).
        let index = Int(v >> UInt64(64 - precision))
        let rest = v << UInt64(precision) | (1 << UInt64(precision - 1))
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// The visitors of this cell (exact while under the limit; never below the limit after).
    func count(limit: Int) -> Int {
        guard !registers.isEmpty else { return exactCount }
        let m = Double(Self.registerCount)
        var sum = 0.0
        var zeros = 0
        for r in registers {
            sum += 1.0 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        var estimate = 0.7213 / (1 + 1.079 / m) * m * m / sum
        if estimate <= 2.5 * m, zeros > 0 { estimate = m * log(m / Double(zeros)) }
        return max(limit, Int(estimate.rounded()))
    }

    /// The visitor hashes of an exact cell (for the union that is "other").
    var members: [UInt64] { table.filter { $0 != 0 } }
}
