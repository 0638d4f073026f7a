import Foundation

/// Reads top-level string fields out of a record's JSON bytes without a full decode: the fast
/// path for filtering a million customers.
struct RawJSON {
    let bytes: UnsafeRawBufferPointer

    /// The decoded string values of `keys` (in any order) found at the top level.
    func strings(_ keys: [String]) -> [String: String] {
        var out: [String: String] = [:]
        let wanted = keys.map { Array($0.utf8) }
        forEachTopLevel { keyStart, keyEnd, valueStart, valueEnd in
            let keyLen = keyEnd - keyStart
            for (k, w) in wanted.enumerated() where w.count == keyLen {
                var same = true
                for j in 0..<keyLen where bytes[keyStart + j] != w[j] { same = false; break }
                if same, bytes[valueStart] == UInt8(ascii: "\"") {
                    out[keys[k]] = decodeString(from: valueStart, to: valueEnd)
                }
            }
            return true
        }
        return out
    }

    /// The strings of the top-level array `key`, or nil when it is absent, empty or not an array
    /// of strings.
    func stringArray(_ key: String) -> [String]? {
        let wanted = Array(key.utf8)
        var out: [String]?
        forEachTopLevel { keyStart, keyEnd, valueStart, valueEnd in
            guard keyEnd - keyStart == wanted.count,
                  wanted.indices.allSatisfy({ bytes[keyStart + $0] == wanted[$0] }) else { return true }
            if bytes[valueStart] == UInt8(ascii: "["), valueEnd - valueStart > 2 {
                let data = Data(UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd]))
                out = try? JSONDecoder().decode([String].self, from: data)
            }
            return false
        }
        return out
    }

    /// Calls `body` with the key (without quotes) and value ranges of each top-level member, in
    /// order, until it returns false.
    func forEachTopLevel(_ body: (_ keyStart: Int, _ keyEnd: Int, _ valueStart: Int, _ valueEnd: Int) -> Bool) {
        var i = 0
        let n = bytes.count
        guard n > 1, bytes[0] == UInt8(ascii: "{") else { return }
        i = 1
        while i < n {
            skipSpace(&i)
            guard i < n, bytes[i] == UInt8(ascii: "\"") else { return }
            let keyStart = i + 1
            guard let keyEnd = stringEnd(from: i) else { return }
            i = keyEnd + 1
            skipSpace(&i)
            guard i < n, bytes[i] == UInt8(ascii: ":") else { return }
            i += 1
            skipSpace(&i)
            let valueStart = i
            guard skipValue(&i) else { return }
            if !body(keyStart, keyEnd, valueStart, i) { return }
            skipSpace(&i)
            if i < n, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            return
        }
    }

    func skipSpace(_ i: inout Int) {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
    }

    /// Index of the closing quote of the string starting at `from`.
    func stringEnd(from: Int) -> Int? {
        var i = from + 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\") { i += 2; continue }
            if b == UInt8(ascii: "\"") { return i }
            i += 1
        }
        return nil
    }

    private func skipValue(_ i: inout Int) -> Bool {
        guard i < bytes.count else { return false }
        let b = bytes[i]
        if b == UInt8(ascii: "\"") {
            guard let e = stringEnd(from: i) else { return false }
            i = e + 1
            return true
        }
        if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
            var depth = 0
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    guard let e = stringEnd(from: i) else { return false }
                    i = e + 1
                    continue
                }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { i += 1; return true }
                }
                i += 1
            }
            return false
        }
        while i < bytes.count, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "}") { i += 1 }
        return true
    }

    /// The range of the top-level member `key`'s value when it is a string (quotes included);
    /// the last one when the key repeats.
    func stringRange(_ key: StaticString) -> Range<Int>? {
        var found: Range<Int>?
        forEachTopLevel { keyStart, keyEnd, valueStart, valueEnd in
            if keyEnd - keyStart == key.utf8CodeUnitCount, memcmp(bytes.baseAddress! + keyStart, key.utf8Start, keyEnd - keyStart) == 0 {
                found = bytes[valueStart] == UInt8(ascii: "\"") ? valueStart..<valueEnd : nil
            }
            return true
        }
        return found
    }

    /// Printable ASCII without a backslash: a string literal's inside that is its own value.
    @inline(__always)
    static func isPlainASCII(_ b: UnsafeRawBufferPointer) -> Bool {
        for c in b where c < 0x20 || c >= 0x7F || c == UInt8(ascii: "\\") { return false }
        return true
    }

    /// The insides of the strings of an array literal spanning `range`, when every element is a
    /// plain ASCII string (see ``isPlainASCII(_:)``); nil otherwise.
    func plainStringElements(_ range: Range<Int>) -> [Range<Int>]? {
        var out: [Range<Int>] = []
        var i = range.lowerBound + 1
        let end = range.upperBound - 1  // the closing bracket
        while i < end {
            skipSpace(&i)
            guard i < end, bytes[i] == UInt8(ascii: "\""), let close = stringEnd(from: i) else { return nil }
            let inner = (i + 1)..<close
            guard Self.isPlainASCII(UnsafeRawBufferPointer(rebasing: bytes[inner])) else { return nil }
            out.append(inner)
            i = close + 1
            skipSpace(&i)
            if i < end, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            guard i == end else { return nil }
        }
        return out
    }

    /// The strings of an array literal spanning `range`, decoded; nil when an element is not a
    /// string.
    func stringElements(_ range: Range<Int>) -> [String]? {
        var out: [String] = []
        var i = range.lowerBound + 1
        let end = range.upperBound - 1  // the closing bracket
        while i < end {
            skipSpace(&i)
            guard i < end, bytes[i] == UInt8(ascii: "\""), let close = stringEnd(from: i) else { return nil }
            out.append(decodeString(from: i, to: close + 1))
            i = close + 1
            skipSpace(&i)
            if i < end, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            guard i == end else { return nil }
        }
        return out
    }

    /// Whether the array literal spanning `range` holds only strings (nothing decoded).
    func isStringArray(_ range: Range<Int>) -> Bool {
        var i = range.lowerBound + 1
        let end = range.upperBound - 1  // the closing bracket
        while i < end {
            skipSpace(&i)
            guard i < end, bytes[i] == UInt8(ascii: "\""), let close = stringEnd(from: i) else { return false }
            i = close + 1
            skipSpace(&i)
            if i < end, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            guard i == end else { return false }
        }
        return true
    }

    /// An array of strings spanning `range`, decoded; nil when it is something else.
    func decodeStringArray(_ range: Range<Int>) -> [String]? {
        let data = Data(UnsafeRawBufferPointer(rebasing: bytes[range]))
        return try? JSONDecoder().decode([String].self, from: data)
    }

    /// A customer read straight from the bytes, as `Customer(from:)` would decode it; nil when
    /// anything is unusual (escapes are fine; unexpected types or missing keys are not), and the
    /// caller then uses JSONDecoder.
    func customer() -> Customer? {
        var id: String?, name: String?, email: String?, createdAt: String?, updatedAt: String?
        var version: Int?, status: CustomerStatus?
        var phone: String?, address: String?
        var alternates: [String] = [], services: [String] = [], contactKeys: [String] = []
        var ok = true
        func string(_ v: Range<Int>) -> String? {
            guard bytes[v.lowerBound] == UInt8(ascii: "\""), v.count >= 2 else { ok = false; return nil }
            return decodeString(from: v.lowerBound, to: v.upperBound)
        }
        func optionalString(_ v: Range<Int>) -> String? {
            if isNull(v) { return nil }
            return string(v)
        }
        func strings(_ v: Range<Int>) -> [String] {
            if isNull(v) { return [] }
            guard bytes[v.lowerBound] == UInt8(ascii: "["), let a = stringElements(v) else { ok = false; return [] }
            return a
        }
        forEachTopLevel { ks, ke, vs, ve in
            let key = UnsafeRawBufferPointer(rebasing: bytes[ks..<ke])
            let v = vs..<ve
            switch key.count {
            case 2 where Self.equal(key, "id"): id = string(v)
            case 4 where Self.equal(key, "name"): name = string(v)
            case 5 where Self.equal(key, "email"): email = string(v)
            case 5 where Self.equal(key, "phone"): phone = optionalString(v)
            case 6 where Self.equal(key, "status"):
                guard let s = string(v), let st = CustomerStatus(rawValue: s) else { ok = false; break }
                status = st
            case 7 where Self.equal(key, "address"): address = optionalString(v)
            case 7 where Self.equal(key, "version"):
                guard let n = integer(v) else { ok = false; break }
                version = n
            case 8 where Self.equal(key, "services"): services = strings(v)
            case 10 where Self.equal(key, "created_at"): createdAt = string(v)
            case 10 where Self.equal(key, "updated_at"): updatedAt = string(v)
            case 12 where Self.equal(key, "contact_keys"): contactKeys = strings(v)
            case 16 where Self.equal(key, "alternate_emails"): alternates = strings(v)
            default: break
            }
            return ok
        }
        guard ok, let id, let version, let name, let email, let status, let createdAt, let updatedAt else { return nil }
        var c = Customer(id: id, version: version, name: name, email: "", status: status, services: services,
                         createdAt: createdAt, updatedAt: updatedAt)
        c.email = email
        c.alternateEmails = alternates
        c.phone = phone
        c.address = address
        c.contactKeys = contactKeys
        return c
    }

    @inline(__always)
    static func equal(_ key: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
    }

    private func isNull(_ v: Range<Int>) -> Bool {
        v.count == 4 && memcmp(bytes.baseAddress! + v.lowerBound, "null", 4) == 0
    }

    /// A plain decimal integer (an optional minus sign and digits), else nil.
    private func integer(_ v: Range<Int>) -> Int? {
        var i = v.lowerBound
        var negative = false
        if i < v.upperBound, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < v.upperBound, v.upperBound - i <= 18 else { return nil }
        var n = 0
        while i < v.upperBound {
            let d = bytes[i]
            guard d >= 0x30, d <= 0x39 else { return nil }
            n = n * 10 + Int(d - 0x30)
            i += 1
        }
        return negative ? -n : n
    }

    /// Decodes a JSON string literal spanning `from..<to` (quotes included).
    func decodeString(from: Int, to: Int) -> String {
        let inner = UnsafeRawBufferPointer(rebasing: bytes[(from + 1)..<(to - 1)])
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        let data = Data(UnsafeRawBufferPointer(rebasing: bytes[from..<to]))
        return (try? JSONDecoder().decode(String.self, from: data)) ?? String(decoding: inner, as: UTF8.self)
    }
}

