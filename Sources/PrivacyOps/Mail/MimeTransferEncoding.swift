/// A part's Content-Transfer-Encoding (RFC 2045 §6), and decoding it.
///
/// Decoding is lenient, as mail readers are, and never fails: invalid base64 characters are
/// skipped, a bad `=XX` in quoted-printable is kept as written. Each decoder is one pass over
/// its input and returns at most as many bytes as it was given.
public enum MimeTransferEncoding: Sendable, Equatable {
    case sevenBit, eightBit, binary, quotedPrintable, base64
    /// An encoding the decoder does not know (`x-uuencode`): the bytes are taken as they are.
    case other(String)

    /// The encoding a field value names; a missing or empty field is 7bit.
    public init(fieldValue: String?) {
        let name = (fieldValue ?? "").split(separator: "(").first.map { MimeParameters.trim(String($0)) }?.lowercased() ?? ""
        switch name {
        case "", "7bit": self = .sevenBit
        case "8bit": self = .eightBit
        case "binary": self = .binary
        case "quoted-printable": self = .quotedPrintable
        case "base64": self = .base64
        default: self = .other(name)
        }
    }

    /// The name as written in mail.
    public var name: String {
        switch self {
        case .sevenBit: "7bit"
        case .eightBit: "8bit"
        case .binary: "binary"
        case .quotedPrintable: "quoted-printable"
        case .base64: "base64"
        case .other(let name): name
        }
    }

    /// What decoding `bytes` gives, and whether anything in them was not valid for the encoding.
    public func decode(_ bytes: ArraySlice<UInt8>) -> (bytes: [UInt8], damaged: Bool) {
        switch self {
        case .quotedPrintable: Self.decodeQuotedPrintable(bytes)
        case .base64: Self.decodeBase64(bytes)
        default: (Array(bytes), false)
        }
    }

    /// Quoted-printable (RFC 2045 §6.7): `=XX` is a byte, `=` at the end of a line a soft line
    /// break, whitespace at the end of a line is dropped. A bad `=` is kept as written.
    /// - Complexity: O(*n*).
    static func decodeQuotedPrintable(_ input: ArraySlice<UInt8>) -> (bytes: [UInt8], damaged: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var damaged = false
        var i = input.startIndex
        let end = input.endIndex
        // Whitespace seen but not yet written: dropped if the line ends after it.
        var pendingSpace = 0
        var pendingStart = i
        func flushSpace() {
            if pendingSpace > 0 {
                out.append(contentsOf: input[pendingStart..<(pendingStart + pendingSpace)])
                pendingSpace = 0
            }
        }
        while i < end {
            let c = input[i]
            switch c {
            case 0x20, 0x09:
                if pendingSpace == 0 { pendingStart = i }
                pendingSpace += 1
                i += 1
            case 0x0D, 0x0A:
                pendingSpace = 0  // trailing whitespace is transport padding
                out.append(c)
                i += 1
            case 0x3D:
                flushSpace()
                // Soft line break: "=" then optional whitespace then CRLF or LF.
                var j = i + 1
                while j < end, input[j] == 0x20 || input[j] == 0x09 { j += 1 }
                if j == end {
                    i = j
                } else if input[j] == 0x0A {
                    i = j + 1
                } else if input[j] == 0x0D {
                    i = j + 1 < end && input[j + 1] == 0x0A ? j + 2 : j + 1
                } else if i + 2 < end, let high = MessageHeaders.hexValue(input[i + 1]), let low = MessageHeaders.hexValue(input[i + 2]) {
                    out.append(high << 4 | low)
                    i += 3
                } else {
                    damaged = true
                    out.append(c)
                    i += 1
                }
            default:
                flushSpace()
                out.append(c)
                i += 1
            }
        }
        flushSpace()
        return (out, damaged)
    }

    /// Base64 (RFC 2045 §6.8): line breaks and whitespace ignored, decoding stops at the first
    /// `=`; any other character outside the alphabet is skipped and marks the input damaged, as
    /// does a dangling final character.
    /// - Complexity: O(*n*).
    static func decodeBase64(_ input: ArraySlice<UInt8>) -> (bytes: [UInt8], damaged: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3 + 3)
        var damaged = false
        var accumulator: UInt32 = 0
        var bits = 0
        var sextets = 0
        for c in input {
            if c == 0x3D { break }
            guard let v = MessageHeaders.base64Value(c) else {
                if !(c == 0x0D || c == 0x0A || c == 0x20 || c == 0x09) { damaged = true }
                continue
            }
            sextets += 1
            accumulator = (accumulator << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        if sextets % 4 == 1 { damaged = true }
        return (out, damaged)
    }
}
