/// CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field quoted
/// when it holds a comma, a quote or a line break, with its quotes doubled.
public enum RFC4180 {
    /// Appends one field to `out`.
    public static func field(_ s: String, into out: inout [UInt8]) {
        if s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
            out.append(UInt8(ascii: "\""))
            for b in s.utf8 {
                if b == UInt8(ascii: "\"") { out.append(b) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: s.utf8)
        }
    }

    /// Appends one record (its fields and CRLF) to `out`.
    public static func record(_ fields: [String], into out: inout [UInt8]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            field(f, into: &out)
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }
}