/// Substring searches over raw bytes.
enum ByteSearch {
    /// ASCII case-insensitive: whether `hay` holds `needle` (lower-case ASCII) in any case.
    static func containsFolded(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        FoldedNeedle(needle).isIn(hay)
    }

    /// Exact substring search: as ``FoldedNeedle`` does it, without the folding.
    @inline(__always)
    static func contains(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        firstIndex(hay, needle) != nil
    }

    /// Where `needle` first occurs in `hay`, exactly.
    static func firstIndex(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Int? {
        let m = needle.count
        guard m > 0 else { return 0 }
        let n = hay.count
        guard n >= m, let p = hay.baseAddress else { return nil }
        return needle.withUnsafeBytes { nb in
            let q = nb.baseAddress!
            let first = SIMD16<UInt8>(repeating: needle[0]), last = SIMD16<UInt8>(repeating: needle[m - 1])
            var i = 0
            while i + 15 + m <= n {
                let a = p.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                let b = p.loadUnaligned(fromByteOffset: i + m - 1, as: SIMD16<UInt8>.self)
                let lanes = unsafeBitCast((a .== first) .& (b .== last), to: SIMD2<UInt64>.self)
                for half in 0..<2 {
                    var bits = lanes[half]
                    while bits != 0 {
                        let j = bits.trailingZeroBitCount >> 3
                        if memcmp(p + i + half * 8 + j, q, m) == 0 { return i + half * 8 + j }
                        bits &= ~(0xFF << UInt64(j << 3))
                    }
                }
                i += 16
            }
            while i + m <= n {
                if memcmp(p + i, q, m) == 0 { return i }
                i += 1
            }
            return nil
        }
    }
}

/// A lower-case ASCII needle for case-insensitive search, compiled once per query.
///
/// Sixteen positions at a time: a position is a candidate when the haystack bytes there and
/// `count - 1` further on equal the needle's first and last bytes with the 0x20 bit set (which
/// lower-cases ASCII letters, and lets a few other bytes through); candidates are compared in
/// full, folding only A–Z. Several GB/s, so most records are rejected before anything is made.
struct FoldedNeedle: Sendable {
    let bytes: [UInt8]
    private let first: SIMD16<UInt8>
    private let last: SIMD16<UInt8>

