/// The readable text of an HTML part, for the content view: HTML is never rendered and nothing
/// it names is fetched.
///
/// Tags are dropped; `script`, `style`, `head` and `title` are dropped with their content, and
/// so are comments; block elements (`p`, `div`, `br`, `tr`, `li`, headings, …) become line
/// breaks; a link's target is kept after its text as `[https://…]`, since where a link really
/// goes is what a moderator needs to see; character references (`&amp;`, `&#233;`, `&#xE9;`)
/// are decoded, and an invalid one becomes U+FFFD. Runs of spaces collapse to one and at most one
/// empty line separates blocks. One pass; an unterminated tag or comment ends the text.
public enum HTMLText {
    /// The text of `html`.
    /// - Complexity: O(*n*).
    public static func text(_ html: String) -> String {
        let s = Array(html.unicodeScalars)
        let n = s.count
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var newlines = 2  // at the start, as after a block: no leading blank lines
        var pendingLink: String?

        func emit(_ u: Unicode.Scalar) {
            if u == " " || u == "\t" || u == "\n" || u == "\r" || u == "\u{0C}" {
                pendingSpace = true
                return
            }
            if pendingSpace, newlines == 0 { out.append(" ") }
            pendingSpace = false
            out.append(u)
            newlines = 0
        }
        func emitText(_ t: String) { for u in t.unicodeScalars { emit(u) } }
        func lineBreak(_ count: Int) {
            pendingSpace = false
            while newlines < count {
                out.append("\n")
                newlines += 1
            }
        }

        var i = 0
        while i < n {
            let c = s[i]
            if c == "<", i + 1 < n, s[i + 1] == "/" || s[i + 1] == "!" || s[i + 1] == "?" || s[i + 1].properties.isAlphabetic {
                // Comment.
                if i + 3 < n, s[i + 1] == "!", s[i + 2] == "-", s[i + 3] == "-" {
                    i = find("-->", in: s, from: i + 4).map { $0 + 3 } ?? n
                    continue
                }
                guard let close = findTagEnd(s, from: i + 1) else { break }
                let tag = tagName(s, from: i + 1, to: close)
                let name = tag.name
                if !tag.closing, ["script", "style", "head", "title", "template"].contains(name) {
                    // Skip to the matching end tag.
                    i = findEndTag(name, in: s, from: close + 1) ?? n
                    continue
                }
                switch name {
                case "br":
                    lineBreak(min(2, newlines + 1))
                case "p", "div", "tr", "table", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "section", "article", "header", "footer":
                    lineBreak(name == "p" || name.hasPrefix("h") || name == "blockquote" ? 2 : 1)
                case "li":
                    lineBreak(1)
                    if !tag.closing { emitText("• ") }
                case "td", "th":
                    if !tag.closing { pendingSpace = true }
                case "a":
                    if tag.closing {
                        if let link = pendingLink { emitText(" [\(link)]") }
                        pendingLink = nil
                    } else {
                        pendingLink = attribute("href", in: s, from: i + 1, to: close).map(decodeReferences)
                        if pendingLink?.isEmpty == true { pendingLink = nil }
                    }
                case "img":
                    if let alt = attribute("alt", in: s, from: i + 1, to: close).map(decodeReferences), !alt.isEmpty {
                        emitText("[image: \(alt)]")
                    }
                default:
                    break
                }
                i = close + 1
                continue
            }
            if c == "&" {
                let (text, next) = reference(s, at: i)
                emitText(text)
                i = next
                continue
            }
            emit(c)
            i += 1
        }
        if let link = pendingLink { emitText(" [\(link)]") }
        var text = String(out)
        while text.last == "\n" { text.removeLast() }
        return text
    }

    // MARK: Tags

