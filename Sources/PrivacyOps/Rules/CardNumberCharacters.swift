/// How the card-number guard reads each character: a digit of any script, a separator that may
/// stand between the digit groups of a number, a character that is invisible and ignored, or
/// anything else (which ends a number).
///
/// - Digits: every Unicode decimal digit (`numericType == .decimal`): ASCII, full-width
///   (U+FF10…), Arabic-Indic, Devanagari, Bengali, Thai, mathematical bold (U+1D7CE…) and every
///   other script's; each counts as its value.
/// - Separators: spaces of every kind (general category Zs, line and paragraph separators, tab,
///   line feed, carriage return, vertical tab, form feed, U+0085), dashes of every kind (Pd:
///   hyphen-minus, U+2010–2015, U+FE63, U+FF0D…, plus the minus sign U+2212 and the hyphen
///   bullet U+2043), connector punctuation (Pc: underscore, U+FF3F…), dots (full stop, middle
///   dot, one-dot leader, hyphenation point, ideographic and full-width full stops, katakana
///   middle dots, bullet and dot operators) and slashes (solidus, full-width solidus, division
///   and fraction slashes). Commas are not separators: they separate the items of lists.
/// - Ignored: format characters (Cf: zero-width space, zero-width joiner and non-joiner, word
///   joiner, byte-order mark, soft hyphen, direction marks) and combining marks (Mn, Me:
///   variation selectors, the keycap enclosing mark), which show nothing between two digits.
enum CardNumberCharacters {
    /// A character's role.
    enum Kind: UInt8 {
        case other = 0
        case digit = 1
        case separator = 2
        case ignorable = 3
        /// An ASCII letter a–f or A–F: other, but part of a hexadecimal token.
        case hexLetter = 4
        /// A backslash: other, or the start of an escape in JSON text.
        case backslash = 5
    }