    init(_ needle: [UInt8]) {
        bytes = needle
        first = SIMD16(repeating: (needle.first ?? 0) | 0x20)
        last = SIMD16(repeating: (needle.last ?? 0) | 0x20)
    }

    @inline(__always)
    static func fold(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    func isIn(_ hay: UnsafeRawBufferPointer) -> Bool {
        let m = bytes.count
        guard m > 0 else { return true }
        let n = hay.count
        guard n >= m, let p = hay.baseAddress else { return false }
        return bytes.withUnsafeBufferPointer { needle in
            @inline(__always) func matchesAt(_ i: Int) -> Bool {
                var k = 0
                while k < m, Self.fold(p.load(fromByteOffset: i + k, as: UInt8.self)) == needle[k] { k += 1 }
                return k == m
            }
            let bit = SIMD16<UInt8>(repeating: 0x20)
            var i = 0
            while i + 15 + m <= n {
                let a = p.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) | bit
                let b = p.loadUnaligned(fromByteOffset: i + m - 1, as: SIMD16<UInt8>.self) | bit
                let lanes = unsafeBitCast((a .== first) .& (b .== last), to: SIMD2<UInt64>.self)
                var bits = lanes[0]
                while bits != 0 {
                    let j = bits.trailingZeroBitCount >> 3
                    if matchesAt(i + j) { return true }
                    bits &= ~(0xFF << UInt64(j << 3))
                }
                bits = lanes[1]
                while bits != 0 {
                    let j = bits.trailingZeroBitCount >> 3
                    if matchesAt(i + 8 + j) { return true }
                    bits &= ~(0xFF << UInt64(j << 3))
                }
                i += 16
            }
            while i + m <= n {
                if matchesAt(i) { return true }
                i += 1
            }
            return false
        }
    }
}

/// A filter over customers that reads raw record bytes and decodes only what it returns.
///
/// What matches: a customer whose id, name, e-mail address, further e-mail addresses, phone or
/// address contains the text ignoring case and accents by ``CaseFold`` (`zoe muller` finds
/// `Zoë Müller`; simple case folding, C+S of CaseFolding.txt, scalar by scalar, after dropping
/// combining marks: `K` KELVIN SIGN matches `k`, `ẞ` matches `ß`, `Σ` `σ` `ς` match one another);
/// or, for text of at least three digits and phone punctuation alone, whose phone's digits
/// contain its digits.
///
/// How, per record: the status and text are first looked for in the raw bytes (exact and ASCII
/// case-insensitive searches, no strings made). A record that does not hold an ASCII text's
/// bytes is ruled out at once when it is all ASCII, and otherwise by looking for the text in its
/// ``ASCIIProjection`` (the ASCII its keys hold, `ë` read as `e`); a record with no byte beyond
/// ASCII (nor a `\u` escape) is ruled out for a text that is not ASCII. Only a record that
/// passes has its fields read: a field of printable ASCII without escapes is compared as bytes,
/// another through its projection for an ASCII text, and decoded and folded otherwise. So the
/// results are those of decoding every record and comparing every field (`FastPathTests` and
/// `CaseFoldTests` hold it to that).
struct CustomerQuery: Sendable {
    var text: String?
    var status: CustomerStatus?

