/// What the match keys of text hold of ASCII, read straight from UTF-8 bytes: the fast path of
/// an ASCII search that ignores case and accents (``CaseFold``), without decoding, normalising
/// or folding a string.
///
/// Each scalar's key (``CaseFold/folded(_:)`` of the scalar alone) is one of: empty (a
/// combining mark, dropped), one ASCII character (`É` → `e`, `ſ` → `s`, `K` KELVIN SIGN → `k`),
/// or text without ASCII, written here as one byte 0x80 that no ASCII needle holds. The key of a
/// text is its scalars' keys in order, as far as ASCII is concerned (canonical reordering moves
/// only marks, and no two scalars compose once the marks are gone), so an ASCII needle is in the
/// key of a text exactly when it is in the projection of its bytes. `CaseFoldTests` checks every
/// scalar's entry against ``CaseFold/folded(_:)``.
enum ASCIIProjection {
    static let drop: UInt8 = 0
    static let other: UInt8 = 0x80

    /// Entries for U+0080–U+07FF (two UTF-8 bytes) then U+1E00–U+1EFF (Latin Extended
    /// Additional): a byte below 0x80, ``drop`` or ``other``; computed once from ``CaseFold``.
    static let table: [UInt8] = {
        var t = [UInt8](repeating: other, count: 0x780 + 0x100)
        for v in UInt32(0x80)..<0x800 { t[Int(v) - 0x80] = entry(v) }
        for v in UInt32(0x1E00)..<0x1F00 { t[0x780 + Int(v) - 0x1E00] = entry(v) }
        return t
    }()

    /// Scalars of three or four UTF-8 bytes outside the table whose key is ASCII.
    /// (GREEK VARIA, KELVIN SIGN, ANGSTROM SIGN, and NOT EQUAL TO, NOT LESS-THAN, NOT
    /// GREATER-THAN, which are `=`, `<`, `>` with U+0338 once decomposed.)
    static let singletons: [UInt32: UInt8] = [
        0x1FEF: UInt8(ascii: "`"), 0x212A: UInt8(ascii: "k"), 0x212B: UInt8(ascii: "a"),
        0x2260: UInt8(ascii: "="), 0x226E: UInt8(ascii: "<"), 0x226F: UInt8(ascii: ">"),
    ]

    /// The entry of one scalar, from its key.
    static func entry(_ v: UInt32) -> UInt8 {
        guard let s = Unicode.Scalar(v) else { return other }
        let key = Array(CaseFold.folded(String(s)).utf8)
        if key.isEmpty { return drop }
        if key.count == 1, key[0] < 0x80 { return key[0] }
        // `CaseFoldTests` checks that no key mixes ASCII with other text.
        return other
    }

    /// The entry of a scalar of three or four bytes outside the table.
    @inline(__always)
    static func wideEntry(_ v: UInt32) -> UInt8 {
        if v >= 0x1E00, v < 0x1F00 { return table[0x780 + Int(v) - 0x1E00] }
        if let a = singletons[v] { return a }
        guard let s = Unicode.Scalar(v) else { return other }
        return s.properties.generalCategory == .nonspacingMark ? drop : other
    }

    /// The entry of any scalar.
    static func entry(of v: UInt32) -> UInt8 {
        if v < 0x80 { return v &- 0x41 < 26 ? UInt8(v) | 0x20 : UInt8(v) }
        if v < 0x800 { return table[Int(v) - 0x80] }
        return wideEntry(v)
    }

    /// Appends the projection of `bytes` (UTF-8, the inside of a JSON string when `json`: its
    /// escapes read as the characters they stand for) to `out`. Malformed bytes are ``other``.
    static func project(_ bytes: UnsafeRawBufferPointer, json: Bool, into out: inout [UInt8]) {
        let n = bytes.count
        var i = 0
        @inline(__always) func cont(_ k: Int) -> UInt32? {
            guard k < n else { return nil }
            let b = bytes[k]
            return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
        }
        @inline(__always) func put(_ e: UInt8) { if e != drop { out.append(e) } }
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if json, b == UInt8(ascii: "\\"), i + 1 < n {
                    let (v, used) = escape(bytes, at: i)
                    put(entry(of: v))
                    i += used
                    continue
                }
                out.append(b &- 0x41 < 26 ? b | 0x20 : b)
                i += 1
            } else if b >= 0xC2, b < 0xE0, let c1 = cont(i + 1) {
                put(table[Int((UInt32(b & 0x1F) << 6) | c1) - 0x80])
                i += 2
            } else if b >= 0xE0, b < 0xF0, let c1 = cont(i + 1), let c2 = cont(i + 2) {
                put(wideEntry((UInt32(b & 0x0F) << 12) | (c1 << 6) | c2))
                i += 3
            } else if b >= 0xF0, b < 0xF5, let c1 = cont(i + 1), let c2 = cont(i + 2), let c3 = cont(i + 3) {
                put(wideEntry((UInt32(b & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3))
                i += 4
            } else {
                out.append(other)
                i += 1
            }
        }
    }

    /// The scalar a JSON escape at `i` (a backslash) stands for and the bytes it takes; a
    /// malformed escape is U+FFFD over the backslash alone.
    static func escape(_ bytes: UnsafeRawBufferPointer, at i: Int) -> (UInt32, Int) {
        let n = bytes.count
        func hex4(_ k: Int) -> UInt32? {
            guard k + 4 <= n else { return nil }
            var v: UInt32 = 0
            for j in k..<(k + 4) {
                let c = bytes[j]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
        switch bytes[i + 1] {
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "u"):
            guard let v = hex4(i + 2) else { return (0xFFFD, 1) }
            if v >= 0xD800, v < 0xDC00, i + 12 <= n, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u"),
               let lo = hex4(i + 8), lo >= 0xDC00, lo < 0xE000 {
                return (0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00), 12)
            }
            return (v, 6)
        default: return (UInt32(bytes[i + 1]), 2)
        }
    }

    /// Whether `bytes` hold a byte of a non-ASCII scalar.
    @inline(__always)
    static func hasNonASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes where b >= 0x80 { return true }
        return false
    }

    /// Whether the key of the text in `bytes` holds `needle` (folded ASCII).
    static func contains(_ bytes: UnsafeRawBufferPointer, json: Bool, _ needle: FoldedNeedle) -> Bool {
        var projected: [UInt8] = []
        projected.reserveCapacity(bytes.count)
        project(bytes, json: json, into: &projected)
        return projected.withUnsafeBytes { needle.isIn($0) }
    }
}
