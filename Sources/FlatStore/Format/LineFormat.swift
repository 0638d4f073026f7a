/// The bytes of FlatStore's lines.
///
/// Every line is `PREFIX,"crc":"HHHHHHHH"}\n`: `PREFIX` is a JSON object without its closing
/// brace, and `HHHHHHHH` is the CRC-32C, in lower-case hex, over the file's four salt bytes
/// followed by `PREFIX` (header lines use no salt). The result is one JSON object per line,
/// readable by `jq` and `grep`, in which a torn, zero-filled, garbage or stale line (one copied
/// from a journal with another salt) fails its check.
///
/// Lines, with keys in this fixed order:
/// - journal header: `{"journal":1,"base_seq":S,"salt":"hhhhhhhh","created_at":"…"}`
/// - commit: `{"seq":N,"at":"…","ops":[OP,…]}` with OP `{"id":"…","c":"…","v":V,"r":{…}}` or
///   `{"id":"…","c":"…","v":V,"del":true}`
/// - snapshot header: `{"snapshot":1,"seq":S,"salt":"hhhhhhhh","records":N,"created_at":"…"}`
/// - snapshot record: `{"id":"…","c":"…","v":V,"r":{…}}`
enum LineFormat {
    static let crcKey: [UInt8] = Array(#","crc":""#.utf8)
    /// `,"crc":"` + 8 hex + `"}` (a literal: it is read in the hot loop of loading).
    static var sealLength: Int { 18 }

    static func saltBytes(_ salt: UInt32?) -> [UInt8] {
        guard let s = salt else { return [] }
        return [UInt8(truncatingIfNeeded: s >> 24), UInt8(truncatingIfNeeded: s >> 16),
                UInt8(truncatingIfNeeded: s >> 8), UInt8(truncatingIfNeeded: s)]
    }

    /// The running CRC after a file's four salt bytes (0 for no salt): every line of the file
    /// continues from it, so the salt is hashed once per file, not once per line.
    static func seed(_ salt: UInt32?) -> UInt32 {
        guard let s = salt else { return 0 }
        var be = s.bigEndian
        return withUnsafeBytes(of: &be) { CRC32C.update(0, $0) }
    }

    static func crc(prefix: UnsafeRawBufferPointer, salt: UInt32?) -> UInt32 {
        CRC32C.update(seed(salt), prefix)
    }

    static func hex(_ v: UInt32) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 8)
        appendHex(v, into: &out, at: 0)
        return out
    }

    @inline(__always)
    static func appendHex(_ v: UInt32, into out: inout [UInt8], at: Int) {
        for i in 0..<8 {
            let d = UInt8(truncatingIfNeeded: (v >> UInt32(28 - 4 * i)) & 0xF)
            out[at + i] = d < 10 ? 0x30 + d : 0x61 + d - 10
        }
    }

    static func hexString(_ v: UInt32) -> String { String(decoding: hex(v), as: UTF8.self) }

    static func parseHex(_ s: String) -> UInt32? {
        guard s.utf8.count == 8 else { return nil }
        return UInt32(s, radix: 16)
    }

    /// Appends the seal and newline to `prefix`.
    static func seal(_ prefix: inout [UInt8], salt: UInt32?) {
        let c = prefix.withUnsafeBytes { crc(prefix: $0, salt: salt) }
        prefix.append(contentsOf: crcKey)
        let at = prefix.count
        prefix.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0] as [UInt8])
        appendHex(c, into: &prefix, at: at)
        prefix.append(UInt8(ascii: "\""))
        prefix.append(UInt8(ascii: "}"))
        prefix.append(0x0A)
    }

    /// Checks a line (without its newline) and returns the length of its prefix, or nil when the
    /// line is not intact.
    static func verify(_ line: UnsafeRawBufferPointer, salt: UInt32?) -> Int? {
        verify(line, seed: seed(salt))
    }

    /// ``verify(_:salt:)`` with the salt already hashed (``seed(_:)``): the hot path of loading.
    @inline(__always)
    static func verify(_ line: UnsafeRawBufferPointer, seed: UInt32) -> Int? {
        guard let (p, want) = seal(of: line) else { return nil }
        let got = CRC32C.update(seed, UnsafeRawBufferPointer(start: line.baseAddress!, count: p))
        return got == want ? p : nil
    }

    /// The length of a line's prefix and the CRC its seal states, when the seal is well formed
    /// (the CRC itself not yet checked).
    @inline(__always)
    static func seal(of line: UnsafeRawBufferPointer) -> (prefix: Int, crc: UInt32)? {
        let n = line.count
        guard n > sealLength, let base = line.baseAddress else { return nil }
        guard base.load(fromByteOffset: 0, as: UInt8.self) == UInt8(ascii: "{"),
              base.load(fromByteOffset: n - 1, as: UInt8.self) == UInt8(ascii: "}"),
              base.load(fromByteOffset: n - 2, as: UInt8.self) == UInt8(ascii: "\"") else { return nil }
        let p = n - sealLength
        // `,"crc":"` is 8 bytes: compare it as one word.
        guard base.loadUnaligned(fromByteOffset: p, as: UInt64.self).littleEndian == crcKeyWord else { return nil }
        var want: UInt32 = 0
        for i in 0..<8 {
            let b = base.load(fromByteOffset: p + 8 + i, as: UInt8.self)
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b &- 0x30)
            case 0x61...0x66: d = UInt32(b &- 0x61 &+ 10)
            default: return nil
            }
            want = want << 4 | d
        }
        return (p, want)
    }

    /// ``crcKey`` (`,"crc":"`) as the word a little-endian 8-byte load of it gives.
    static var crcKeyWord: UInt64 { 0x223A_2263_7263_222C }

    // MARK: writing records

    static func appendOp(_ out: inout [UInt8], _ op: Transaction.Operation, version: Int, close: Bool) {
        out.append(contentsOf: #"{"id":""#.utf8)
        out.append(contentsOf: op.id.utf8)
        out.append(contentsOf: #"","c":""#.utf8)
        out.append(contentsOf: op.collection.utf8)
        out.append(contentsOf: #"","v":"#.utf8)
        if version >= 0 { appendDecimal(UInt64(version), to: &out) } else { out.append(contentsOf: String(version).utf8) }
        switch op {
        case .put(_, _, _, let json), .restore(_, _, _, let json):
            out.append(contentsOf: #","r":"#.utf8)
            out.append(contentsOf: json)
        case .delete:
            out.append(contentsOf: #","del":true"#.utf8)
        }
        if close { out.append(UInt8(ascii: "}")) }
    }

    /// Appends `v` in decimal (what `String(v)` writes).
    static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
        if v < 10 {
            out.append(0x30 + UInt8(v))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, reversed
        var n = 0
        var x = v
        withUnsafeMutableBytes(of: &digits) { d in
            while x > 0 {
                d[n] = 0x30 + UInt8(x % 10)
                x /= 10
                n += 1
            }
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(d[k]) }
        }
    }

    /// The prefix of a commit line.
    static func commitPrefix(seq: UInt64, at: String, ops: [Transaction.Operation]) -> [UInt8] {
        var out: [UInt8] = []
        var size = 64
        for op in ops {
            size += (op.json?.count ?? 0) + 64
        }
        out.reserveCapacity(size + sealLength + 1)
        out.append(contentsOf: #"{"seq":"#.utf8)
        appendDecimal(seq, to: &out)
        out.append(contentsOf: #","at":""#.utf8)
        out.append(contentsOf: at.utf8)
        out.append(contentsOf: #"","ops":["#.utf8)
        for (i, op) in ops.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendOp(&out, op, version: op.storedVersion, close: true)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}

/// One parsed operation: where its record's bytes are in the buffer scanned.
struct ParsedOp {
    var collection: String
    var id: String
    var version: Int
    /// Range of the record's JSON in the scanned buffer; nil for a delete.
    var record: Range<Int>?
}

/// A forward-only reader over one line's bytes, for the fixed key order FlatStore writes.
struct LineScanner {
    let bytes: UnsafeRawBufferPointer
    var i: Int
    let end: Int

    init(_ bytes: UnsafeRawBufferPointer, from: Int = 0, to: Int? = nil) {
        self.bytes = bytes
        self.i = from
        self.end = to ?? bytes.count
    }

    mutating func expect(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i + n <= end else { return false }
        let p = literal.utf8Start
        for k in 0..<n where bytes[i + k] != p[k] { return false }
        i += n
        return true
    }

    /// A plain string (no escapes allowed: ids and collection names), up to its closing quote.
    mutating func plainString() -> String? {
        guard let r = plainRange() else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[r]), as: UTF8.self)
    }

    mutating func integer() -> UInt64? {
        let start = i
        var v: UInt64 = 0
        while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(bytes[i] - 0x30))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return i > start ? v : nil
    }

    /// Skips one JSON value (object, array, string, number, literal); returns false if malformed.
    mutating func skipValue() -> Bool {
        guard i < end else { return false }
        switch bytes[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < end {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    if !skipString() { return false }
                    continue
                }
                if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { i += 1; return true }
                }
                i += 1
            }
            return false
        case UInt8(ascii: "\""):
            return skipString()
        default:
            let start = i
            while i < end {
                let b = bytes[i]
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") { break }
                i += 1
            }
            return i > start
        }
    }

    mutating func skipString() -> Bool {
        i += 1
        guard let base = bytes.baseAddress else { return false }
        while i < end {
            // Eight bytes at a time up to the next quote or backslash (SWAR: a byte equal to
            // the quote or backslash becomes zero after the XOR; the lowest flagged byte of
            // `(x - 0x01…) & ~x & 0x80…` is exactly the first zero byte).
            while i + 8 <= end {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
                let q = w ^ 0x2222_2222_2222_2222
                let b = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let m = ((q &- 0x0101_0101_0101_0101) & ~q | (b &- 0x0101_0101_0101_0101) & ~b) & 0x8080_8080_8080_8080
                if m == 0 {
                    i += 8
                    continue
                }
                i += m.trailingZeroBitCount >> 3
                break
            }
            guard i < end else { return false }
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            if c == UInt8(ascii: "\\") { i += 2; continue }
            i += 1
            if c == UInt8(ascii: "\"") { return true }
        }
        return false
    }

    /// The range of a plain string's bytes (no escapes or controls); stops after its closing quote.
    @inline(__always)
    mutating func plainRange() -> Range<Int>? {
        let start = i
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let r = start..<i
                i += 1
                return r
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// `{"id":"…","c":"…","v":V`: the id's and collection's ranges and the version.
    @inline(__always)
    mutating func opKeys() -> (id: Range<Int>, collection: Range<Int>, version: UInt64)? {
        guard expect(#"{"id":""#), let id = plainRange(),
              expect(#","c":""#), let c = plainRange(),
              expect(#","v":"#), let v = integer() else { return nil }
        return (id, c, v)
    }

    /// `{"id":"…","c":"…","v":V,"r":VALUE` with the value's range, stopping after the value; no
    /// strings are made. `del` is true for `"del":true` in place of the record.
    mutating func opRanges() -> (id: Range<Int>, collection: Range<Int>, version: UInt64, record: Range<Int>?)? {
        guard let (id, c, v) = opKeys() else { return nil }
        if expect(#","r":"#) {
            let start = i
            guard skipValue() else { return nil }
            return (id, c, v, start..<i)
        }
        if expect(#","del":true"#) { return (id, c, v, nil) }
        return nil
    }

    /// `{"id":"…","c":"…","v":V,` then `"r":VALUE` or `"del":true`; stops after the value.
    mutating func opFields() -> ParsedOp? {
        guard expect(#"{"id":""#), let id = plainString(),
              expect(#","c":""#), let c = plainString(),
              expect(#","v":"#), let v = integer() else { return nil }
        if expect(#","r":"#) {
            let start = i
            guard skipValue() else { return nil }
            return ParsedOp(collection: c, id: id, version: Int(v), record: start..<i)
        }
        if expect(#","del":true"#) {
            return ParsedOp(collection: c, id: id, version: Int(v), record: nil)
        }
        return nil
    }
}

extension LineFormat {
    /// Parses a verified commit prefix into its seq and operations.
    static func parseCommit(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> (seq: UInt64, ops: [ParsedOp])? {
        var s = LineScanner(bytes, from: from, to: to)
        guard s.expect(#"{"seq":"#), let seq = s.integer(), s.expect(#","at":"#), s.skipValue(),
              s.expect(#","ops":["#) else { return nil }
        var ops: [ParsedOp] = []
        if s.expect("]") { return s.i == to ? (seq, ops) : nil }
        while true {
            guard let op = s.opFields(), s.expect("}") else { return nil }
            ops.append(op)
            if s.expect(",") { continue }
            guard s.expect("]"), s.i == to else { return nil }
            return (seq, ops)
        }
    }

    /// Parses a verified snapshot record prefix.
    static func parseSnapshotRecord(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> ParsedOp? {
        var s = LineScanner(bytes, from: from, to: to)
        guard let op = s.opFields(), op.record != nil, s.i == to else { return nil }
        return op
    }
}
