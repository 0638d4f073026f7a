import PrivacyOps

/// Width-aware helpers over ``TerminalText`` used by every widget.
enum TextFitting {
    /// `text` sanitised to one visible line.
    static func clean(_ text: String) -> String { TerminalText.sanitize(text) }

    /// Display columns of `text`.
    static func width(_ text: String) -> Int { TerminalText.width(text) }

    /// `text` cut with "…" when wider than `width`, then padded to exactly `width` columns.
    /// Assumes `text` is already sanitised.
    static func fit(_ text: String, width: Int, alignRight: Bool = false) -> String {
        guard width > 0 else { return "" }
        let cut = TerminalText.width(text) > width ? TerminalText.truncate(text, toWidth: width) : text
        return TerminalText.pad(cut, toWidth: width, alignRight: alignRight)
    }

    /// `text` cut with "…" when wider than `width`; not padded.
    static func clip(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        return TerminalText.width(text) > width ? TerminalText.truncate(text, toWidth: width) : text
    }

    /// Word-wraps sanitised `text` into lines of at most `width` columns; a word wider than
    /// the line is cut by width.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            var w = TerminalText.width(word)
            while w > width {
                // Break an overlong word by columns.
                if !current.isEmpty { lines.append(current); current = ""; currentWidth = 0 }
                var head = "", headWidth = 0
                var rest = Substring(word)
                while let c = rest.first, headWidth + DisplayWidth.of(c) <= width {
                    head.append(c)
                    headWidth += DisplayWidth.of(c)
                    rest = rest.dropFirst()
                }
                if head.isEmpty { break }
                lines.append(head)
                word = String(rest)
                w = TerminalText.width(word)
            }
            if word.isEmpty { continue }
            if current.isEmpty {
                current = word
                currentWidth = w
            } else if currentWidth + 1 + w <= width {
                current += " " + word
                currentWidth += 1 + w
            } else {
                lines.append(current)
                current = word
                currentWidth = w
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// `n` with thousands separators: 1,000,000.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
