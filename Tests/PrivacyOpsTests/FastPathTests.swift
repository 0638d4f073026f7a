import FlatStore
import Foundation
import Harness
import Testing

@testable import PrivacyOps

/// The byte-level fast paths give what the general code gives: searches, widths, the quick
/// customer reader, and the customer filter.
@Suite struct FastPathTests {
    static let samples: [String] = [
        "", "a", "Smith", "SMITH", "smith", "Liam Smith", "example.org", "EXAMPLE.ORG", "+44 20 7946 0958",
        "Zoë O'Brien", "Rene\u{301}e", "Renée", "渡辺 美咲", "東京都千代田区丸の内1-1", "Nguyễn Huệ", "Олег Иванов",
        "Άννα", "Hauptstraße", "김민준", "ﾊﾟﾝ", "e\u{301}\u{301}x", "\u{301}lead", "a\u{AD}b", "👍🏽 ok", "🇯🇵", "👨‍👩‍👧",
        "कि", "x\u{200D}y", "tab\there", "ctl\u{1B}[2J", "@`[{", "robert \"bob\" tables", "back\\slash",
        // Case folding beyond ASCII (see CaseFold): KELVIN SIGN, long s, dotted and dotless i,
        // sharp s in both cases, the three sigmas.
        "\u{212A}elvin Kraft", "ſtar Dust", "İstanbul Cad.", "ıspanak Iris", "Straße", "STRAẞE", "STRASSE", "ΟΔΟΣ Σίσυφος", "οδός ς",
        // Accents, composed and decomposed (NFD), stacked; letters that are not a base with a mark.
        "Zoë Müller", "Zoe\u{308} Mu\u{308}ller", "ZOE MULLER", "Nguyễn Huệ", "Ngu\u{302}\u{303}yen Hue\u{323}\u{302}", "Søren Łukasz",
        "Dvořák", "Άννα Παπαδοπούλου", "Ayşe Çelik",
    ]

    @Test func foldedSearchAgreesWithLowercasedBytes() {
        var g = SeededRandom.fromEnvironment()
        let alphabet = Array("abcxyzABCXYZ@`[{.-0129 \"\\".utf8)
        for _ in 0..<3000 {
            let hay = (0..<Int.random(in: 0..<80, using: &g)).map { _ in alphabet.randomElement(using: &g)! }
            let needle = (0..<Int.random(in: 1..<4, using: &g)).map { _ in alphabet.randomElement(using: &g)! }
            func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
            let folded = needle.map(lower)
            let hayLower = hay.map(lower)
            let want = hayLower.count >= folded.count
                && (0...(hayLower.count - folded.count)).contains { Array(hayLower[$0..<($0 + folded.count)]) == folded }
            let got = hay.withUnsafeBytes { FoldedNeedle(folded).isIn($0) }
            #expect(got == want, "\(String(decoding: hay, as: UTF8.self)) / \(String(decoding: folded, as: UTF8.self)), \(g)")
            let exact = hay.count >= needle.count
                && (0...(hay.count - needle.count)).contains { Array(hay[$0..<($0 + needle.count)]) == needle }
            #expect(hay.withUnsafeBytes { ByteSearch.contains($0, needle) } == exact, "\(g)")
        }
    }

    /// The width, truncation and padding fast paths against the grapheme-by-grapheme rules.
    @Test func widthFastPathsAgreeWithClusters() {
        func slowWidth(_ s: String) -> Int { s.reduce(0) { $0 + TerminalText.width(of: $1) } }
        func slowTruncate(_ s: String, _ w: Int) -> String {
            guard w > 0 else { return "" }
            if slowWidth(s) <= w { return s }
            var out = ""
            var used = 0
            for c in s {
                let cw = TerminalText.width(of: c)
                if used + cw > w - 1 { break }
                out.append(c)
                used += cw
            }
            return out + "…"
        }
        for s in Self.samples {
            #expect(TerminalText.width(s) == slowWidth(s), "\(s)")
            for w in 0..<12 {
                #expect(TerminalText.truncate(s, toWidth: w) == slowTruncate(s, w), "\(s) to \(w)")
                let padded = TerminalText.pad(s, toWidth: w)
                #expect(w == 0 ? padded.isEmpty : slowWidth(padded) <= w, "\(s) padded to \(w)")
            }
        }
        #expect(TerminalText.isPrintableASCII("Alice Example <a@example.com> ~"))
        #expect(!TerminalText.isPrintableASCII("Alice Example \u{7F}"))
        #expect(!TerminalText.isPrintableASCII("Alice Example é"))
        #expect(!TerminalText.isPrintableASCII("tab\tinside the first eight"))
    }

