import Foundation

/// Case-insensitive matching as the customer filter does it: both the text searched and the
/// text searched for are turned into a *match key*, NFC(fold(NFD(text))), where fold is **simple
/// case folding** (the mappings of status C and S in Unicode's CaseFolding.txt, scalar by
/// scalar); then one key must hold the other as a run of scalars (equivalently, of UTF-8 bytes).
/// This is Unicode's canonical caseless match (D145) with simple folding, compared as
/// composed text: a composed `é` and `e` followed by U+0301 are the same text, and `e` alone is
/// not found in `é`.
///
/// So `K` (U+212A KELVIN SIGN) matches `k`; `ſ` (U+017F) matches `s`; `ẞ` (U+1E9E) matches `ß`;
/// `Σ`, `σ` and final `ς` all match one another. Full foldings that change the length are not
/// made: `ß` does not match `ss`, and `İ` (U+0130, whose only folding is to `i̇`, two scalars)
/// is `I` with U+0307 once decomposed, so its key is `i̇`: `i` is found in it, `istanbul` is not
/// found in `İstanbul`); the Turkish-only mappings (status T) are not used, so `ı` (U+0131)
/// matches only itself and `I` matches `i`.
///
/// Why simple folding: one scalar in, one scalar out, so a match is found the same way in bytes
/// as in strings, and the byte-level filter can rule records out without decoding them.
enum CaseFold {
    /// The simple case folding of one scalar.
    ///
    /// The stdlib knows every scalar's lower-case mapping; simple folding is that mapping where it
    /// is one scalar, except for the scalars listed in ``exceptions`` (lower-case letters that
    /// fold to another letter, Cherokee, which folds to upper case, and U+0130).
    @inline(__always)
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        if v < 0x80 { return v &- 0x41 < 26 ? Unicode.Scalar(UInt8(v) | 0x20) : s }
        if let e = exceptions[v] { return Unicode.Scalar(e) ?? s }
        if (0x13A0...0x13F5).contains(v) { return s }  // Cherokee capitals fold to themselves
        guard s.properties.changesWhenCaseFolded else { return s }
        let lower = s.properties.lowercaseMapping.unicodeScalars
        guard lower.count == 1, let l = lower.first else { return s }
        return l
    }

    /// Scalars whose simple folding is not their one-scalar lower-case mapping.
    static let exceptions: [UInt32: UInt32] = {
        var m: [UInt32: UInt32] = [
            0x00B5: 0x03BC,  // µ micro sign → μ
            0x017F: 0x0073,  // ſ long s → s
            0x0130: 0x0130,  // İ: only a full (two-scalar) or Turkish folding
            0x0345: 0x03B9,  // combining ypogegrammeni → ι
            0x03C2: 0x03C3,  // ς final sigma → σ
            0x03D0: 0x03B2, 0x03D1: 0x03B8, 0x03D5: 0x03C6, 0x03D6: 0x03C0,
            0x03F0: 0x03BA, 0x03F1: 0x03C1, 0x03F5: 0x03B5,
            0x1E9B: 0x1E61,  // ẛ → ṡ
            0x1FBE: 0x03B9,  // ι prosgegrammeni → ι
            0x1C80: 0x0432, 0x1C81: 0x0434, 0x1C82: 0x043E, 0x1C83: 0x0441, 0x1C84: 0x0442,
            0x1C85: 0x0442, 0x1C86: 0x044A, 0x1C87: 0x0463, 0x1C88: 0xA64B,
        ]
        // Cherokee small letters fold to the capitals.
        for v in UInt32(0xAB70)...0xABBF { m[v] = v - 0xAB70 + 0x13A0 }
        for v in UInt32(0x13F8)...0x13FD { m[v] = v - 0x13F8 + 0x13F0 }
        return m
    }()

    /// The match key of `s`: NFC(fold(NFD(s))).
    static func folded(_ s: String) -> String {
        // ASCII, the common case: lower-case the bytes (ASCII is its own NFD and NFC).
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: s.utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        for u in s.decomposedStringWithCanonicalMapping.unicodeScalars { out.append(fold(u)) }
        return String(out).precomposedStringWithCanonicalMapping
    }

    /// Whether `hay`, folded, contains `foldedNeedle` (already folded) as a run of scalars.
    ///
    /// An ASCII needle is first looked for in `hay`'s bytes, ASCII case aside: absent there, and
    /// with no scalar in `hay` whose key holds ASCII (``foldsIntoASCII``), it cannot be in the
    /// key, and no key is made.
    static func contains(_ hay: String, folded foldedNeedle: String) -> Bool {
        if foldedNeedle.utf8.allSatisfy({ $0 < 0x80 }) {
            var h = hay
            let inBytes = h.withUTF8 { FoldedNeedle(Array(foldedNeedle.utf8)).isIn(UnsafeRawBufferPointer($0)) }
            if !inBytes, !hay.unicodeScalars.contains(where: { sourceScalars.contains($0.value) }) { return false }
        }
        let h = Array(folded(hay).utf8)
        let n = Array(foldedNeedle.utf8)
        return h.withUnsafeBytes { ByteSearch.contains($0, n) }
    }

    /// The non-ASCII scalars whose match key holds an ASCII character, as UTF-8: U+212A KELVIN
    /// SIGN (to `k`), U+017F LATIN SMALL LETTER LONG S (to `s`), U+0130 (to `i` and U+0307), the canonical singletons
    /// U+037E GREEK QUESTION MARK (to `;`) and U+1FEF GREEK VARIA (to `` ` ``). A byte search for
    /// an ASCII needle holding one of those characters must not rule out a record holding one of
    /// these scalars. (`CaseFoldTests` checks that no other scalar's key holds ASCII.)
    static let sourceScalars: Set<UInt32> = [0x212A, 0x017F, 0x037E, 0x1FEF, 0x0130]

    static let foldsIntoASCII: [(letter: UInt8, utf8: [UInt8])] = [
        (UInt8(ascii: "k"), [0xE2, 0x84, 0xAA]),
        (UInt8(ascii: "s"), [0xC5, 0xBF]),
        (UInt8(ascii: ";"), [0xCD, 0xBE]),
        (UInt8(ascii: "`"), [0xE1, 0xBF, 0xAF]),
        (UInt8(ascii: "i"), [0xC4, 0xB0]),
    ]
}
