import Foundation

/// The header section of an RFC 5322 message, parsed narrowly by hand.
///
/// Headers end at the first empty line (`CRLF CRLF` or `LF LF`); folded lines (a continuation
/// starting with a space or tab) are unfolded by removing the line break and keeping the
/// whitespace. A field whose bytes are not valid UTF-8 is decoded as Latin-1, so no byte is lost
/// or replaced. Lines before the empty line that are neither a field nor a continuation (such as
/// an mbox `From ` line) are skipped.
public struct MessageHeaders: Sendable {
    /// One header field as it appears in the message: its name and its unfolded value, trimmed,
    /// with RFC 2047 encoded words still encoded.
    public struct Field: Sendable, Equatable {
        /// The field name as written (`Subject`, `X-Mailer`).
        public var name: String
        /// The unfolded, trimmed value, encoded words not decoded.
        public var rawValue: String

        /// Creates a field.
        public init(name: String, rawValue: String) {
            self.name = name
            self.rawValue = rawValue
        }
    }

    /// Every field, in message order.
    public var fields: [Field]
    /// The byte offset where the body starts: just after the empty line that ends the headers,
    /// or the message's length when there is no empty line (a message without a body).
    public var bodyOffset: Int

    /// Creates headers from fields.
    public init(fields: [Field], bodyOffset: Int) {
        self.fields = fields
        self.bodyOffset = bodyOffset
    }

    /// Parses the header section of a message.
    /// - Complexity: O(*n*) in the size of the header section; the body is not read.
    public static func parse(_ bytes: [UInt8]) -> MessageHeaders {
        var fields: [Field] = []
        var name: ArraySlice<UInt8>?
        var value: [UInt8] = []
        var bodyOffset = bytes.count
        let count = bytes.count

        func flush() {
            guard let current = name else { return }
            fields.append(Field(name: latin1OrUTF8(current), rawValue: trimWSP(latin1OrUTF8(value[...]))))
            name = nil
            value.removeAll(keepingCapacity: true)
        }

        var i = 0
        while i < count {
            var lineEnd = i
            while lineEnd < count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = lineEnd < count ? lineEnd + 1 : count
            var contentEnd = lineEnd
            if contentEnd > i, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == i {
                // The empty line: headers end, the body starts after it.
                bodyOffset = next
                break
            }
            let first = bytes[i]
            if first == 0x20 || first == 0x09 {
                if name != nil { value.append(contentsOf: bytes[i..<contentEnd]) }
            } else {
                flush()
                if let colon = bytes[i..<contentEnd].firstIndex(of: 0x3A) {
                    var nameEnd = colon
                    while nameEnd > i, bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09 {
                        nameEnd -= 1
                    }
                    let candidate = bytes[i..<nameEnd]
                    if !candidate.isEmpty, candidate.allSatisfy({ $0 >= 33 && $0 <= 126 }) {
                        name = candidate
                        value.append(contentsOf: bytes[(colon + 1)..<contentEnd])
                    }
                }
            }
            i = next
        }
        flush()
        return MessageHeaders(fields: fields, bodyOffset: bodyOffset)
    }

    /// The value of the first field named `name` (case-insensitive), unfolded, trimmed and with
    /// RFC 2047 encoded words decoded; `nil` if there is no such field.
    public func value(_ name: String) -> String? {
        let wanted = name.lowercased()
        for field in fields where field.name.lowercased() == wanted {
            return Self.decodeEncodedWords(field.rawValue)
        }
        return nil
    }