    static func customers() -> [Customer] {
        var out: [Customer] = []
        for (k, name) in samples.enumerated() {
            var c = Customer(id: "C\(1000 + k)", version: k + 1, name: name, email: "p\(k)@Example.ORG",
                             alternateEmails: k % 3 == 0 ? ["Alt.\(k)@example.net", "second\(k)@mail.example"] : [],
                             phone: k % 4 == 0 ? nil : "+44 20 7946 \(1000 + k)", address: k % 5 == 0 ? nil : "\(k) \(name) Street",
                             status: CustomerStatus.allCases[k % 3], services: k % 2 == 0 ? ["hosting", "dns"] : [],
                             createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-02T00:00:00Z")
            if k == 7 { c.contactKeys = [] }
            out.append(c)
        }
        return out
    }

    @Test func quickCustomerReaderAgreesWithJSONDecoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        for c in Self.customers() {
            for json in [Array(try encoder.encode(c)), c.fastJSON()] {
                let slow = try JSONDecoder().decode(Customer.self, from: Data(json))
                let fast = json.withUnsafeBytes { RawJSON(bytes: $0).customer() }
                #expect(fast == slow, "\(c.name)")
            }
        }
        // Nulls, a missing optional and unknown keys; and what the quick reader declines.
        let odd = Array(#"{"id":"C1","version":3,"name":"N","email":"e@x.io","phone":null,"status":"closed","created_at":"a","updated_at":"b","extra":{"x":[1,2]}}"#.utf8)
        let slow = try JSONDecoder().decode(Customer.self, from: Data(odd))
        #expect(odd.withUnsafeBytes { RawJSON(bytes: $0).customer() } == slow)
        for bad in [#"{"id":"C1","version":"3","name":"N","email":"e","status":"closed","created_at":"a","updated_at":"b"}"#,
                    #"{"id":"C1","version":3,"name":"N","email":"e","status":"gone","created_at":"a","updated_at":"b"}"#,
                    #"{"id":"C1","version":3,"name":"N","status":"closed","created_at":"a","updated_at":"b"}"#] {
            #expect(Array(bad.utf8).withUnsafeBytes { RawJSON(bytes: $0).customer() } == nil)
        }
    }

    /// The filter's byte-level matching against decoding every field and comparing as strings.
    @Test func filterAgreesWithDecodedComparison() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let customers = Self.customers()
        let queries = Self.samples.filter { !$0.isEmpty } + ["mith", "7946 10", "ORG", "alt.3", "Street", "é", "\"bob\"", "1003", "79461",
                                                     "k", "kelvin", "KELVIN", "s", "star", "STAR", "strasse", "straße", "STRAẞE", "σ", "ς", "Σ", "οδος",
                                                     "ΟΔΟΣ", "i", "I", "İ", "ı", "istanbul", "İSTANBUL",
                                                     "zoe muller", "ZOE", "Zoë", "zoe\u{308}", "muller", "MÜLLER", "nguyen hue", "NGUYỄN",
                                                     "soren", "søren", "dvorak", "αννα", "ΑΝΝΑ", "ayse celik", "e\u{301}", "C1003", "c10", "C0"]
        for q in queries {
            for status in [nil] + CustomerStatus.allCases.map(Optional.some) {
                let query = CustomerQuery(text: q, status: status)
                for c in customers {
                    let json = Array(try encoder.encode(c))
                    let got = json.withUnsafeBytes { query.matches($0) }
                    #expect(got == Self.reference(query, c), "'\(q)' \(status?.rawValue ?? "-") \(c.name)")
                }
            }
        }
    }

    /// What the filter promises, written plainly: decode, make the key (``CaseFold/folded(_:)``)
    /// of the id and every contact field and of the text, and look for one in the other; or, for text of digits and phone punctuation
    /// alone (at least three digits), look for its digits among the phone's digits. No byte
    /// tricks: this is what the fast path must agree with.
    static func reference(_ q: CustomerQuery, _ c: Customer) -> Bool {
        if let s = q.status, c.status != s { return false }
        guard let t = q.text else { return true }
        let ds = t.filter { $0.isASCII && $0.isNumber }
        if ds.count >= 3, t.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.() ".contains($0)) }),
           let p = c.phone, Array(p.filter({ $0.isASCII && $0.isNumber }).utf8).firstRange(of: Array(ds.utf8)) != nil {
            return true
        }
        let needle = Array(CaseFold.folded(t).utf8)
        return ([c.id, c.name, c.email, c.phone, c.address].compactMap { $0 } + c.alternateEmails).contains {
            Array(CaseFold.folded($0).utf8).firstRange(of: needle) != nil
        }
    }
}