    init(text: String? = nil, status: CustomerStatus? = nil) {
        let t = text?.trimmingCharacters(in: .whitespaces)
        self.text = (t?.isEmpty ?? true) ? nil : t
        self.status = status
    }

    static let fields = ["name", "email", "phone", "address", "status", "alternate_emails"]

    /// Whether a record's bytes match; the fields are read only when the cheap test passes.
    func matches(_ raw: UnsafeRawBufferPointer) -> Bool {
        let prepared = Prepared(self)
        return prepared.matches(raw)
    }

    struct Prepared: Sendable {
        let folded: String?
        /// The folded text as the store writes it inside a JSON string (escaped), lower-cased:
        /// a record without it, in any case, cannot match.
        let asciiNeedle: FoldedNeedle?
        /// The folded text itself when it is printable ASCII: compared with fields as bytes.
        let plainNeedle: FoldedNeedle?
        let digits: [UInt8]?
        /// The text is ASCII digits alone: its escaped, folded form is ``digits``.
        let onlyDigits: Bool
        let status: [UInt8]?

        /// The folded text itself when it is ASCII (escapes aside): looked for in projections.
        let asciiFolded: FoldedNeedle?

        init(_ q: CustomerQuery) {
            if let t = q.text {
                let f = CaseFold.folded(t)
                folded = f
                // Compared with the raw record bytes, so escaped as the store writes strings
                // (a quote in the filter is \" there).
                let escaped = RecordCoding.escapedInner(f)
                asciiNeedle = f.utf8.allSatisfy { $0 < 0x80 }
                    ? FoldedNeedle(Array(String(decoding: escaped, as: UTF8.self).lowercased().utf8)) : nil
                plainNeedle = f.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? FoldedNeedle(Array(f.utf8)) : nil
                let ds = t.filter { $0.isASCII && $0.isNumber }
                digits = (ds.count >= 3 && t.allSatisfy { $0.isASCII && ($0.isNumber || "+-.() ".contains($0)) }) ? Array(ds.utf8) : nil
                onlyDigits = digits != nil && asciiNeedle?.bytes == digits
                asciiFolded = f.utf8.allSatisfy { $0 < 0x80 } ? FoldedNeedle(Array(f.utf8)) : nil
            } else {
                asciiFolded = nil
                onlyDigits = false
                folded = nil
                asciiNeedle = nil
                plainNeedle = nil
                digits = nil
            }
            status = q.status.map { Array("\"status\":\"\($0.rawValue)\"".utf8) }
        }

