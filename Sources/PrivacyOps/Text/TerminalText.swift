/// Makes strings from the data safe and measurable for a terminal.
///
/// Every string from the store, a message or a log reaches a terminal only through
/// ``sanitize(_:)`` (table cells, one-line output) or ``sanitizeMultiline(_:)`` (message
/// content): control characters and escape sequences are shown, never executed. Column widths
/// come from ``width(_:)``, which follows `wcwidth` semantics from its own table of East Asian
/// Wide/Fullwidth and emoji ranges, independent of the C library's locale.
public enum TerminalText {
    /// Tab stops used by ``sanitizeMultiline(_:)``.
    public static let tabStop = 8

    /// The single-line form of `s`, for table cells and one-line CLI output.
    ///
    /// - ESC is shown as `^[`, other C0 controls in caret notation (`^A`, `^M`, `^@`), DEL as
    ///   `^?`, C1 controls as `<U+0085>`; none is ever passed through.
    /// - A line break (`\n`, or `\r\n` as one break) is shown as `↵`; a tab as one space.
    /// - Bidirectional embedding, override and isolate characters (U+202A–U+202E,
    ///   U+2066–U+2069) and the line and paragraph separators U+2028 and U+2029 are shown as
    ///   `<U+202E>`.
    /// - Complexity: O(*n*); returns `s` itself when it is printable ASCII.
    public static func sanitize(_ s: String) -> String {
        if isPrintableASCII(s) { return s }
        return render(s, multiline: false)
    }

    /// The multi-line form of `s`, for message content: as ``sanitize(_:)`` but line breaks are
    /// kept (`\r\n` becomes `\n`; a lone `\r` is shown as `^M`) and tabs are expanded with spaces
    /// to the next tab stop (every ``tabStop`` columns).
    /// - Complexity: O(*n*).
    public static func sanitizeMultiline(_ s: String) -> String {
        let rendered = render(s, multiline: true)
        guard rendered.utf8.contains(0x09) else { return rendered }
        return expandTabs(rendered)
    }

    /// The number of terminal columns `s` takes.
    ///
    /// Each grapheme cluster takes the width of its first scalar: 2 for East Asian Wide and
    /// Fullwidth characters (CJK, Hangul, kana, fullwidth forms) and emoji presentation
    /// characters, 0 for combining and enclosing marks, format characters (general categories
    /// Mn, Me, Cf: zero-width joiner, variation selectors, …) and controls, 1 otherwise. Emoji
    /// zero-width-joiner sequences (👨‍👩‍👧) and flag pairs (🇯🇵) take 2. Meant for sanitised text.
    /// - Complexity: O(*n*).
    public static func width(_ s: String) -> Int {
        if isPrintableASCII(s) { return s.utf8.count }
        if let w = simpleWidth(s) { return w }
        var total = 0
        for character in s { total += width(of: character) }
        return total
    }

    /// `s` cut to at most `toWidth` columns, ending with `…` when anything was cut.
    ///
    /// Never splits a grapheme cluster or a wide character: when a wide character does not fit
    /// before the `…`, the result is one column narrower than `toWidth`. Returns an empty string
    /// for a width of zero or less.
    /// - Complexity: O(*n*).
    public static func truncate(_ s: String, toWidth: Int) -> String {
        guard toWidth > 0 else { return "" }
        if isPrintableASCII(s) {
            // One column a byte.
            if s.utf8.count <= toWidth { return s }
            return String(decoding: s.utf8.prefix(toWidth - 1), as: UTF8.self) + "…"
        }
        if let w = simpleWidth(s) {
            if w <= toWidth { return s }
            // Scalar by scalar: a cluster's marks (width 0) stay with the scalar before them.
            var out = String.UnicodeScalarView()
            var used = 0
            for u in s.unicodeScalars {
                let cw = simpleWidth(u.value) ?? 0
                if cw > 0, used + cw > toWidth - 1 { break }
                out.append(u)
                used += cw
            }
            return String(out) + "…"
        }
        if width(s) <= toWidth { return s }
        let budget = toWidth - 1  // one column for the ellipsis
        var out = ""
        var used = 0
        for character in s {
            let w = width(of: character)
            if used + w > budget { break }
            out.append(character)
            used += w
        }
        out.append("…")
        return out
    }

    /// `s` truncated with ``truncate(_:toWidth:)`` and then padded with spaces to exactly
    /// `toWidth` columns, on the right (left-aligned text) or, with `alignRight`, on the left.
    /// - Complexity: O(*n* + `toWidth`).
    public static func pad(_ s: String, toWidth: Int, alignRight: Bool = false) -> String {
        guard toWidth > 0 else { return "" }
        if isPrintableASCII(s) {
            let n = s.utf8.count
            if n >= toWidth { return n == toWidth ? s : truncate(s, toWidth: toWidth) }
            let spaces = String(repeating: " ", count: toWidth - n)
            return alignRight ? spaces + s : s + spaces
        }
        let cut = truncate(s, toWidth: toWidth)
        let fill = toWidth - width(cut)
        guard fill > 0 else { return cut }
        let spaces = String(repeating: " ", count: fill)
        return alignRight ? spaces + cut : cut + spaces
    }

