/// A structured MIME header value such as `text/plain; charset="iso-8859-1"` or
/// `attachment; filename*=UTF-8''na%C3%AFve.txt`: the value before the first `;`, lower-cased,
/// and its parameters (RFC 2045 §5.1, with RFC 2231 continuations and charsets).
///
/// Parsing is narrow and never fails: a parameter that cannot be read is skipped. Parameter
/// names are lower-cased; values are unquoted (`\"` is a quote), RFC 2231 values percent-decoded
/// in their charset, and RFC 2047 encoded words (which some mailers put in file names) decoded.
public struct MimeParameters: Sendable, Equatable {
    /// The value before the first `;`, lower-cased and trimmed (`text/plain`, `attachment`).
    public var value: String
    /// Parameters by lower-cased name, continuations joined.
    public var parameters: [String: String]

    /// At most this many parameters are read from one field (hostile mail can write thousands).
    static let maxParameters = 64

    /// Parses a field value; `nil` gives an empty value and no parameters.
    public init(_ field: String?) {
        guard let field else {
            value = ""
            parameters = [:]
            return
        }
        let segments = Self.splitOutsideQuotes(field)
        value = Self.trim(Self.dropComments(segments.first ?? "")).lowercased()
        parameters = [:]
        var plain: [String: String] = [:]
        // name -> [(index, encoded, text)] for RFC 2231 sections and charset-marked values.
        var sections: [String: [(index: Int, encoded: Bool, text: String)]] = [:]
        for segment in segments.dropFirst().prefix(Self.maxParameters) {
            guard let eq = segment.firstIndex(of: "=") else { continue }
            var name = Self.trim(String(segment[..<eq])).lowercased()
            let rawValue = Self.unquote(Self.trim(String(segment[segment.index(after: eq)...])))
            guard !name.isEmpty, name.utf8.count <= 80 else { continue }
            var encoded = false
            if name.hasSuffix("*") {
                encoded = true
                name.removeLast()
            }
            if let star = name.firstIndex(of: "*") {
                let base = String(name[..<star])
                guard let index = Int(name[name.index(after: star)...]), index >= 0, index < 1000 else { continue }
                sections[base, default: []].append((index, encoded, rawValue))
            } else if encoded {
                sections[name, default: []].append((0, true, rawValue))
            } else if plain[name] == nil {
                plain[name] = rawValue
            }
        }
        for (name, parts) in sections {
            let ordered = parts.sorted { $0.index < $1.index }
            var charset: String?
            var bytes: [UInt8] = []
            for (n, part) in ordered.enumerated() {
                var text = Substring(part.text)
                if part.encoded, n == 0 {
                    // charset'language'value
                    let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if pieces.count == 3 {
                        charset = String(pieces[0])
                        text = pieces[2]
                    }
                }
                if part.encoded {
                    bytes += Self.percentDecode(text.utf8)
                } else {
                    bytes += Array(text.utf8)
                }
            }
            let decoded = MimeCharset(name: charset ?? "utf-8").decode(bytes).text
            parameters[name] = decoded
        }
        for (name, text) in plain where parameters[name] == nil {
            parameters[name] = MessageHeaders.decodeEncodedWords(text)
        }
    }

    /// The parameter `name` (lower-case).
    public subscript(_ name: String) -> String? { parameters[name] }

    // MARK: Pieces

    /// Splits at `;` outside double quotes.
    static func splitOutsideQuotes(_ s: String) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        var quoted = false
        var escaped = false
        for byte in s.utf8 {
            if escaped {
                escaped = false
                current.append(byte)
                continue
            }
            if quoted, byte == 0x5C {
                escaped = true
                current.append(byte)
                continue
            }
            if byte == 0x22 { quoted.toggle() }
            if byte == 0x3B, !quoted {
                out.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                continue
            }
            current.append(byte)
        }
        out.append(String(decoding: current, as: UTF8.self))
        return out
    }

    /// `s` without `(comments)` outside quotes.
    static func dropComments(_ s: String) -> String {
        guard s.contains("(") else { return s }
        var out = String.UnicodeScalarView()
        var depth = 0
        for u in s.unicodeScalars {
            if u == "(" { depth += 1; continue }
            if u == ")", depth > 0 { depth -= 1; continue }
            if depth == 0 { out.append(u) }
        }
        return String(out)
    }

    /// A quoted string's content (`\x` is `x`), or `s` itself when it is not quoted.
    static func unquote(_ s: String) -> String {
        guard s.hasPrefix("\"") else { return trim(dropComments(s)) }
        var out = String.UnicodeScalarView()
        var escaped = false
        for u in s.unicodeScalars.dropFirst() {
            if escaped {
                out.append(u)
                escaped = false
            } else if u == "\\" {
                escaped = true
            } else if u == "\"" {
                break
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    static func percentDecode(_ text: Substring.UTF8View) -> [UInt8] {
        var out: [UInt8] = []
        var it = Array(text)[...]
        while let c = it.popFirst() {
            if c == 0x25, it.count >= 2, let high = MessageHeaders.hexValue(it[it.startIndex]),
               let low = MessageHeaders.hexValue(it[it.startIndex + 1]) {
                out.append(high << 4 | low)
                it = it.dropFirst(2)
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// `s` without leading and trailing spaces, tabs and line breaks.
    static func trim(_ s: String) -> String {
        var view = Substring(s)
        while let c = view.first, c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\r\n" { view.removeFirst() }
        while let c = view.last, c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\r\n" { view.removeLast() }
        return String(view)
    }
}
