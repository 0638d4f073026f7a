import FlatStore
import Foundation

/// Reads top-level string fields out of a record's JSON bytes without a full decode: the fast
/// path for filtering a million customers.
struct RawJSON {
    let bytes: UnsafeRawBufferPointer

    /// Encodes strings as the store does (slashes not escaped).
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return e
    }()

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
    private func forEachTopLevel(_ body: (_ keyStart: Int, _ keyEnd: Int, _ valueStart: Int, _ valueEnd: Int) -> Bool) {
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

    private func skipSpace(_ i: inout Int) {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
    }

    /// Index of the closing quote of the string starting at `from`.
    private func stringEnd(from: Int) -> Int? {
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

    /// Decodes a JSON string literal spanning `from..<to` (quotes included).
    private func decodeString(from: Int, to: Int) -> String {
        let inner = UnsafeRawBufferPointer(rebasing: bytes[(from + 1)..<(to - 1)])
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        let data = Data(UnsafeRawBufferPointer(rebasing: bytes[from..<to]))
        return (try? JSONDecoder().decode(String.self, from: data)) ?? String(decoding: inner, as: UTF8.self)
    }
}

/// ASCII case-insensitive substring search over raw bytes.
enum ByteSearch {
    /// `needle` must already be lower-case ASCII.
    static func containsFolded(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        let n = needle.count
        guard n > 0 else { return true }
        guard hay.count >= n, let base = hay.baseAddress else { return false }
        let first = needle[0]
        let firstUpper = (first >= 0x61 && first <= 0x7A) ? first - 0x20 : first
        var i = 0
        let last = hay.count - n
        while i <= last {
            // Jump to the next occurrence of the first byte, in either case.
            let rest = hay.count - i
            let p1 = memchr(base + i, Int32(first), rest)
            let p2 = firstUpper != first ? memchr(base + i, Int32(firstUpper), rest) : nil
            var at: Int
            switch (p1, p2) {
            case (nil, nil): return false
            case (let a?, nil): at = base.distance(to: UnsafeRawPointer(a))
            case (nil, let b?): at = base.distance(to: UnsafeRawPointer(b))
            case (let a?, let b?): at = min(base.distance(to: UnsafeRawPointer(a)), base.distance(to: UnsafeRawPointer(b)))
            }
            if at > last { return false }
            var k = 1
            while k < n {
                var c = hay[at + k]
                if c >= 0x41 && c <= 0x5A { c += 0x20 }
                if c != needle[k] { break }
                k += 1
            }
            if k == n { return true }
            i = at + 1
        }
        return false
    }

    /// Exact substring search.
    static func contains(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard hay.count >= needle.count, let base = hay.baseAddress else { return false }
        let n = needle.count
        let first = Int32(needle[0])
        var i = 0
        let last = hay.count - n
        return needle.withUnsafeBytes { nb in
            while i <= last {
                guard let hit = memchr(base + i, first, last - i + 1) else { return false }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, nb.baseAddress!, n) == 0 { return true }
                i = at + 1
            }
            return false
        }
    }
}

/// A filter over customers that reads raw record bytes and decodes only what it returns.
public struct CustomerQuery: Sendable {
    public var text: String?
    public var status: CustomerStatus?

    public init(text: String? = nil, status: CustomerStatus? = nil) {
        let t = text?.trimmingCharacters(in: .whitespaces)
        self.text = (t?.isEmpty ?? true) ? nil : t
        self.status = status
    }

    static let fields = ["name", "email", "phone", "address", "status", "alternate_emails"]

    /// Whether a record's bytes match; the fields are read only when the cheap test passes.
    public func matches(_ raw: UnsafeRawBufferPointer) -> Bool {
        let prepared = Prepared(self)
        return prepared.matches(raw)
    }

    struct Prepared {
        let folded: String?
        let asciiNeedle: [UInt8]?
        let digits: [UInt8]?
        let status: [UInt8]?

        init(_ q: CustomerQuery) {
            if let t = q.text {
                let f = t.lowercased()
                folded = f
                // Compared with the raw record bytes, so escaped as the store writes strings
                // (a quote in the filter is \" there).
                let escaped = (try? RawJSON.encoder.encode(f)).map { Array($0.dropFirst().dropLast()) }
                asciiNeedle = f.utf8.allSatisfy { $0 < 0x80 } ? escaped.map { Array(String(decoding: $0, as: UTF8.self).lowercased().utf8) } : nil
                let ds = t.filter { $0.isASCII && $0.isNumber }
                digits = (ds.count >= 3 && t.allSatisfy { $0.isASCII && ($0.isNumber || "+-.() ".contains($0)) }) ? Array(ds.utf8) : nil
            } else {
                folded = nil
                asciiNeedle = nil
                digits = nil
            }
            status = q.status.map { Array("\"status\":\"\($0.rawValue)\"".utf8) }
        }

        func matches(_ raw: UnsafeRawBufferPointer) -> Bool {
            if let status, !ByteSearch.contains(raw, status) { return false }
            guard let folded else { return true }
            if let digits, ByteSearch.contains(raw, digits) {
                let f = RawJSON(bytes: raw).strings(["phone"])
                if let p = f["phone"], Array(p.filter { $0.isASCII && $0.isNumber }.utf8).firstRange(of: digits) != nil { return true }
            }
            if let a = asciiNeedle, !ByteSearch.containsFolded(raw, a) { return false }
            let f = RawJSON(bytes: raw).strings(["name", "email", "phone", "address"])
            for key in ["name", "email", "phone", "address"] {
                if let v = f[key], v.lowercased().contains(folded) { return true }
            }
            // Further e-mail addresses are e-mail addresses too.
            if let alts = RawJSON(bytes: raw).stringArray("alternate_emails"), alts.contains(where: { $0.lowercased().contains(folded) }) {
                return true
            }
            return false
        }
    }

    /// Matching customers in id order, at most `limit`.
    public func run(on view: StoreView, limit: Int? = nil) throws -> [Customer] {
        let ids = try matchingIDs(on: view, limit: limit)
        return try ids.compactMap { try view.get(Collections.customers, id: $0) }
    }

    /// Ids of matching customers in id order, at most `limit`.
    public func matchingIDs(on view: StoreView, limit: Int? = nil) throws -> [String] {
        if let limit, limit <= 0 { return [] }
        if text == nil, status == nil {
            let all = view.ids(Collections.customers)
            if let limit { return Array(all.prefix(limit)) }
            return all
        }
        let p = Prepared(self)
        var out: [String] = []
        view.forEachRaw(Collections.customers.name) { id, _, raw in
            if p.matches(raw) { out.append(id) }
            if let limit, out.count >= limit { return false }
            return true
        }
        return out
    }

    /// Ids of the customers holding exactly `point`.
    static func holders(of point: ContactPoint, in view: StoreView) throws -> [String] {
        let keyJSON = (try? RawJSON.encoder.encode(point.key)).map { [UInt8]($0) } ?? Array("\"\(point.key)\"".utf8)
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