    // MARK: - Sanitising

    /// Whether every byte of `s` is printable ASCII (0x20–0x7E): eight bytes at a time.
    @inline(__always)
    public static func isPrintableASCII(_ s: String) -> Bool {
        if let r = s.utf8.withContiguousStorageIfAvailable({ isPrintableASCII(UnsafeRawBufferPointer($0)) }) { return r }
        return s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// The width of UTF-8 text that ``sanitize(_:)`` leaves as it is and whose every scalar has
    /// a ``simpleWidth(_:)`` (see there); nil otherwise (then use ``sanitize(_:)`` and
    /// ``width(_:)``). No string is made.
    public static func plainWidth(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var total = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = UInt32(bytes[i])
            var v: UInt32
            if b0 < 0x80 {
                v = b0
                i += 1
            } else if b0 & 0xE0 == 0xC0, i + 1 < n, bytes[i + 1] & 0xC0 == 0x80 {
                v = (b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                guard v >= 0x80 else { return nil }
                i += 2
            } else if b0 & 0xF0 == 0xE0, i + 2 < n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 {
                v = (b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                guard v >= 0x800 else { return nil }
                i += 3
            } else {
                return nil  // four-byte scalars (and anything malformed) take the general way
            }
            // Simple widths exclude controls, C1, bidi controls and the line separators: what
            // sanitising would change.
            guard let w = simpleWidth(v) else { return nil }
            total += w
        }
        return total
    }

    /// Whether every byte is printable ASCII (0x20–0x7E).
    public static func isPrintableASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let p = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // A byte below 0x20 (exact test), or one of 0x7F and above (its high bit set, or
            // set by adding one).
            let below = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
            let above = ((w & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x0101_0101_0101_0101 | w) & 0x8080_8080_8080_8080
            if below | above != 0 { return false }
            i += 8
        }
        while i < n {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            if b < 0x20 || b >= 0x7F { return false }
            i += 1
        }
        return true
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        var out = ""
        let count = value > 0xFFFF ? (value > 0xFFFFF ? 6 : 5) : 4
        for shift in stride(from: (count - 1) * 4, through: 0, by: -4) {
            out.unicodeScalars.append(digits[Int((value >> UInt32(shift)) & 0xF)])
        }
        return out
    }

    /// `true` for characters shown as `<U+XXXX>`: C1 controls, bidi controls, U+2028/U+2029.
    @inline(__always)
    static func isShownAsCodePoint(_ v: UInt32) -> Bool {
        (v >= 0x80 && v <= 0x9F) || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
            || v == 0x2028 || v == 0x2029
    }

    private static func render(_ s: String, multiline: Bool) -> String {
        var out = String.UnicodeScalarView()
        let scalars = s.unicodeScalars
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let v = scalar.value
            scalars.formIndex(after: &index)
            switch v {
            case 0x0A:
                if multiline { out.append("\n") } else { out.append("↵") }
            case 0x0D:
                if index != scalars.endIndex, scalars[index].value == 0x0A {
                    scalars.formIndex(after: &index)
                    if multiline { out.append("\n") } else { out.append("↵") }
                } else {
                    out.append(contentsOf: "^M".unicodeScalars)
                }
            case 0x09:
                // Multi-line text expands tabs afterwards, when columns are known.
                out.append(multiline ? "\t" : " ")
            case 0x00..<0x20:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(truncatingIfNeeded: v + 0x40)))
            case 0x7F:
                out.append(contentsOf: "^?".unicodeScalars)
            default:
                if isShownAsCodePoint(v) {
                    out.append(contentsOf: "<U+".unicodeScalars)
                    out.append(contentsOf: hex4(v).unicodeScalars)
                    out.append(">")
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    /// Replaces each tab of already sanitised text with spaces up to the next tab stop.
    private static func expandTabs(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var firstLine = true
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            if !firstLine { out.append("\n") }
            firstLine = false
            var column = 0
            var firstSegment = true
            for segment in line.split(separator: "\t", omittingEmptySubsequences: false) {
                if !firstSegment {
                    let spaces = tabStop - column % tabStop
                    out.append(String(repeating: " ", count: spaces))
                    column += spaces
                }
                firstSegment = false
                out.append(contentsOf: segment)
                for character in segment { column += width(of: character) }
            }
        }
        return out
    }

    // MARK: - Widths

    /// The columns one grapheme cluster takes.
    static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let v = first.value
        if v >= 0x20 && v < 0x7F { return 1 }
        let base = width(of: first)
        if base == 2 { return 2 }
        var iterator = scalars.makeIterator()
        _ = iterator.next()
        guard let second = iterator.next() else { return base }
        // Flag: a pair of regional indicators.
        if isRegionalIndicator(v), isRegionalIndicator(second.value) { return 2 }
        // Emoji ZWJ sequence whose first emoji is text-presentation by default (🏳️‍🌈).
        if first.properties.isEmoji, scalars.contains("\u{200D}") { return 2 }
        return base
    }

    @inline(__always)
    static func isRegionalIndicator(_ v: UInt32) -> Bool { v >= 0x1F1E6 && v <= 0x1F1FF }

