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
        if let (scalar, length) = CardNumberCharacters.decodeJSONEscape(bytes, at: i) { return (scalar.value, length) }
        // What decoding refuses: an unknown escape is its character; a lone surrogate is its
        // code unit; a `\u` without four hex digits is U+FFFD over the backslash alone.
        guard bytes[i + 1] == UInt8(ascii: "u") else { return (UInt32(bytes[i + 1]), 2) }
        guard let v = CardNumberCharacters.hex4(bytes, at: i + 2) else { return (0xFFFD, 1) }
        return (v, 6)
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

    /// Whether the key of the JSON text in `raw` holds `needle` (folded ASCII) somewhere a
    /// search of the raw bytes, ASCII case aside, cannot see: through a non-ASCII scalar.
    ///
    /// Such a match covers a non-ASCII byte, so only the bytes from `needle.count - 1`
    /// characters before the first non-ASCII byte to as many after the last one are read
    /// (6 bytes a character: the longest escape); a record all ASCII is ruled out by the scan
    /// for a non-ASCII byte alone.
    static func containsBeyondASCII(_ raw: UnsafeRawBufferPointer, _ needle: FoldedNeedle) -> Bool {
        let n = raw.count
        guard let p = raw.baseAddress else { return false }
        var first = -1
        var i = 0
        // Eight bytes at a time while no byte has its high bit.
        while i + 8 <= n {
            if p.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < n { if p.load(fromByteOffset: i, as: UInt8.self) >= 0x80 { first = i; break }; i += 1 }
        guard first >= 0 else { return false }
        var last = n - 1
        while last > first, p.load(fromByteOffset: last, as: UInt8.self) < 0x80 { last -= 1 }
        let reach = 6 * max(0, needle.bytes.count - 1)
        let window = UnsafeRawBufferPointer(rebasing: raw[max(0, first - reach)..<min(n, last + 1 + reach)])
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, window.count)) { buffer in
            let count = projectFast(window, into: buffer)
            return needle.isIn(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[0..<count])))
        }
    }

    /// Whether the key of the JSON string inside `bytes` holds `needle` (folded ASCII).
    static func containsJSON(_ bytes: UnsafeRawBufferPointer, _ needle: FoldedNeedle) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count)) { buffer in
            let count = projectFast(bytes, into: buffer)
            return needle.isIn(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[0..<count])))
        }
    }

    /// ``project(_:json:into:)`` for JSON text into a buffer at least as long as `bytes` (a
    /// projection is never longer than its bytes); returns the bytes written.
    static func projectFast(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = bytes.count
        var i = 0, o = 0
        return table.withUnsafeBufferPointer { t in
            while i < n {
                let b = bytes[i]
                if b < 0x80, b != UInt8(ascii: "\\") {
                    out[o] = b &- 0x41 < 26 ? b | 0x20 : b
                    o += 1
                    i += 1
                    continue
                }
                if b >= 0xC2, b < 0xE0, i + 1 < n, bytes[i + 1] & 0xC0 == 0x80 {
                    let e = t[Int((UInt32(b & 0x1F) << 6) | UInt32(bytes[i + 1] & 0x3F)) - 0x80]
                    if e != drop { out[o] = e; o += 1 }
                    i += 2
                    continue
                }
                // Escapes and longer sequences, one character at a time.
                let e: UInt8
                if b == UInt8(ascii: "\\") {
                    if i + 1 < n {
                        let (v, used) = escape(bytes, at: i)
                        e = entry(of: v)
                        i += used
                    } else {
                        e = b
                        i += 1
                    }
                } else if b >= 0xE0, b < 0xF0, i + 2 < n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 {
                    e = wideEntry((UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F))
                    i += 3
                } else if b >= 0xF0, b < 0xF5, i + 3 < n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80, bytes[i + 3] & 0xC0 == 0x80 {
                    e = wideEntry((UInt32(b & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12) | (UInt32(bytes[i + 2] & 0x3F) << 6)
                                  | UInt32(bytes[i + 3] & 0x3F))
                    i += 4
                } else {
                    e = other
                    i += 1
                }
                if e != drop { out[o] = e; o += 1 }
            }
            return o
        }
    }
}