        func matches(_ raw: UnsafeRawBufferPointer) -> Bool {
            if let status, !ByteSearch.contains(raw, status) { return false }
            guard let folded else { return true }
            // A text of combining marks alone folds to nothing: it finds nothing (as comparing decoded fields does).
            if folded.isEmpty { return false }
            let json = RawJSON(bytes: raw)
            if let digits {
                // The phone's digits, whatever separates them: its literal found by its key (the
                // one encoder writes `"phone":"` nowhere else: a quote inside a value is escaped).
                if let at = ByteSearch.firstIndex(raw, Self.phoneKey), let close = json.stringEnd(from: at + Self.phoneKey.count - 1),
                   phoneDigits(json, (at + Self.phoneKey.count - 1)..<(close + 1), contain: digits) {
                    return true
                }
                // Text of digits alone, in any other field, is these bytes: that search is the
                // case-insensitive one too.
                if onlyDigits, !ByteSearch.contains(raw, digits) { return false }
            }
            if !onlyDigits {
                if let a = asciiNeedle {
                    // Not in the bytes: only a record beyond ASCII may still hold it (`ë` is `e`).
                    if !a.isIn(raw), !ASCIIProjection.containsBeyondASCII(raw, asciiFolded ?? a) {
                        return false
                    }
                } else if !Self.mayHoldNonASCII(raw) {
                    return false
                }
            }
            // The fields, the cheap ones (plain ASCII, compared as bytes) first.
            var slow: [Range<Int>] = []
            var found = false
            json.forEachTopLevel { keyStart, keyEnd, valueStart, valueEnd in
                let key = UnsafeRawBufferPointer(rebasing: raw[keyStart..<keyEnd])
                if Self.isKey(key, "name") || Self.isKey(key, "email") || Self.isKey(key, "phone") || Self.isKey(key, "address")
                    || Self.isKey(key, "id") {
                    guard raw[valueStart] == UInt8(ascii: "\""), valueEnd - valueStart >= 2 else { return true }
                    let inner = (valueStart + 1)..<(valueEnd - 1)
                    let innerBytes = UnsafeRawBufferPointer(rebasing: raw[inner])
                    if let plainNeedle, RawJSON.isPlainASCII(innerBytes) {
                        if plainNeedle.isIn(innerBytes) { found = true; return false }
                    } else if let asciiFolded {
                        if ASCIIProjection.containsJSON(innerBytes, asciiFolded) { found = true; return false }
                    } else {
                        slow.append(valueStart..<valueEnd)
                    }
                } else if Self.isKey(key, "alternate_emails") {
                    // Further e-mail addresses are e-mail addresses too.
                    guard raw[valueStart] == UInt8(ascii: "["), valueEnd - valueStart > 2 else { return true }
                    if let plainNeedle, let elements = json.plainStringElements(valueStart..<valueEnd) {
                        if elements.contains(where: { plainNeedle.isIn(UnsafeRawBufferPointer(rebasing: raw[$0])) }) { found = true; return false }
                    } else if let alts = json.decodeStringArray(valueStart..<valueEnd),
                              alts.contains(where: { CaseFold.contains($0, folded: folded) }) {
                        found = true
                        return false
                    }
                }
                return true
            }
            if found { return true }
            for r in slow where CaseFold.contains(json.decodeString(from: r.lowerBound, to: r.upperBound), folded: folded) { return true }
            return false
        }