    /// The kind of each ASCII byte (digits map to ``Kind/digit``; their value is the byte − 0x30).
    static let ascii: [Kind] = {
        var t = [Kind](repeating: .other, count: 128)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(b)] = .digit }
        for b in UInt8(ascii: "a")...UInt8(ascii: "f") { t[Int(b)] = .hexLetter }
        for b in UInt8(ascii: "A")...UInt8(ascii: "F") { t[Int(b)] = .hexLetter }
        for c in [" ", "\t", "\n", "\r", "-", ".", "/", "_"] as [Unicode.Scalar] { t[Int(c.value)] = .separator }
        t[0x0B] = .separator  // vertical tab
        t[0x0C] = .separator  // form feed
        t[Int(UInt8(ascii: "\\"))] = .backslash
        return t
    }()

    /// Separators that are not in a separator category (Zs, Zl, Zp, Pd, Pc): dots, slashes,
    /// the minus sign, the hyphen bullet and NEL.
    static let extraSeparators: Set<UInt32> = [
        0x0085,  // next line
        0x00B7,  // middle dot
        0x2024,  // one dot leader
        0x2027,  // hyphenation point
        0x2043,  // hyphen bullet
        0x2044,  // fraction slash
        0x2212,  // minus sign
        0x2215,  // division slash
        0x2219,  // bullet operator
        0x22C5,  // dot operator
        0x29F8,  // big solidus
        0x2E31,  // word separator middle dot
        0x3002,  // ideographic full stop
        0x30FB,  // katakana middle dot
        0xFE52,  // small full stop
        0xFF0E,  // full-width full stop
        0xFF0F,  // full-width solidus
        0xFF61,  // half-width ideographic full stop
        0xFF65,  // half-width katakana middle dot
    ]

    /// The kind of a scalar, and its value when it is a digit.
    static func classify(_ s: Unicode.Scalar) -> (kind: Kind, value: UInt8) {
        if s.value < 0x80 {
            let k = ascii[Int(s.value)]
            switch k {
            case .digit: return (.digit, UInt8(s.value) &- 0x30)
            case .hexLetter, .backslash: return (.other, 0)
            default: return (k, 0)
            }
        }
        if let kind = quickKind(s.value) { return (kind, 0) }
        return classifyByProperties(s)
    }

    /// The kind of the scalars of the blocks store text is mostly made of (Latin, Greek,
    /// Cyrillic, combining accents, kana, CJK ideographs, Hangul), without looking up Unicode
    /// properties (a few hundred nanoseconds each); nil elsewhere. Tests check it against
    /// ``classifyByProperties(_:)`` for every scalar.
    @inline(__always)
    static func quickKind(_ v: UInt32) -> Kind? {
        switch v {
        case 0x80...0xFF:
            switch v {
            case 0x85, 0xA0, 0xB7: return .separator
            case 0xAD: return .ignorable
            default: return .other
            }
        case 0x100...0x24F, 0x370...0x3FF, 0x400...0x482, 0x48A...0x52F, 0x1E00...0x1EFF, 0x3041...0x3096, 0x30A1...0x30FA,
             0x4E00...0x9FFF, 0xAC00...0xD7A3:
            return .other
        case 0x300...0x36F, 0x483...0x489:
            return .ignorable
        default:
            return nil
        }
    }

    /// ``classify(_:)`` of a non-ASCII scalar from its Unicode properties.
    static func classifyByProperties(_ s: Unicode.Scalar) -> (kind: Kind, value: UInt8) {
        let p = s.properties
        if p.numericType == .decimal, let v = p.numericValue, v >= 0, v <= 9 {
            return (.digit, UInt8(v))
        }
        switch p.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .dashPunctuation, .connectorPunctuation:
            return (.separator, 0)
        case .format, .nonspacingMark, .enclosingMark:
            return (.ignorable, 0)
        default:
            return (extraSeparators.contains(s.value) ? .separator : .other, 0)
        }
    }

    /// Decodes the UTF-8 scalar starting at `i` (its lead byte at least 0x80); returns nil and
    /// a length of 1 for a byte that does not start a well-formed scalar.
    @inline(__always)
    static func decodeUTF8(_ bytes: UnsafeRawBufferPointer, at i: Int) -> (scalar: Unicode.Scalar?, length: Int) {
        let n = bytes.count
        let b0 = UInt32(bytes[i])
        let length: Int
        var v: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; v = b0 & 0x1F
        case 0xE0...0xEF: length = 3; v = b0 & 0x0F
        case 0xF0...0xF4: length = 4; v = b0 & 0x07
        default: return (nil, 1)
        }
        guard i + length <= n else { return (nil, 1) }
        for k in 1..<length {
            let c = UInt32(bytes[i + k])
            guard c & 0xC0 == 0x80 else { return (nil, 1) }
            v = v << 6 | (c & 0x3F)
        }
        // Overlong forms and surrogates are not scalars.
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard v >= minimum, let s = Unicode.Scalar(v) else { return (nil, 1) }
        return (s, length)
    }

    /// Decodes the JSON escape starting at the backslash at `i`: the scalar it stands for and
    /// how many bytes it takes (a surrogate pair in two `\u` escapes is one scalar). Returns nil
    /// for a backslash that does not start a well-formed escape.
    static func decodeJSONEscape(_ bytes: UnsafeRawBufferPointer, at i: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        let n = bytes.count
        guard i + 1 < n else { return nil }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""): return ("\"", 2)
        case UInt8(ascii: "\\"): return ("\\", 2)
        case UInt8(ascii: "/"): return ("/", 2)
        case UInt8(ascii: "b"): return ("\u{08}", 2)
        case UInt8(ascii: "f"): return ("\u{0C}", 2)
        case UInt8(ascii: "n"): return ("\n", 2)
        case UInt8(ascii: "r"): return ("\r", 2)
        case UInt8(ascii: "t"): return ("\t", 2)
        case UInt8(ascii: "u"):
            guard let hi = hex4(bytes, at: i + 2) else { return nil }
            if hi >= 0xD800, hi <= 0xDBFF {
                guard i + 12 <= n, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u"),
                      let lo = hex4(bytes, at: i + 8), lo >= 0xDC00, lo <= 0xDFFF else { return nil }
                let v = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                guard let s = Unicode.Scalar(v) else { return nil }
                return (s, 12)
            }
            guard let s = Unicode.Scalar(hi) else { return nil }
            return (s, 6)
        default:
            return nil
        }
    }

    /// The value of four ASCII hex digits at `i` (of a `\\uXXXX` escape); nil when they are not.
    static func hex4(_ bytes: UnsafeRawBufferPointer, at i: Int) -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let b = bytes[i + k]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    /// Whether `byte` is an ASCII hexadecimal digit or letter.
    @inline(__always)
    static func isHex(_ byte: UInt8) -> Bool {
        byte < 0x80 && (ascii[Int(byte)] == .digit || ascii[Int(byte)] == .hexLetter)
    }

}