    /// The values of every field named `name` (case-insensitive), in message order, decoded as
    /// ``value(_:)`` does.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map {
            Self.decodeEncodedWords($0.rawValue)
        }
    }

    // MARK: - Byte decoding

    /// UTF-8 if `bytes` are valid UTF-8, else Latin-1 (each byte one scalar).
    static func latin1OrUTF8(_ bytes: ArraySlice<UInt8>) -> String {
        if isValidUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return latin1(bytes)
    }

    static func isValidUTF8(_ bytes: some Sequence<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func latin1(_ bytes: some Sequence<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    static func trimWSP(_ s: String) -> String {
        var view = Substring(s)
        while let c = view.first, c == " " || c == "\t" { view.removeFirst() }
        while let c = view.last, c == " " || c == "\t" { view.removeLast() }
        return String(view)
    }
}

// MARK: - RFC 2047 encoded words

extension MessageHeaders {
    /// Decodes RFC 2047 encoded words (`=?charset?B?text?=` or `=?charset?Q?text?=`) in `s`.
    ///
    /// Charsets: UTF-8, ISO-8859-1 (Latin-1), Windows-1252, US-ASCII and ISO-8859-15 (an RFC 2231
    /// language suffix such as `*en` is ignored). Whitespace between two adjacent encoded words is
    /// removed; adjacent words in the same charset are decoded together, so a character split
    /// across two words survives. In Q encoding `_` is a space. A malformed word (bad Base64, bad
    /// `=XX`, unknown charset, unterminated) is left as written.
    public static func decodeEncodedWords(_ s: String) -> String {
        guard s.contains("=?") else { return s }
        let b = Array(s.utf8)
        let n = b.count
        var out = ""
        var raw: [UInt8] = []
        var pending: [UInt8] = []
        var pendingCharset: Charset?

        func flushRaw() {
            if !raw.isEmpty {
                out.append(String(decoding: raw, as: UTF8.self))
                raw.removeAll(keepingCapacity: true)
            }
        }
        func flushPending() {
            if let charset = pendingCharset {
                out.append(charset.decode(pending))
                pending.removeAll(keepingCapacity: true)
                pendingCharset = nil
            }
        }

        var i = 0
        var afterWord = false
        while i < n {
            if let word = encodedWord(b, at: i) {
                flushRaw()
                if pendingCharset != word.charset { flushPending() }
                pendingCharset = word.charset
                pending.append(contentsOf: word.bytes)
                afterWord = true
                i = word.end
                continue
            }
            if afterWord, b[i] == 0x20 || b[i] == 0x09 {
                var j = i
                while j < n, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                if j < n, encodedWord(b, at: j) != nil {
                    i = j  // whitespace between adjacent encoded words is dropped
                    continue
                }
                flushPending()
                raw.append(contentsOf: b[i..<j])
                afterWord = false
                i = j
                continue
            }
            flushPending()
            afterWord = false
            raw.append(b[i])
            i += 1
        }
        flushPending()
        flushRaw()
        return out
    }

    /// A decoded encoded word starting at `start`, or `nil` if none valid starts there.
    static func encodedWord(
        _ b: [UInt8], at start: Int
    ) -> (charset: Charset, bytes: [UInt8], end: Int)? {
        let n = b.count
        guard start + 1 < n, b[start] == 0x3D, b[start + 1] == 0x3F else { return nil }
        // charset
        var i = start + 2
        let charsetStart = i
        while i < n, b[i] != 0x3F {
            if b[i] <= 0x20 || b[i] >= 0x7F || i - charsetStart > 40 { return nil }
            i += 1
        }
        guard i < n, i > charsetStart else { return nil }
        var charsetName = String(decoding: b[charsetStart..<i], as: UTF8.self).lowercased()
        if let star = charsetName.firstIndex(of: "*") { charsetName = String(charsetName[..<star]) }
        guard let charset = Charset(name: charsetName) else { return nil }
        // encoding
        i += 1
        guard i + 1 < n, b[i + 1] == 0x3F else { return nil }
        let encoding = b[i] | 0x20
        guard encoding == 0x62 || encoding == 0x71 else { return nil }
        i += 2
        // encoded text, up to "?="
        let textStart = i
        while i < n, b[i] != 0x3F {
            if b[i] <= 0x20 || b[i] >= 0x7F { return nil }
            i += 1
        }
        guard i + 1 < n, b[i + 1] == 0x3D else { return nil }
        let text = b[textStart..<i]
        let decoded = encoding == 0x62 ? base64Decode(text) : qDecode(text)
        guard let bytes = decoded else { return nil }
        return (charset, bytes, i + 2)
    }

    static func base64Value(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x41...0x5A: UInt32(c - 0x41)
        case 0x61...0x7A: UInt32(c - 0x61 + 26)
        case 0x30...0x39: UInt32(c - 0x30 + 52)
        case 0x2B: 62
        case 0x2F: 63
        default: nil
        }
    }

    /// Base64 with or without `=` padding; `nil` on any other character or a dangling sextet.
    static func base64Decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var body = text
        while body.last == 0x3D { body.removeLast() }
        guard text.count - body.count <= 2 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(body.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for c in body {
            guard let v = base64Value(c) else { return nil }
            accumulator = (accumulator << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        guard body.count % 4 != 1 else { return nil }
        return out
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    /// RFC 2047 Q encoding: `_` is a space, `=XX` a byte; `nil` on a bad `=` escape.
    static func qDecode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == 0x5F {
                out.append(0x20)
            } else if c == 0x3D {
                guard i + 2 < text.endIndex, let high = hexValue(text[i + 1]),
                    let low = hexValue(text[i + 2])
                else { return nil }
                out.append(high << 4 | low)
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    /// The character sets understood in encoded words.
    enum Charset: Equatable {
        case utf8, latin1, windows1252, latin9, ascii

        init?(name: String) {
            switch name {
            case "utf-8", "utf8": self = .utf8
            case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819",
                "iso-ir-100":
                self = .latin1
            case "windows-1252", "cp1252", "x-cp1252", "win-1252": self = .windows1252
            case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin9", "latin-9", "l9": self = .latin9
            case "us-ascii", "ascii", "us", "ansi_x3.4-1968": self = .ascii
            default: return nil
            }
        }

        func decode(_ bytes: [UInt8]) -> String {
            switch self {
            case .utf8:
                return String(decoding: bytes, as: UTF8.self)
            case .latin1, .ascii:
                return MessageHeaders.latin1(bytes)
            case .windows1252:
                var scalars = String.UnicodeScalarView()
                for byte in bytes {
                    if byte >= 0x80, byte <= 0x9F,
                        let s = Unicode.Scalar(Charset.cp1252High[Int(byte - 0x80)])
                    {
                        scalars.append(s)
                    } else {
                        scalars.append(Unicode.Scalar(byte))
                    }
                }
                return String(scalars)
            case .latin9:
                var scalars = String.UnicodeScalarView()
                for byte in bytes {
                    let mapped: UInt32 =
                        switch byte {
                        case 0xA4: 0x20AC
                        case 0xA6: 0x0160
                        case 0xA8: 0x0161
                        case 0xB4: 0x017D
                        case 0xB8: 0x017E
                        case 0xBC: 0x0152
                        case 0xBD: 0x0153
                        case 0xBE: 0x0178
                        default: UInt32(byte)
                        }
                    scalars.append(Unicode.Scalar(mapped) ?? Unicode.Scalar(byte))
                }
                return String(scalars)
            }
        }

        /// Windows-1252 bytes 0x80–0x9F (undefined ones map to the C1 code point, as WHATWG).
        static let cp1252High: [UInt32] = [
            0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
            0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
            0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
            0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
        ]
    }
}

// MARK: - Dates

extension MessageHeaders {
    /// Parses an RFC 5322 date-time such as `Tue, 1 Jul 2003 10:52:37 +0200`.
    ///
    /// The day name is optional; seconds are optional; the zone may be numeric (`+0200`,
    /// `-0500`) or obsolete (`UT`, `GMT`, `Z`, `EST`, `EDT`, `CST`, `CDT`, `MST`, `MDT`, `PST`,
    /// `PDT`, `UTC`; military letters and unknown names count as `-0000`, that is UTC, as RFC 5322
    /// §4.3 asks); a missing zone is taken as UTC. Comments in parentheses (`(PDT)`, nested too) are ignored. Two-digit years are
    /// 2000–2049 or 1950–1999, three-digit years 1900 + the value. Returns `nil` when the
    /// string is not such a date or names an impossible one (31 April, 25:00).
    public static func parseDate(_ s: String) -> Date? {
        // Drop comments, turn commas into spaces.
        var cleaned: [UInt8] = []
        var depth = 0
        var escaped = false
        for byte in s.utf8 {
            if depth > 0 {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x28 {
                    depth += 1
                } else if byte == 0x29 {
                    depth -= 1
                }
                continue
            }
            if byte == 0x28 {
                depth = 1
                cleaned.append(0x20)
            } else if byte == 0x2C {
                cleaned.append(0x20)
            } else {
                cleaned.append(byte)
            }
        }
        let tokens = cleaned.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A })
        guard !tokens.isEmpty else { return nil }
        var t = 0
        if let firstByte = tokens[0].first, isAlpha(firstByte) {
            guard dayName(tokens[0]) else { return nil }
            t += 1
        }
        guard tokens.count - t >= 4 else { return nil }
        guard let day = number(tokens[t], maxDigits: 2), day >= 1 else { return nil }
        guard let month = monthNumber(tokens[t + 1]) else { return nil }
        guard var year = number(tokens[t + 2], maxDigits: 4) else { return nil }
        switch tokens[t + 2].count {
        case 2: year += year < 50 ? 2000 : 1900
        case 3: year += 1900
        case 4: break
        default: return nil
        }
        guard day <= daysIn(month: month, year: year) else { return nil }
        let timeParts = tokens[t + 3].split(separator: 0x3A, omittingEmptySubsequences: false)
        guard timeParts.count == 2 || timeParts.count == 3,
            let hour = number(timeParts[0], maxDigits: 2), hour <= 23,
            let minute = number(timeParts[1], maxDigits: 2), minute <= 59
        else { return nil }
        var second = 0
        if timeParts.count == 3 {
            guard let value = number(timeParts[2], maxDigits: 2), value <= 60 else { return nil }
            second = value
        }
        var offset = 0
        if tokens.count > t + 4 {
            guard let zone = zoneOffset(tokens[t + 4]) else { return nil }
            offset = zone
        }
        let days = BusinessDays.dayNumber(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static func isAlpha(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= 0x61 && lower <= 0x7A
    }

    static func lowerASCII(_ token: ArraySlice<UInt8>) -> String {
        String(decoding: token.map { isAlpha($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    static func number(_ token: ArraySlice<UInt8>, maxDigits: Int) -> Int? {
        guard !token.isEmpty, token.count <= maxDigits else { return nil }
        var value = 0
        for byte in token {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    static func dayName(_ token: ArraySlice<UInt8>) -> Bool {
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        let full = [
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        ]
        let word = lowerASCII(token)
        return names.contains(word) || full.contains(word)
    }

    static func monthNumber(_ token: ArraySlice<UInt8>) -> Int? {
        let names = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ]
        let word = lowerASCII(token)
        guard word.utf8.count >= 3, let index = names.firstIndex(of: String(word.prefix(3))) else {
            return nil
        }
        return index + 1
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Seconds east of UTC for a zone token, or `nil` if it is not a zone.
    static func zoneOffset(_ token: ArraySlice<UInt8>) -> Int? {
        guard let first = token.first else { return nil }
        if first == 0x2B || first == 0x2D {
            let digits = token.dropFirst()
            guard digits.count == 4, let hhmm = number(digits, maxDigits: 4) else { return nil }
            let hours = hhmm / 100
            let minutes = hhmm % 100
            guard minutes <= 59 else { return nil }
            let seconds = hours * 3600 + minutes * 60
            return first == 0x2D ? -seconds : seconds
        }
        guard token.allSatisfy(isAlpha) else { return nil }
        switch lowerASCII(token) {
        case "ut", "gmt", "utc", "z": return 0
        case "est": return -5 * 3600
        case "edt": return -4 * 3600
        case "cst": return -6 * 3600
        case "cdt": return -5 * 3600
        case "mst": return -7 * 3600
        case "mdt": return -6 * 3600
        case "pst": return -8 * 3600
        case "pdt": return -7 * 3600
        // Military letters and unknown names: RFC 5322 §4.3 says to treat them as "-0000".
        default: return 0
        }
    }
}