        static let phoneKey = Array(#""phone":""#.utf8)

        /// Whether a record may hold text beyond ASCII: a byte of a non-ASCII scalar, or a `\u`
        /// escape (which a hand-written record may use for one).
        static func mayHoldNonASCII(_ raw: UnsafeRawBufferPointer) -> Bool {
            ASCIIProjection.hasNonASCII(raw) || ByteSearch.contains(raw, Self.unicodeEscape)
        }

        static let unicodeEscape = Array(#"\u"#.utf8)

        @inline(__always)
        static func isKey(_ key: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
            key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
        }

        /// Whether the ASCII digits of the phone (a string literal's range) contain `digits`.
        func phoneDigits(_ json: RawJSON, _ literal: Range<Int>, contain digits: [UInt8]) -> Bool {
            let inner = UnsafeRawBufferPointer(rebasing: json.bytes[(literal.lowerBound + 1)..<(literal.upperBound - 1)])
            if RawJSON.isPlainASCII(inner) {
                var own: [UInt8] = []
                own.reserveCapacity(inner.count)
                for b in inner where b >= 0x30 && b <= 0x39 { own.append(b) }
                return own.withUnsafeBytes { ByteSearch.contains($0, digits) }
            }
            let p = json.decodeString(from: literal.lowerBound, to: literal.upperBound)
            return Array(p.filter { $0.isASCII && $0.isNumber }.utf8).firstRange(of: digits) != nil
        }
    }

    /// Matching customers in id order, at most `limit`.
    func run(on view: any StoreSnapshot, limit: Int? = nil) throws -> [Customer] {
        if let limit, limit <= 0 { return [] }
        let records = candidateRecords(on: view, limit: limit)
        let positions = matchingPositions(records, limit: limit)
        // Decoded straight from the bytes found, on all cores for many; JSONDecoder for a
        // record the quick reader declines.
        final class Decoded: @unchecked Sendable {
            var customers: [Customer?]
            init(_ n: Int) { customers = Array(repeating: nil, count: n) }
        }
        let decoded = Decoded(positions.count)
        let chunk = 2048
        let chunks = (positions.count + chunk - 1) / chunk
        let work: @Sendable (Int) -> Void = { c in
            let lo = c * chunk, hi = min(positions.count, lo + chunk)
            var local: [Customer?] = []
            local.reserveCapacity(hi - lo)
            for k in lo..<hi { local.append(records.bytes(at: positions[k]).flatMap { RawJSON(bytes: $0).customer() }) }
            decoded.customers.withUnsafeMutableBufferPointer { out in
                for (j, c) in local.enumerated() { out[lo + j] = c }
            }
        }
        if chunks > 1 { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) } else if chunks == 1 { work(0) }
        var out: [Customer] = []
        out.reserveCapacity(positions.count)
        for (k, c) in decoded.customers.enumerated() {
            if let c {
                out.append(c)
            } else if let c = try view.get(Collections.customers, id: records.id(at: positions[k])) {
                out.append(c)
            }
        }
        return out
    }

    /// Ids of matching customers in id order, at most `limit`.
    func matchingIDs(on view: any StoreSnapshot, limit: Int? = nil) throws -> [String] {
        if let limit, limit <= 0 { return [] }
        if text == nil, status == nil {
            if let limit, let pg = view as? PostgresSnapshot { return pg.ids(Collections.customers.name, limit: limit) }
            let all = view.ids(Collections.customers)
            if let limit { return Array(all.prefix(limit)) }
            return all
        }
        let records = candidateRecords(on: view, limit: nil)
        return matchingPositions(records, limit: limit).map { records.id(at: $0) }
    }

    /// Positions of the matching live records, in stored order, at most `limit`: split between
    /// all cores when there is no limit to stop at.
    func matchingPositions(_ records: any RawRecordTable, limit: Int?) -> [Int] {
        let n = records.count
        if text == nil, status == nil {
            var out: [Int] = []
            out.reserveCapacity(min(n, limit ?? n))
            for k in 0..<n where records.bytes(at: k) != nil {
                if let limit, out.count >= limit { break }
                out.append(k)
            }
            return out
        }
        let p = Prepared(self)
        let chunk = 8192
        if limit != nil || n < 2 * chunk {
            var out: [Int] = []
            for k in 0..<n {
                guard let raw = records.bytes(at: k), p.matches(raw) else { continue }
                out.append(k)
                if let limit, out.count >= limit { break }
            }
            return out
        }
        final class Found: @unchecked Sendable {
            var parts: [[Int]]
            init(_ n: Int) { parts = Array(repeating: [], count: n) }
        }
        let chunks = (n + chunk - 1) / chunk
        let found = Found(chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            var local: [Int] = []
            for k in (c * chunk)..<min(n, (c + 1) * chunk) {
                if let raw = records.bytes(at: k), p.matches(raw) { local.append(k) }
            }
            found.parts.withUnsafeMutableBufferPointer { $0[c] = local }
        }
        return Array(found.parts.joined())
    }

    /// Ids of the customers holding exactly `point`.
    static func holders(of point: ContactPoint, in view: any StoreSnapshot) throws -> [String] {
        var keyJSON: [UInt8] = []
        RecordCoding.appendString(point.key, to: &keyJSON)
        var candidates: [String] = []
        view.forEachRaw(Collections.customers.name) { id, _, raw in
            if ByteSearch.contains(raw, keyJSON) { candidates.append(id) }
            return true
        }
        return try candidates.filter { id in
            guard let c = try view.get(Collections.customers, id: id) else { return false }
            return c.contactPoints.contains(point)
        }
    }
}

/// The cells of a customer table (id, name, e-mail, phone, status, services joined with
/// commas), read straight from the records' bytes: for printing many rows without decoding a
/// `Customer` for each. The text is as the decoded customer's fields would give it, not yet
/// sanitised for a terminal.
public struct CustomerCells: Sendable {
    public static let columnCount = 6
    /// The bytes of every cell, one after another, row by row.
    let text: [UInt8]
    /// Where cell `row * 6 + column` starts in ``text``; one more entry for the end.
    let starts: [Int]

