import Foundation

/// Matching that ignores case and accents, as the customer filter does it: both the text
/// searched and the text searched for are turned into a *match key*,
/// NFC(fold(strip(NFD(text)))), where strip drops the nonspacing combining marks (general
/// category Mn: accents, diaereses, cedillas, rings, tildes...) and fold is **simple case
/// folding** (the mappings of status C and S in Unicode's CaseFolding.txt, scalar by scalar);
/// then one key must hold the other as a run of scalars (equivalently, of UTF-8 bytes).
///
/// So `zoe muller` finds `Zoë Müller`, `ZOE` finds `Zoë`, and `Zoë` finds `Zoe` (an accent in
/// the search is ignored too); a composed `é` and `e` followed by U+0301 are the same text. `K`
/// (U+212A KELVIN SIGN) matches `k`; `ſ` (U+017F) matches `s`; `ẞ` (U+1E9E) matches `ß`; `Σ`,
/// `σ` and final `ς` all match one another; `İ` (U+0130) is `I` with a dot above once
/// decomposed, so `istanbul` finds `İstanbul`. Letters that are not a base letter with marks
/// stay themselves: `ø`, `ł`, `ß`, `æ`, `ı` (U+0131) are not `o`, `l`, `ss`, `ae`, `i`; full
/// foldings that change the length and the Turkish-only mappings (status T) are not used.
/// Marks are dropped in every script, as search engines' accent folding does (Greek tonos,
/// Vietnamese tone marks, Hebrew points).
///
/// Why simple folding: one scalar in, one scalar out, so a match is found the same way in bytes
/// as in strings, and the byte-level filter rules records out without decoding them
/// (``ASCIIProjection``).
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

    /// The match key of `s`: NFC(fold(strip(NFD(s)))).
    static func folded(_ s: String) -> String {
        // ASCII, the common case: lower-case the bytes (ASCII is its own NFD and NFC).
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: s.utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        for u in s.decomposedStringWithCanonicalMapping.unicodeScalars where u.properties.generalCategory != .nonspacingMark {
            out.append(fold(u))
        }
        return String(out).precomposedStringWithCanonicalMapping
    }

    /// Whether `hay`, folded, contains `foldedNeedle` (already folded) as a run of scalars.
    ///
    /// An ASCII needle is looked for in ``ASCIIProjection`` of `hay`'s bytes: no key is made.
    static func contains(_ hay: String, folded foldedNeedle: String) -> Bool {
        if foldedNeedle.utf8.allSatisfy({ $0 < 0x80 }) {
            var h = hay
            let needle = FoldedNeedle(Array(foldedNeedle.utf8))
            return h.withUTF8 { b in
                let raw = UnsafeRawBufferPointer(b)
                return ASCIIProjection.hasNonASCII(raw) ? ASCIIProjection.contains(raw, json: false, needle) : needle.isIn(raw)
            }
        }
        let h = Array(folded(hay).utf8)
        let n = Array(foldedNeedle.utf8)
        return h.withUnsafeBytes { ByteSearch.contains($0, n) }
    }
}
