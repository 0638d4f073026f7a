import PrivacyOps

/// Display widths of single grapheme clusters, for the cell grid. Strings are measured with
/// ``TerminalText/width(_:)``; this adds a fast path for printable ASCII, which is most cells.
enum DisplayWidth {
    /// Columns taken by `character`: 0, 1 or 2.
    static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return 1 }
        return max(0, min(2, TerminalText.width(String(character))))
    }

    /// Whether `character` holds a C0 or C1 control character or DEL, which must never reach
    /// a terminal raw.
    static func isControl(_ character: Character) -> Bool {
        for scalar in character.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v < 0xA0) { return true }
        }
        return false
    }
}