    public var rowCount: Int { (starts.count - 1) / Self.columnCount }

    /// Calls `body` with the UTF-8 bytes of one cell.
    @inline(__always)
    public func withCell<R>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let k = row * Self.columnCount + column
        return try text.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[starts[k]..<starts[k + 1]])) }
    }

    /// One cell's text.
    public func cell(row: Int, column: Int) -> String {
        withCell(row: row, column: column) { String(decoding: $0, as: UTF8.self) }
    }

    /// The cells of `customers`, as the table shows them.
    public init(_ customers: [Customer]) {
        var text: [UInt8] = []
        var starts: [Int] = [0]
        for c in customers { Self.append(c, to: &text, starts: &starts) }
        self.text = text
        self.starts = starts
    }

    init(text: [UInt8], starts: [Int]) {
        self.text = text
        self.starts = starts
    }

    static func append(_ c: Customer, to text: inout [UInt8], starts: inout [Int]) {
        for s in [c.id, c.name, c.email, c.phone ?? "", c.status.rawValue, c.services.joined(separator: ",")] {
            text.append(contentsOf: s.utf8)
            starts.append(text.count)
        }
    }
}

extension RawJSON {
    /// Appends the six table cells of a customer record to `text` (and their ends to `starts`),
    /// checking the other fields as `Customer(from:)` would; false, with nothing appended, when
    /// the record is anything but ordinary (the caller then decodes it).
    func appendCustomerCells(to text: inout [UInt8], starts: inout [Int]) -> Bool {
        var id: Range<Int>?, name: Range<Int>?, email: Range<Int>?, status: Range<Int>?
        var phone: Range<Int>?, services: Range<Int>?
        var version = false, created = false, updated = false
        var ok = true
        func isString(_ v: Range<Int>) -> Bool { bytes[v.lowerBound] == UInt8(ascii: "\"") && v.count >= 2 }
        func isNull(_ v: Range<Int>) -> Bool { v.count == 4 && memcmp(bytes.baseAddress! + v.lowerBound, "null", 4) == 0 }
        func isStrings(_ v: Range<Int>) -> Bool {
            isNull(v) || (bytes[v.lowerBound] == UInt8(ascii: "[") && isStringArray(v))
        }
        forEachTopLevel { ks, ke, vs, ve in
            let key = UnsafeRawBufferPointer(rebasing: bytes[ks..<ke])
            let v = vs..<ve
            switch key.count {
            case 2 where Self.equal(key, "id"): id = v; ok = isString(v)
            case 4 where Self.equal(key, "name"): name = v; ok = isString(v)
            case 5 where Self.equal(key, "email"): email = v; ok = isString(v)
            case 5 where Self.equal(key, "phone"): phone = isNull(v) ? nil : v; ok = isNull(v) || isString(v)
            case 6 where Self.equal(key, "status"): status = v; ok = isString(v)
            case 7 where Self.equal(key, "address"): ok = isNull(v) || isString(v)
            case 7 where Self.equal(key, "version"):
                version = true
                var i = v.lowerBound
                if bytes[i] == UInt8(ascii: "-") { i += 1 }
                ok = i < v.upperBound && v.upperBound - i <= 18 && (i..<v.upperBound).allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }
            case 8 where Self.equal(key, "services"): services = isNull(v) ? nil : v; ok = isStrings(v)
            case 10 where Self.equal(key, "created_at"): created = true; ok = isString(v)
            case 10 where Self.equal(key, "updated_at"): updated = true; ok = isString(v)
            case 12 where Self.equal(key, "contact_keys"): ok = isStrings(v)
            case 16 where Self.equal(key, "alternate_emails"): ok = isStrings(v)
            default: break
            }
            return ok
        }
        guard ok, version, created, updated, let id, let name, let email, let status else { return false }
        // The status must be one the decoder accepts.
        let st = UnsafeRawBufferPointer(rebasing: bytes[(status.lowerBound + 1)..<(status.upperBound - 1)])
        guard CustomerStatus.allCases.contains(where: { $0.rawValue.utf8.elementsEqual(st) }) else { return false }
        func appendString(_ v: Range<Int>) {
            let inner = UnsafeRawBufferPointer(rebasing: bytes[(v.lowerBound + 1)..<(v.upperBound - 1)])
            if inner.firstIndex(of: UInt8(ascii: "\\")) == nil {
                text.append(contentsOf: inner)
            } else {
                text.append(contentsOf: decodeString(from: v.lowerBound, to: v.upperBound).utf8)
            }
        }
        for v in [id, name, email] {
            appendString(v)
            starts.append(text.count)
        }
        if let phone { appendString(phone) }
        starts.append(text.count)
        appendString(status)
        starts.append(text.count)
        if let services {
            var i = services.lowerBound + 1
            var first = true
            while i < services.upperBound - 1 {
                skipSpace(&i)
                guard bytes[i] == UInt8(ascii: "\""), let close = stringEnd(from: i) else { break }
                if !first { text.append(UInt8(ascii: ",")) }
                first = false
                appendString(i..<(close + 1))
                i = close + 1
                skipSpace(&i)
                if i < services.upperBound - 1, bytes[i] == UInt8(ascii: ",") { i += 1 }
            }
        }
        starts.append(text.count)
        return true
    }
}