    /// The index of the `>` that ends the tag starting before `from` (quotes respected).
    static func findTagEnd(_ s: [Unicode.Scalar], from: Int) -> Int? {
        var quote: Unicode.Scalar?
        var i = from
        while i < s.count {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return i
            }
            i += 1
        }
        return nil
    }

    static func tagName(_ s: [Unicode.Scalar], from: Int, to end: Int) -> (name: String, closing: Bool) {
        var i = from
        var closing = false
        if i < end, s[i] == "/" {
            closing = true
            i += 1
        }
        var name = String.UnicodeScalarView()
        while i < end, name.count < 16, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) {
            name.append(s[i])
            i += 1
        }
        return (String(name).lowercased(), closing)
    }

    /// The index just after `</name ...>`, or nil when the element never ends.
    static func findEndTag(_ name: String, in s: [Unicode.Scalar], from: Int) -> Int? {
        var i = from
        while let lt = find("</", in: s, from: i) {
            let tag = tagName(s, from: lt + 1, to: min(s.count, lt + 2 + 16))
            if tag.closing, tag.name == name {
                return findTagEnd(s, from: lt + 2).map { $0 + 1 }
            }
            i = lt + 2
        }
        return nil
    }

    /// The value of attribute `name` in the tag between `from` and `end`.
    static func attribute(_ name: String, in s: [Unicode.Scalar], from: Int, to end: Int) -> String? {
        let tag = String(String.UnicodeScalarView(s[from..<end]))
        let lower = tag.lowercased()
        var search = lower.startIndex
        while let range = lower.range(of: name, range: search..<lower.endIndex) {
            search = range.upperBound
            // A whole attribute name: preceded by whitespace, followed by optional spaces and "=".
            if range.lowerBound > lower.startIndex {
                let before = lower[lower.index(before: range.lowerBound)]
                guard before == " " || before == "\t" || before == "\n" || before == "\r" else { continue }
            }
            var j = range.upperBound
            while j < lower.endIndex, lower[j] == " " { j = lower.index(after: j) }
            guard j < lower.endIndex, lower[j] == "=" else { continue }
            j = lower.index(after: j)
            while j < lower.endIndex, lower[j] == " " { j = lower.index(after: j) }
            guard j < lower.endIndex else { return nil }
            // Same offsets in the original-case text (lowercasing an ASCII-led tag keeps indices
            // only for ASCII; read by scalar offset instead).
            let offset = lower.unicodeScalars.distance(from: lower.unicodeScalars.startIndex, to: j)
            let rest = Array(tag.unicodeScalars.dropFirst(offset))
            guard let first = rest.first else { return nil }
            var value = String.UnicodeScalarView()
            if first == "\"" || first == "'" {
                for u in rest.dropFirst() {
                    if u == first { break }
                    value.append(u)
                }
            } else {
                for u in rest {
                    if u == " " || u == "\t" || u == ">" || u == "/" && value.isEmpty { break }
                    value.append(u)
                }
            }
            return MimeParameters.trim(String(value))
        }
        return nil
    }

    static func find(_ needle: String, in s: [Unicode.Scalar], from: Int) -> Int? {
        let n = Array(needle.unicodeScalars)
        guard !n.isEmpty, s.count >= n.count else { return nil }
        var i = from
        while i + n.count <= s.count {
            if s[i] == n[0] {
                var k = 1
                while k < n.count, s[i + k] == n[k] { k += 1 }
                if k == n.count { return i }
            }
            i += 1
        }
        return nil
    }

    // MARK: Character references

    /// Decodes the character references in `s` (attribute values).
    static func decodeReferences(_ s: String) -> String {
        guard s.contains("&") else { return s }
        let a = Array(s.unicodeScalars)
        var out = ""
        var i = 0
        while i < a.count {
            if a[i] == "&" {
                let (text, next) = reference(a, at: i)
                out += text
                i = next
            } else {
                out.unicodeScalars.append(a[i])
                i += 1
            }
        }
        return out
    }

    /// The text of the reference at `i` (`&…;`) and the index after it; a lone `&` is itself.
    static func reference(_ s: [Unicode.Scalar], at i: Int) -> (String, Int) {
        var j = i + 1
        var body = String.UnicodeScalarView()
        while j < s.count, j - i <= 32, s[j] != ";", s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) || s[j] == "#" {
            body.append(s[j])
            j += 1
        }
        let name = String(body)
        let terminated = j < s.count && s[j] == ";"
        let next = terminated ? j + 1 : j
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = digits.count > 1 && digits.count <= 9 ? UInt32(digits.dropFirst(), radix: 16) : nil
            } else {
                value = !digits.isEmpty && digits.count <= 9 ? UInt32(digits) : nil
            }
            guard let value else { return ("&", i + 1) }
            // Invalid code points (0, surrogates, beyond U+10FFFF) become U+FFFD, as HTML says.
            guard value != 0, let u = Unicode.Scalar(value) else { return ("\u{FFFD}", next) }
            if value >= 0x80, value <= 0x9F, let mapped = Unicode.Scalar(MessageHeaders.Charset.cp1252High[Int(value - 0x80)]) {
                return (String(mapped), next)
            }
            return (String(u), next)
        }
        if let u = namedReferences[name] { return (String(u), next) }
        return ("&", i + 1)
    }

    /// The named references mail uses (HTML's full table has 2,000; these cover Latin-1,
    /// typography and currency). An unknown name is left as written.
    static let namedReferences: [String: Unicode.Scalar] = {
        var table: [String: Unicode.Scalar] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
            "ensp": " ", "emsp": " ", "thinsp": " ", "zwnj": "\u{200C}", "zwj": "\u{200D}",
            "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "sbquo": "‚", "ldquo": "“", "rdquo": "”",
            "bdquo": "„", "bull": "•", "hellip": "…", "prime": "′", "Prime": "″", "lsaquo": "‹", "rsaquo": "›",
            "euro": "€", "trade": "™", "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "dagger": "†",
            "Dagger": "‡", "permil": "‰", "OElig": "Œ", "oelig": "œ", "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ",
            "fnof": "ƒ", "circ": "ˆ", "tilde": "˜",
        ]
        // U+00A1–U+00FF by their HTML names, in code point order.
        let latin1 = ["iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not",
                      "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil",
                      "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc", "Atilde",
                      "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc",
                      "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave",
                      "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml",
                      "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
                      "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute",
                      "ucirc", "uuml", "yacute", "thorn", "yuml"]
        for (k, name) in latin1.enumerated() {
            if let u = Unicode.Scalar(0xA1 + UInt32(k)) { table[name] = u }
        }
        return table
    }()
}
