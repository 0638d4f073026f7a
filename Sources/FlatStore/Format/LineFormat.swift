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
    /// `,"crc":"` + 8 hex + `"}`.
    static let sealLength = crcKey.count + 8 + 2

    static func saltBytes(_ salt: UInt32?) -> [UInt8] {
        guard let s = salt else { return [] }
        return [UInt8(truncatingIfNeeded: s >> 24), UInt8(truncatingIfNeeded: s >> 16),
                UInt8(truncatingIfNeeded: s >> 8), UInt8(truncatingIfNeeded: s)]
    }

    static func crc(prefix: UnsafeRawBufferPointer, salt: UInt32?) -> UInt32 {
        var c: UInt32 = 0
        if salt != nil {
            let s = saltBytes(salt)
            c = s.withUnsafeBytes { CRC32C.update(0, $0) }
        }
        return CRC32C.update(c, prefix)
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func hex(_ v: UInt32) -> [UInt8] {
        (0..<8).map { i in hexDigits[Int((v >> UInt32(28 - 4 * i)) & 0xF)] }
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
        prefix.append(contentsOf: hex(c))
        prefix.append(UInt8(ascii: "\""))
        prefix.append(UInt8(ascii: "}"))
        prefix.append(0x0A)
    }

    /// Checks a line (without its newline) and returns the length of its prefix, or nil when the
    /// line is not intact.
    static func verify(_ line: UnsafeRawBufferPointer, salt: UInt32?) -> Int? {
        let n = line.count
        guard n > sealLength, line[0] == UInt8(ascii: "{"), line[n - 1] == UInt8(ascii: "}"),
              line[n - 2] == UInt8(ascii: "\"") else { return nil }
        let p = n - sealLength
        for i in 0..<crcKey.count where line[p + i] != crcKey[i] { return nil }
        var want: UInt32 = 0
        for i in 0..<8 {
            let b = line[p + crcKey.count + i]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: return nil
            }
            want = want << 4 | d
        }
        let got = crc(prefix: UnsafeRawBufferPointer(rebasing: line[0..<p]), salt: salt)
        return got == want ? p : nil
    }

    // MARK: writing records

    static func appendOp(_ out: inout [UInt8], _ op: Transaction.Operation, version: Int, close: Bool) {
        out.append(contentsOf: Array(#"{"id":""#.utf8))
        out.append(contentsOf: Array(op.id.utf8))
        out.append(contentsOf: Array(#"","c":""#.utf8))
        out.append(contentsOf: Array(op.collection.utf8))
        out.append(contentsOf: Array(#"","v":"#.utf8))
        out.append(contentsOf: Array(String(version).utf8))
        switch op {
        case .put(_, _, _, let json):
            out.append(contentsOf: Array(#","r":"#.utf8))
            out.append(contentsOf: json)
        case .delete:
            out.append(contentsOf: Array(#","del":true"#.utf8))
        }
        if close { out.append(UInt8(ascii: "}")) }
    }

    /// The prefix of a commit line.
    static func commitPrefix(seq: UInt64, at: String, ops: [Transaction.Operation]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + ops.reduce(0) { acc, op in
            if case .put(_, _, _, let j) = op { return acc + j.count + 64 }
            return acc + 64
        })
        out.append(contentsOf: Array(#"{"seq":"#.utf8))
        out.append(contentsOf: Array(String(seq).utf8))
        out.append(contentsOf: Array(#","at":""#.utf8))
        out.append(contentsOf: Array(at.utf8))
        out.append(contentsOf: Array(#"","ops":["#.utf8))
        for (i, op) in ops.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendOp(&out, op, version: op.expected + 1, close: true)
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
        let start = i
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
            i += 1
        }
        return nil
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
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\\") { i += 2; continue }
            i += 1
            if b == UInt8(ascii: "\"") { return true }
        }
        return false
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