extension CustomerQuery {
    /// The table cells of the matching customers, in id order, at most `limit`: what
    /// ``run(on:limit:)`` returns, as the customer table shows it, without decoding customers.
    func cells(on view: any StoreSnapshot, limit: Int? = nil) throws -> CustomerCells {
        if let limit, limit <= 0 { return CustomerCells(text: [], starts: [0]) }
        let records = candidateRecords(on: view, limit: limit)
        let positions = matchingPositions(records, limit: limit)
        final class Parts: @unchecked Sendable {
            var parts: [(text: [UInt8], starts: [Int], declined: [Int])]
            init(_ n: Int) { parts = Array(repeating: ([], [], []), count: n) }
        }
        let chunk = 4096
        let chunks = (positions.count + chunk - 1) / chunk
        let parts = Parts(chunks)
        let work: @Sendable (Int) -> Void = { c in
            var text: [UInt8] = []
            var starts: [Int] = []
            var declined: [Int] = []
            text.reserveCapacity(chunk * 96)
            starts.reserveCapacity(chunk * CustomerCells.columnCount)
            for k in (c * chunk)..<min(positions.count, (c + 1) * chunk) {
                let ok = records.bytes(at: positions[k]).map { RawJSON(bytes: $0).appendCustomerCells(to: &text, starts: &starts) } ?? false
                if !ok {
                    // Empty cells for now; filled from the decoded customer below.
                    declined.append(k)
                    for _ in 0..<CustomerCells.columnCount { starts.append(text.count) }
                }
            }
            parts.parts.withUnsafeMutableBufferPointer { $0[c] = (text, starts, declined) }
        }
        if chunks > 1 { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) } else if chunks == 1 { work(0) }
        var declined: [Int] = []
        for p in parts.parts { declined.append(contentsOf: p.declined) }
        // Records the quick reader declined: decoded (or their error thrown) as `run` would.
        var replacements: [Int: Customer] = [:]
        for k in declined {
            if let c = try view.get(Collections.customers, id: records.id(at: positions[k])) { replacements[k] = c }
        }
        let declinedRows = Set(declined)
        var text: [UInt8] = []
        var starts: [Int] = [0]
        text.reserveCapacity(parts.parts.reduce(0) { $0 + $1.text.count })
        starts.reserveCapacity(positions.count * CustomerCells.columnCount + 1)
        let n = CustomerCells.columnCount
        var row = 0
        for p in parts.parts {
            for r in 0..<(p.starts.count / n) {
                defer { row += 1 }
                if declinedRows.contains(row) {
                    if let c = replacements[row] { CustomerCells.append(c, to: &text, starts: &starts) }
                    continue
                }
                let rowFrom = r == 0 ? 0 : p.starts[r * n - 1]
                let shift = text.count - rowFrom
                text.append(contentsOf: p.text[rowFrom..<p.starts[r * n + n - 1]])
                for j in 0..<n { starts.append(p.starts[r * n + j] + shift) }
            }
        }
        return CustomerCells(text: text, starts: starts)
    }
}

extension PrivacyOps {
    /// ``listCustomers(filter:status:limit:)`` as table cells (see ``CustomerCells``): the same
    /// customers in the same order, for printing many rows fast.
    public func listCustomerCells(filter: String? = nil, status: CustomerStatus? = nil, limit: Int? = nil) throws -> CustomerCells {
        try authorize(.customersList)
        return try CustomerQuery(text: filter, status: status).cells(on: view(), limit: limit)
    }
}
