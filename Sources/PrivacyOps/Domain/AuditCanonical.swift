/// The canonical bytes of an audit event: what its hash covers (DESIGN.md §4).
///
/// A serialisation this project owns, so that no toolchain or encoder update can change a hash.
/// It is pinned by test vectors (`AuditCanonicalTests`), and it reproduces byte for byte what
/// the first stores were hashed with, so their chains still verify.
///
/// The rule:
/// - One JSON object, no whitespace, keys in this order: `action`, `actor`, `at`, `case`,
///   `changes`, `detail`, `prev_hash`, `real_actor`, `role`, `seq`, `target` (byte order of the
///   names).
/// - `case`, `changes` and `real_actor` are left out when absent (nil); every other key is
///   always there. So an event without `changes` or `real_actor` has the bytes it had before
///   those fields existed.
/// - `changes` is an array (`[]` when empty) of objects, one per ``AuditChange`` in the event's
///   order, each with the keys `after`, `before`, `field`, `record` in that order (byte order),
///   `after` and `before` left out when nil; no whitespace.
/// - `seq` is a decimal integer with no sign and no leading zeros.
/// - Every other value is a string: `"` and `\` are escaped as `\"` and `\\`; U+0008, U+0009,
///   U+000A, U+000C, U+000D as `\b`, `\t`, `\n`, `\f`, `\r`; every other code point below
///   U+0020 as `\u00xx` with lower-case hex; everything else (`/`, U+007F, all non-ASCII) as its
///   UTF-8 bytes, unescaped and not normalised.
enum AuditCanonical {
    static func bytes(of e: AuditEvent) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + e.detail.utf8.count)
        out.append(UInt8(ascii: "{"))
        func key(_ k: String, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            string(k, into: &out)
            out.append(UInt8(ascii: ":"))
        }
        key("action", first: true)
        string(e.action, into: &out)
        key("actor")
        string(e.actor, into: &out)
        key("at")
        string(e.at, into: &out)
        if let c = e.caseId {
            key("case")
            string(c, into: &out)
        }
        if let changes = e.changes {
            key("changes")
            out.append(UInt8(ascii: "["))
            for (i, c) in changes.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                var first = true
                func member(_ k: String, _ v: String?) {
                    guard let v else { return }
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    string(k, into: &out)
                    out.append(UInt8(ascii: ":"))
                    string(v, into: &out)
                }
                member("after", c.after)
                member("before", c.before)
                member("field", c.field)
                member("record", c.record)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        key("detail")
        string(e.detail, into: &out)
        key("prev_hash")
        string(e.prevHash, into: &out)
        if let r = e.realActor {
            key("real_actor")
            string(r, into: &out)
        }
        key("role")
        string(e.role, into: &out)
        key("seq")
        out.append(contentsOf: String(e.seq).utf8)
        key("target")
        string(e.target, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends `s` as a JSON string by the escaping rule above.
    static func string(_ s: String, into out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x00..<0x20:
                out.append(contentsOf: Array(#"\u00"#.utf8))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
