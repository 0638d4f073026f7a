import Foundation
import Harness
import Testing

@testable import PrivacyOps

/// The filter's case folding: simple case folding (C+S of CaseFolding.txt), pinned by vectors,
/// and the byte-level filter against plain decoding on thousands of generated records.
@Suite struct CaseFoldTests {
    @Test func simpleFoldingVectors() {
        func f(_ s: String) -> String { CaseFold.folded(s) }
        #expect(f("\u{212A}") == "k", "KELVIN SIGN folds to k")
        #expect(f("ſ") == "s", "long s folds to s")
        #expect(f("ẞ") == "ß", "capital sharp s folds to ß")
        #expect(f("ß") == "ß", "ß stays: no length-changing folding to ss")
        #expect(f("Σ") == "σ" && f("ς") == "σ" && f("σ") == "σ", "the three sigmas fold together")
        #expect(CaseFold.fold("İ") == "İ", "U+0130 has only a full or Turkish folding: as a scalar it stays")
        #expect(f("İ") == "i", "its key: I and U+0307 once decomposed, the mark dropped, folded")
        #expect(f("ı") == "ı", "dotless i stays (Turkish mappings are not used)")
        #expect(f("I") == "i")
        #expect(f("µ") == "μ", "micro sign folds to Greek mu")
        #expect(f("Ꭰ") == "Ꭰ" && f("ꭰ") == "Ꭰ", "Cherokee folds to the capitals")
        #expect(f("Å") == "a" && f("\u{212B}") == "a", "ANGSTROM SIGN folds as Å does: a, its ring dropped")
        #expect(f("E\u{301}") == "e" && f("É") == "e", "marks are dropped, composed or not")
        #expect(f("가") == "가", "Hangul stays composed (NFC): its jamo are letters, not marks")
        #expect(CaseFold.contains("\u{212A}elvin", folded: f("KELVIN")))
        #expect(!CaseFold.contains("Straße", folded: f("STRASSE")))
        #expect(CaseFold.contains("Rene\u{301}e", folded: f("RENÉE")), "composed and decomposed are the same text")
        #expect(CaseFold.contains("Renée", folded: f("renee")), "accents are ignored: e is found in é")
        #expect(CaseFold.contains("Rene\u{301}e", folded: f("renee")), "and in e with a combining acute")
        #expect(CaseFold.contains("Zoë Müller", folded: f("zoe muller")) && CaseFold.contains("Zoë", folded: f("ZOE")))
        #expect(CaseFold.contains("Zoe Muller", folded: f("Zoë MÜLLER")), "an accent in the search is ignored too")
        #expect(CaseFold.contains("Nguyễn Huệ", folded: f("nguyen hue")), "stacked marks (Vietnamese)")
        #expect(!CaseFold.contains("Søren", folded: f("soren")) && !CaseFold.contains("Łukasz", folded: f("lukasz")),
                "ø and ł are letters of their own, not o and l with a mark")
        #expect(CaseFold.contains("İstanbul", folded: f("i")) && CaseFold.contains("İstanbul", folded: f("istanbul")))
        #expect(!CaseFold.contains("ıspanak", folded: f("ispanak")))
        #expect(CaseFold.contains("a;b", folded: f("a\u{37E}b")), "GREEK QUESTION MARK is ; once normalised")
    }

    /// Every C and S line of Unicode's CaseFolding.txt, where the machine has it (Debian's
    /// `unicode-data`): the stdlib-based folding gives exactly that mapping, and no other scalar
    /// folds. Scalars newer than the stdlib's Unicode are left out.
    @Test func foldingMatchesCaseFoldingTxt() throws {
        let path = "/usr/share/unicode/CaseFolding.txt"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            print("CaseFoldTests: \(path) not here (Debian package unicode-data); the vectors above still pin the folding")
            return
        }
        // The file's Unicode version (first line `# CaseFolding-15.0.0.txt`): newer scalars are the stdlib's alone.
        let version = text.split(separator: "\n").first.flatMap { $0.split(separator: "-").last }?.split(separator: ".").compactMap { Int($0) } ?? []
        guard version.count >= 2 else { Issue.record("no version in \(path)"); return }
        var expected: [UInt32: UInt32] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count >= 3, f[1] == "C" || f[1] == "S", let c = UInt32(f[0], radix: 16), let m = UInt32(f[2], radix: 16) else { continue }
            expected[c] = m
        }
        #expect(expected.count > 1400)
        var wrong: [String] = []
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v), let age = s.properties.age,
                  (age.major, age.minor) <= (version[0], version[1]) else { continue }
            let want = expected[v] ?? v
            let got = CaseFold.fold(s).value
            if got != want { wrong.append(String(format: "U+%04X folds to U+%04X, not U+%04X", v, got, want)) }
        }
        #expect(wrong.isEmpty, "\(wrong.count) scalars: \(wrong.prefix(20))")
    }

    /// ``ASCIIProjection`` gives every scalar what its match key holds of ASCII: nothing for a
    /// key that is empty, the one ASCII byte of a key that is one, and 0x80 otherwise, and no key
    /// mixes ASCII with other text. The byte filter relies on it to rule records out.
    @Test func projectionAgreesWithTheKeyOfEveryScalar() {
        var wrong: [String] = []
        for v in UInt32(0x80)...0x10FFFF {
            guard let s = Unicode.Scalar(v), s.properties.age != nil else { continue }
            let key = Array(CaseFold.folded(String(s)).utf8)
            let want: UInt8
            if key.isEmpty { want = ASCIIProjection.drop } else if key.count == 1, key[0] < 0x80 { want = key[0] } else {
                if key.contains(where: { $0 < 0x80 }) { wrong.append(String(format: "U+%04X mixes ASCII into its key", v)) }
                want = ASCIIProjection.other
            }
            let got = ASCIIProjection.entry(of: v)
            if got != want { wrong.append(String(format: "U+%04X: %02x, key %@", v, got, key.map { String(format: "%02x", $0) }.joined())) }
            // And through the UTF-8 reader.
            var bytes: [UInt8] = []
            Array(String(s).utf8).withUnsafeBytes { ASCIIProjection.project($0, json: false, into: &bytes) }
            if bytes != (want == ASCIIProjection.drop ? [] : [want]) { wrong.append(String(format: "U+%04X read as %@", v, bytes.description)) }
        }
        #expect(wrong.isEmpty, "\(wrong.count): \(wrong.prefix(20))")
    }

    /// JSON escapes are read as what they stand for, surrogate pairs included.
    @Test func projectionReadsJSONEscapes() {
        func p(_ s: String) -> String {
            var out: [UInt8] = []
            Array(s.utf8).withUnsafeBytes { ASCIIProjection.project($0, json: true, into: &out) }
            return String(decoding: out.map { $0 == 0x80 ? UInt8(ascii: "#") : $0 }, as: UTF8.self)
        }
        #expect(p(#"Zo\u00EB M\u00fcller"#) == "zoe muller")
        #expect(p(#"a\"b\\c\/d\te"#) == "a\"b\\c/d\te")
        #expect(p(#"\ud83d\ude00x\u212Aelvin"#) == "#xkelvin")
        #expect(p(#"\u00"#) == "#u00", "a malformed escape is no letter")
        // The fast reader gives the same bytes, for JSON text of every kind seeded below.
        var g = Harness.SeededRandom.fromEnvironment()
        let parts = ["a", "Z", "é", "e\u{301}", "ß", "東", "😀", "\\\"", "\\\\", "\\u00e9", "\\ud83d\\ude00", "\\n", "\u{212A}", "\u{2260}", " ", "\u{FF}"]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0..<12, using: &g)).map { _ in parts.randomElement(using: &g)! }.joined()
            var slow: [UInt8] = []
            let fast: [UInt8] = Array(text.utf8).withUnsafeBytes { raw in
                ASCIIProjection.project(raw, json: true, into: &slow)
                return [UInt8](unsafeUninitializedCapacity: max(1, raw.count)) { buf, count in count = ASCIIProjection.projectFast(raw, into: buf) }
            }
            #expect(fast == slow, "\(text): \(g)")
        }
    }

    // MARK: The filter against plain decoding

    /// Records whose only spelling of the text is a scalar that folds into ASCII: the byte
    /// filter must not rule them out by the ASCII search (the old filter did).
    @Test func scalarsFoldingIntoASCIIAreFound() throws {
        let cases: [(name: String, filter: String)] = [
            ("\u{212A}elvin Zed", "KELVIN"), ("\u{212A}elvin Zed", "kel"), ("ſtar Zed", "star"), ("ſtar Zed", "ST"),
            ("Zed Xİ", "xi"), ("Zed a\u{37E}b", "a;b"), ("Zed \u{1FEF}q", "`q"), ("Zed \u{212A}ſ", "ks"),
            // Accents: composed, decomposed (NFD), stacked, in the search too.
            ("Zoë Müller", "zoe muller"), ("Zoë Müller", "ZOE"), ("Zoe\u{308} Mu\u{308}ller", "zoe muller"),
            ("Zoe Muller", "Zoë Müller"), ("Nguyễn Huệ", "nguyen hue"), ("Ngu\u{302}\u{303}yen", "nguyen"), ("Björn Ångström", "ANGSTROM"),
        ]
        for (k, c) in cases.enumerated() {
            let customer = Customer(id: "C\(100 + k)", version: 1, name: c.name, email: "zed\(k)@example.org", status: .active, services: [],
                                    createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z")
            let json = try RecordCoding.encode(customer, collection: "customers", id: customer.id)
            let q = CustomerQuery(text: c.filter)
            #expect(FastPathTests.reference(q, customer), "the rule: '\(c.filter)' finds '\(c.name)'")
            #expect(json.withUnsafeBytes { q.matches($0) }, "the byte filter: '\(c.filter)' finds '\(c.name)'")
        }
    }


    /// Pieces of names, addresses and e-mail addresses, rich in letters whose case folding is
    /// not ASCII's.
    static let pieces = ["Kelvin", "\u{212A}elvin", "kraft", "Star", "ſtar", "STRASSE", "Straße", "STRAẞE", "straẞe", "İstanbul",
                         "istanbul", "ISTANBUL", "ıspanak", "Iris", "ΟΔΟΣ", "οδός", "Σίσυφος", "σοφός", "ςσΣ", "Åse", "\u{212B}ngström",
                         "µ-meter", "μ", "Smith", "smith", "O'Brien", "Zoë", "Rene\u{301}e", "Renée", "東京", "Олег", "ОЛЕГ", "quote\"d",
                         "back\\slash", "tab\tx", "+44 20 7946", "0958", "example.org", "Ex", "k", "K", "s", "S", "ß", "σ", "Σ", "ς",
                         // Accents composed and decomposed (NFD), stacked, and their plain spellings.
                         "Müller", "Mu\u{308}ller", "Muller", "MÜLLER", "Nguyễn", "Ngu\u{302}\u{303}yen", "Nguyen", "Chloé", "Chloe\u{301}",
                         "Søren", "Łukasz", "Ayşe", "Ays\u{327}e", "Άννα", "Α\u{301}ννα", "Dvořák", "Dvor\u{30C}a\u{301}k", "e\u{301}\u{301}x"]

    /// Each scalar in a form that must fold to the same thing (or, for İ and ı, to itself).
    static func perturbed(_ s: String, _ g: inout Harness.SeededRandom) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            let alternatives: [String]
            switch u {
            case "k", "K", "\u{212A}": alternatives = ["k", "K", "\u{212A}"]
            case "s", "S", "ſ": alternatives = ["s", "S", "ſ"]
            case "ß", "ẞ": alternatives = ["ß", "ẞ"]
            case "σ", "Σ", "ς": alternatives = ["σ", "Σ", "ς"]
            case "å", "Å", "\u{212B}": alternatives = ["å", "Å", "\u{212B}"]
            case "µ", "μ", "Μ": alternatives = ["µ", "μ", "Μ"]
            default:
                let up = String(u).uppercased(), low = String(u).lowercased()
                // Accents aside: decomposed (NFD), or the base letter with its marks dropped.
                let nfd = String(u).decomposedStringWithCanonicalMapping
                let base = String(String.UnicodeScalarView(nfd.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }))
                alternatives = [String(u)] + [up, low].filter { $0.unicodeScalars.count == 1 } + [nfd] + (base.isEmpty ? [] : [base])
            }
            out.append(contentsOf: alternatives.randomElement(using: &g)!.unicodeScalars)
        }
        return String(out)
    }

    static func generated(_ n: Int, _ g: inout Harness.SeededRandom) -> [Customer] {
        func words(_ k: ClosedRange<Int>) -> String {
            (0..<Int.random(in: k, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined(separator: " ")
        }
        return (0..<n).map { i in
            let email = pieces.randomElement(using: &g)!.filter { $0.isLetter }.prefix(8) + "\(i)@" + ["example.org", "EXAMPLE.ORG", "straße.de"].randomElement(using: &g)!
            return Customer(id: String(format: "C%07d", i + 1), version: 1, name: words(1...3), email: String(email),
                            alternateEmails: Bool.random(using: &g) ? [words(1...1) + "@alt.example"] : [],
                            phone: Bool.random(using: &g) ? "+44 20 \(Int.random(in: 1000...9999, using: &g)) \(Int.random(in: 1000...9999, using: &g))" : nil,
                            address: Bool.random(using: &g) ? words(1...4) : nil, status: CustomerStatus.allCases.randomElement(using: &g)!,
                            services: [], createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z")
        }
    }

    /// Needles: pieces of the generated fields (by scalars), each scalar in another case form;
    /// and pieces of the pool, which may match nothing.
    static func needles(_ customers: [Customer], _ count: Int, _ g: inout Harness.SeededRandom) -> [String] {
        (0..<count).map { _ in
            let c = customers.randomElement(using: &g)!
            let source = Bool.random(using: &g)
                ? ([c.name, c.email, c.address ?? c.name] + c.alternateEmails).randomElement(using: &g)!
                : pieces.randomElement(using: &g)!
            let scalars = Array(source.unicodeScalars)
            let len = Int.random(in: 1...min(6, scalars.count), using: &g)
            let start = Int.random(in: 0...(scalars.count - len), using: &g)
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[start..<(start + len)])
            return perturbed(String(piece), &g)
        }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// Record by record: `CustomerQuery.matches` on the bytes the store writes against decoding
    /// them with JSONDecoder and comparing folded fields.
    @Test func byteFilterAgreesWithPlainDecodingOnGeneratedRecords() throws {
        var g = Harness.SeededRandom.fromEnvironment()
        print("CaseFoldTests: \(g)")
        let customers = Self.generated(4000, &g)
        let encoded = try customers.map { try RecordCoding.encode($0, collection: "customers", id: $0.id) }
        let decoded = try encoded.map { bytes in try JSONDecoder().decode(Customer.self, from: Data(bytes)) }
        let queries = Self.needles(customers, 60, &g)
        var disagreements: [String] = []
        for text in queries {
            for status in [nil, CustomerStatus.allCases.randomElement(using: &g)!] {
                let q = CustomerQuery(text: text, status: status)
                let p = CustomerQuery.Prepared(q)
                for (k, json) in encoded.enumerated() {
                    let fast = json.withUnsafeBytes { p.matches($0) }
                    let plain = FastPathTests.reference(q, decoded[k])
                    if fast != plain, disagreements.count < 10 {
                        disagreements.append("'\(text)' \(status?.rawValue ?? "-") on \(decoded[k].id) \(decoded[k].name) / \(decoded[k].address ?? "") : fast \(fast), plain \(plain)")
                    }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(g): \(disagreements)")
    }

    /// The same through a real store and the service, with enough records that the filter splits
    /// the scan between threads.
    @Test func serviceFilterAgreesWithPlainDecodingOnAStore() throws {
        var g = Harness.SeededRandom.fromEnvironment()
        print("CaseFoldTests: \(g)")
        let w = try ServiceWorld()
        let customers = Self.generated(17_000, &g)
        try w.root.bulkInsert(customers)
        let ops = try w.open(.support)
        let stored = try ops.listCustomers()
        #expect(stored.count == customers.count)
        for text in Self.needles(customers, 12, &g) {
            let want = stored.filter { FastPathTests.reference(CustomerQuery(text: text), $0) }.map(\.id)
            let got = try ops.matchingCustomerIDs(filter: text)
            #expect(got == want, "'\(text)': \(got.count) found, \(want.count) expected; \(g)")
            let cells = try ops.listCustomerCells(filter: text)
            #expect((0..<cells.rowCount).map { cells.cell(row: $0, column: 0) } == want, "'\(text)' cells; \(g)")
        }
    }
}