    /// The columns one scalar takes when it starts a grapheme cluster.
    static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return v == 0xAD ? 0 : 1 }
        // Hangul jungseong and jongseong join the preceding choseong.
        if (v >= 0x1160 && v <= 0x11FF) || (v >= 0xD7B0 && v <= 0xD7FF) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(v) { return 2 }
        // Emoji newer than the table.
        if v >= 0x1F000, scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// The width of a scalar from the scripts most names and addresses are written in, where
    /// every grapheme cluster is one scalar followed by zero-width combining marks, so that
    /// summing scalar widths gives the width the cluster rules give; nil for any other scalar.
    /// Latin (with its extensions and combining diacritics), Greek, Cyrillic, kana, CJK
    /// ideographs and Hangul syllables: no table lookups, no grapheme breaking.
    @inline(__always)
    static func simpleWidth(_ v: UInt32) -> Int? {
        switch v {
        case 0x20..<0x7F: return 1
        case 0xA0..<0x300: return v == 0xAD ? 0 : 1
        case 0x300..<0x370: return 0  // combining diacritical marks
        case 0x370..<0x400: return 1  // Greek
        case 0x483..<0x48A: return 0  // Cyrillic combining marks
        case 0x400..<0x500: return 1  // Cyrillic
        case 0x1E00..<0x1F00: return 1  // Latin Extended Additional (Vietnamese)
        case 0x3099, 0x309A: return 0  // kana voicing marks
        case 0x3041..<0x3100: return 2  // hiragana, katakana
        case 0x3400..<0x4DC0, 0x4E00..<0xA000: return 2  // CJK ideographs
        case 0xAC00...0xD7A3: return 2  // Hangul syllables
        default: return nil
        }
    }

    /// The width of `s` when every scalar has a ``simpleWidth(_:)``, else nil.
    static func simpleWidth(_ s: String) -> Int? {
        var total = 0
        for u in s.unicodeScalars {
            guard let w = simpleWidth(u.value) else { return nil }
            total += w
        }
        return total
    }

    /// `true` if `v` is East Asian Wide or Fullwidth (binary search in ``wideRanges``).
    static func isWide(_ v: UInt32) -> Bool {
        if v < wideRanges[0].0 { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideRanges[mid]
            if v < range.0 {
                high = mid - 1
            } else if v > range.1 {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// East Asian Wide (W) and Fullwidth (F) code point ranges, closed, sorted: Hangul choseong,
    /// emoji presentation symbols, CJK radicals to Yi, Hangul syllables, CJK compatibility,
    /// vertical and small forms, fullwidth forms, Tangut/Khitan/kana supplements, emoji
    /// (U+1F300–U+1F64F, U+1F680–U+1F6FF, U+1F900–U+1FAFF), CJK planes 2 and 3. Drawn from
    /// Unicode's EastAsianWidth.txt (version 14), gaps of unassigned code points inside a wide
    /// block closed up.
    static let wideRanges: [(UInt32, UInt32)] = [
        (0x1100, 0x115F), (0x231A, 0x231B), (0x2329, 0x232A), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3),
        (0x25FD, 0x25FE), (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
        (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA),
        (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD), (0x2705, 0x2705), (0x270A, 0x270B),
        (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797),
        (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x2E80, 0x303E),
        (0x3041, 0x3247), (0x3250, 0x4DBF), (0x4E00, 0xA4C6), (0xA960, 0xA97C), (0xAC00, 0xD7A3), (0xF900, 0xFAFF),
        (0xFE10, 0xFE19), (0xFE30, 0xFE6B), (0xFF01, 0xFF60), (0xFFE0, 0xFFE6), (0x16FE0, 0x1B2FB), (0x1F004, 0x1F004),
        (0x1F0CF, 0x1F0CF), (0x1F18E, 0x1F18E), (0x1F191, 0x1F19A), (0x1F200, 0x1F320), (0x1F32D, 0x1F335), (0x1F337, 0x1F37C),
        (0x1F37E, 0x1F393), (0x1F3A0, 0x1F3CA), (0x1F3CF, 0x1F3D3), (0x1F3E0, 0x1F3F0), (0x1F3F4, 0x1F3F4), (0x1F3F8, 0x1F43E),
        (0x1F440, 0x1F440), (0x1F442, 0x1F4FC), (0x1F4FF, 0x1F53D), (0x1F54B, 0x1F54E), (0x1F550, 0x1F567), (0x1F57A, 0x1F57A),
        (0x1F595, 0x1F596), (0x1F5A4, 0x1F5A4), (0x1F5FB, 0x1F64F), (0x1F680, 0x1F6C5), (0x1F6CC, 0x1F6CC), (0x1F6D0, 0x1F6D2),
        (0x1F6D5, 0x1F6DF), (0x1F6EB, 0x1F6EC), (0x1F6F4, 0x1F6FC), (0x1F7E0, 0x1F7F0), (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945),
        (0x1F947, 0x1F9FF), (0x1FA70, 0x1FAF6), (0x20000, 0x3FFFD),
    ]
}
