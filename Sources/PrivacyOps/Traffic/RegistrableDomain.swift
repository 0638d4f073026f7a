/// The registrable domain of a host name (`pool-1-2-3-4.nycmny.fios.verizon.net` →
/// `verizon.net`, `ppp-1-2.bb.ocn.ne.jp` → `ocn.ne.jp`), which is what a traffic report may
/// show of a visitor's resolved name or of a referring page's host: the organisation, never
/// the machine.
///
/// A small built-in public-suffix rule, not the full Public Suffix List: the registrable domain
/// is the last two labels, or the last three when the last two are a country's second level
/// (`co.uk`, `com.au`, `ne.jp`, `or.kr`, `com.br`, …: one of ``secondLevels`` under a
/// two-letter top-level domain). Its limits, all on the side of showing less:
/// - private suffixes (`dyndns.org`, `github.io`, `blogspot.com`) are not known, so every
///   customer of such a provider counts as the provider's domain;
/// - geographic and other deeper suffixes (`tokyo.jp`, `k12.ca.us`) are not known either, and
///   a few real names under a ccTLD that look like a second level are taken as one;
/// - internationalised names are kept in their `xn--` form; anything but letters, digits,
///   hyphens and dots is not a name.
/// An address (IPv4, IPv6, anything bracketed) is never a domain: the result is nil.
enum RegistrableDomain {
    /// Second-level labels that countries use as public suffixes.
    static let secondLevels: Set<String> = [
        "com", "net", "org", "edu", "gov", "mil", "co", "ac", "or", "ne", "go", "gob", "nic", "ltd", "plc", "sch",
        "me", "nhs", "asn", "id", "lg", "ad", "ed", "gr",
    ]
    private static let secondLevelKeys: Set<UInt32> = Set(secondLevels.map { key($0.utf8) })

    private static func key<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// The longest name accepted.
    static let maxLength = 253

    /// Writes the registrable domain of the host name `p[range]`, in lower case, to `out`
    /// (``maxLength`` bytes) and returns its length; nil for an address, a name with characters
    /// a host name cannot have, a single label, or a bare public suffix.
    static func of(_ p: UnsafePointer<UInt8>, _ range: Range<Int>, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        var s = range.lowerBound
        var e = range.upperBound
        if e > s, p[e - 1] == 0x2E { e -= 1 }  // a trailing dot: the root
        guard e > s, e - s <= maxLength else { return nil }
        // Letters, digits, hyphens and dots only, no empty label (so never an IPv4 or IPv6
        // address, which has no letter in its last label or has colons).
        // A label never starts or ends with a hyphen; the top-level domain has a letter.
        var lettersInLabel = 0
        var k = s
        var previous: UInt8 = 0x2E
        while k < e {
            let c = p[k]
            if c == 0x2E {
                if previous == 0x2E || previous == 0x2D { return nil }
                lettersInLabel = 0
            } else if c == 0x2D {
                if previous == 0x2E { return nil }
            } else if (c | 0x20) &- 0x61 < 26 {
                lettersInLabel += 1
            } else if c &- 0x30 >= 10 {
                return nil
            }
            previous = c
            k += 1
        }
        guard previous != 0x2D, lettersInLabel > 0 else { return nil }
        // The last three dots, from the end.
        var dot0 = -1, dot1 = -1, dot2 = -1
        var found = 0
        k = e - 1
        while k >= s, found < 3 {
            if p[k] == 0x2E {
                if found == 0 { dot0 = k } else if found == 1 { dot1 = k } else { dot2 = k }
                found += 1
            }
            k -= 1
        }
        guard found >= 1 else { return nil }
        let tld = (dot0 + 1)..<e
        // A top-level domain is letters (or an xn-- label), never all digits.
        guard tld.count >= 2 else { return nil }
        let sldStart = found >= 2 ? dot1 + 1 : s
        let sld = sldStart..<dot0
        var sldKey: UInt32 = 0
        if sld.count <= 4 { for k in sld { sldKey = sldKey << 8 | UInt32(p[k] | 0x20) } }
        if tld.count == 2, sld.count <= 4, secondLevelKeys.contains(sldKey) {
            guard found >= 2 else { return nil }  // the name is itself a public suffix
            s = found >= 3 ? dot2 + 1 : s
        } else {
            s = sldStart
        }
        var n = 0
        for k in s..<e {
            var c = p[k]
            if c &- 0x41 < 26 { c |= 0x20 }
            out[n] = c
            n += 1
        }
        return n
    }

    /// The registrable domain of a name, as a string (tests and the demo).
    static func of(_ name: String) -> String? {
        var bytes = Array(name.utf8)
        let count = bytes.count
        return bytes.withUnsafeMutableBufferPointer { b -> String? in
            guard let base = b.baseAddress else { return nil }
            let out = UnsafeMutablePointer<UInt8>.allocate(capacity: maxLength + 1)
            defer { out.deallocate() }
            guard let n = of(UnsafePointer(base), 0..<count, into: out) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: out, count: n), as: UTF8.self)
        }
    }
}
