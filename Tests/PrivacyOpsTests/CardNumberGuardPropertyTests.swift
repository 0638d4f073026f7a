import Foundation
import Testing

@testable import PrivacyOps

/// Seeded random inputs against the card-number guard: real-brand numbers in every separator
/// class and script are found, in text and in store files alike; hex hashes, UUIDs, ISBNs and
/// phone numbers are not. Each test prints its seed on failure; set `LGADMIN_TEST_SEED` to
/// replay another.
@Suite struct CardNumberGuardPropertyTests {
    static func seed(_ fallback: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["LGADMIN_TEST_SEED"].flatMap { UInt64($0) } ?? fallback
    }

    /// A brand's prefixes (each a range of prefix values of one width) and lengths.
    struct BrandSpec {
        var brand: CardBrand
        var prefixes: [(ClosedRange<Int>, width: Int)]
        var lengths: [Int]
    }

    static let brands: [BrandSpec] = [
        BrandSpec(brand: .visa, prefixes: [(4...4, 1)], lengths: [13, 16, 19]),
        BrandSpec(brand: .mastercard, prefixes: [(51...55, 2), (2221...2720, 4)], lengths: [16]),
        BrandSpec(brand: .amex, prefixes: [(34...34, 2), (37...37, 2)], lengths: [15]),
        BrandSpec(brand: .discover, prefixes: [(6011...6011, 4), (644...649, 3), (65...65, 2)], lengths: [16, 17, 18, 19]),
        BrandSpec(brand: .jcb, prefixes: [(3528...3589, 4)], lengths: [16, 17, 18, 19]),
        BrandSpec(brand: .diners, prefixes: [(300...305, 3), (36...36, 2), (38...39, 2)], lengths: [14, 15, 16, 17, 18, 19]),
        BrandSpec(brand: .unionpay, prefixes: [(62...62, 2)], lengths: [16, 17, 18, 19]),
        BrandSpec(brand: .maestro, prefixes: [(5018...5018, 4), (6304...6304, 4), (6759...6759, 4), (6761...6763, 4)], lengths: [13, 16, 19]),
        BrandSpec(brand: .mir, prefixes: [(2200...2204, 4)], lengths: [16, 19]),
        BrandSpec(brand: .rupay, prefixes: [(81...82, 2), (508...508, 3)], lengths: [16]),
    ]

    /// A Luhn-valid number of the brand: its prefix, random digits, the check digit.
    static func number(_ spec: BrandSpec, _ g: inout SeededRandom) -> [Int] {
        let (range, width) = spec.prefixes.randomElement(using: &g)!
        let length = spec.lengths.randomElement(using: &g)!
        let prefix = String(Int.random(in: range, using: &g))
        var digits = prefix.map { $0.wholeNumberValue! }
        #expect(digits.count == width)
        while digits.count < length - 1 { digits.append(Int.random(in: 0...9, using: &g)) }
        for check in 0...9 where luhn(digits + [check]) { return digits + [check] }
        fatalError("no check digit")
    }

    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (k, d) in digits.reversed().enumerated() {
            sum += k % 2 == 1 ? (d < 5 ? d * 2 : d * 2 - 9) : d
        }
        return sum % 10 == 0
    }

    /// Separators of one character (up to four are put between two groups).
    static let separators: [String] = CardNumberGuardTests.separators.map(\.text).filter { $0.unicodeScalars.count == 1 }
        + ["\u{2008}", "\u{205F}", "\u{FE58}", "\u{2E3A}", "\u{FE4D}", "\u{2024}", "\u{30FB}"]
    static let invisible: [String] = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}", "\u{2061}", "\u{FE0F}"]
    static let zeros: [UInt32] = [0x30] + CardNumberGuardTests.scripts.map(\.zero)

    /// The number written as a person (or an adversary) might: grouped at random, one to four
    /// separators of random classes between groups, invisible characters sprinkled in, digits
    /// of one script or of several.
    static func written(_ digits: [Int], _ g: inout SeededRandom) -> String {
        var out = ""
        let mixScripts = Bool.random(using: &g)
        let script = zeros.randomElement(using: &g)!
        let grouping = Int.random(in: 0...3, using: &g)  // 0: none, 1: fours, 2: random sizes, 3: every digit
        var sinceSeparator = 0
        var nextGroup = grouping == 2 ? Int.random(in: 1...6, using: &g) : 4
        for (k, d) in digits.enumerated() {
            if k > 0 {
                let split: Bool
                switch grouping {
                case 0: split = false
                case 1: split = sinceSeparator == 4
                case 2: split = sinceSeparator == nextGroup
                default: split = true
                }
                if split {
                    for _ in 0..<Int.random(in: 1...4, using: &g) { out += separators.randomElement(using: &g)! }
                    sinceSeparator = 0
                    nextGroup = grouping == 2 ? Int.random(in: 1...6, using: &g) : 4
                }
            }
            if Int.random(in: 0..<8, using: &g) == 0 { out += invisible.randomElement(using: &g)! }
            let zero = mixScripts ? zeros.randomElement(using: &g)! : script
            out.unicodeScalars.append(Unicode.Scalar(zero + UInt32(d))!)
            sinceSeparator += 1
        }
        return out
    }

    /// Text around a number without digits next to it.
    static let plainContexts: [(String, String)] = [
        ("", ""), ("card ", ""), ("Card: ", "."), ("my card is ", ", thanks"), ("card", ""), ("VISA", "xyz"), ("cc#", "!"),
        ("(", ")"), ("\"", "\""), ("カード番号", "です"), ("«", "»"), ("номер карты ", " спасибо"), ("رقم البطاقة ", ""),
        ("id_", "_x"), ("\u{202E}", "\u{202C}"), ("<b>", "</b>"), ("a\n", "\nb"),
    ]
    /// Text around a number with digits next to it (other groups, a code, a reference), and
    /// whether those digits are glued on (no separator).
    static let digitContexts: [(String, String, glued: Bool)] = [
        ("", " 123", false), ("", "/123", false), ("", " 12/27 123", false), ("", "737", true), ("ref 42 ", "", false),
        ("2026-", "", false), ("00", "", true), ("99 ", " 737", false), ("customer 12345 card ", " cvc 999", false),
        ("4 ", "", false), ("", "\t1234", false),
    ]

    /// The digits of `text` (any script), as ASCII.
    static func asciiDigits(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            let (kind, value) = CardNumberCharacters.classify(s)
            if kind == .digit { out.append(Character(Unicode.Scalar(0x30 + value))) }
        }
        return out
    }

    /// JSON for a string with every non-ASCII character escaped as `\uXXXX` (surrogate pairs
    /// above the BMP), as a hand-written or foreign journal line might hold it.
    static func jsonEscapingEverything(_ text: String) -> String {
        var out = "{\"note\":\""
        for u in text.utf16 {
            switch u {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(u)))
            default: out += String(format: "\\u%04x", u)
            }
        }
        return out + "\"}"
    }

    static func scan(_ text: String) -> [CardNumberMatch] {
        Array(text.utf8).withUnsafeBytes { CardNumberGuard.scan($0) }
    }

    static func jsonLine(_ text: String) throws -> String {
        String(decoding: try JSONEncoder().encode(["note": text]), as: UTF8.self)
    }

    @Test func realBrandNumbersAreFoundHoweverWritten() throws {
        let seed = Self.seed(20_260_302)
        var g = SeededRandom(seed: seed)
        for round in 0..<6000 {
            let spec = Self.brands[round % Self.brands.count]
            let digits = Self.number(spec, &g)
            let card = digits.map(String.init).joined()
            let written = Self.written(digits, &g)
            let withDigitsBeside = Int.random(in: 0..<3, using: &g) == 0
            let (before, after, glued) = withDigitsBeside ? Self.digitContexts.randomElement(using: &g)!
                : { let c = Self.plainContexts.randomElement(using: &g)!; return (c.0, c.1, false) }()
            // Glued to other digits, 13- and 14-digit numbers are not looked for (documented).
            if glued, card.count < CardNumberScanner.minimumGluedDigits { continue }
            let text = before + written + after
            let label = "seed \(seed) round \(round): \(spec.brand) \(card) as \(text.debugDescription)"
            guard let match = CardNumberGuard.find(in: text) else {
                Issue.record("not found: \(label)")
                continue
            }
            if !withDigitsBeside {
                #expect(match.last4 == String(card.suffix(4)) && match.digitCount == card.count, "\(label)")
                // From the first digit (invisible characters before it are not part of it).
                let leading = written.unicodeScalars.prefix { CardNumberCharacters.classify($0).kind == .ignorable }
                let start = Array(before.utf8).count + leading.reduce(0) { $0 + UTF8.width($1) }
                #expect(match.range == start..<(Array(before.utf8).count + Array(written.utf8).count), "\(label)")
            }
            // Masked, no number is left and only the last four digits of this one show.
            let masked = CardNumberGuard.masked(text)
            #expect(CardNumberGuard.find(in: masked) == nil, "\(label) masked \(masked.debugDescription)")
            #expect(!Self.asciiDigits(masked).contains(String(card.prefix(card.count - 4))), "\(label) masked \(masked.debugDescription)")
            // In a store file, whether encoded as Swift does or with every character escaped.
            #expect(!Self.scan(try Self.jsonLine(text)).isEmpty, "\(label) in a JSON line")
            let escaped = Self.jsonEscapingEverything(text)
            #expect(!Self.scan(escaped).isEmpty, "\(label) in \(escaped)")
            let maskedFile = CardNumberGuard.masked(bytes: Array(escaped.utf8), json: true)
            #expect(maskedFile.withUnsafeBytes { CardNumberGuard.scan($0) }.isEmpty, "\(label)")
        }
    }

    static func hex(_ count: Int, _ g: inout SeededRandom, upper: Bool = false) -> String {
        let alphabet = Array(upper ? "0123456789ABCDEF" : "0123456789abcdef")
        return String((0..<count).map { _ in alphabet.randomElement(using: &g)! })
    }

    static func uuid(_ g: inout SeededRandom, upper: Bool) -> String {
        var s = Self.hex(32, &g, upper: upper)
        // Version 4, variant 10xx.
        let chars = Array(s)
        var out = Array(chars)
        out[12] = "4"
        out[16] = Array(upper ? "89AB" : "89ab").randomElement(using: &g)!
        s = String(out)
        let a = Array(s)
        return String(a[0..<8]) + "-" + String(a[8..<12]) + "-" + String(a[12..<16]) + "-" + String(a[16..<20]) + "-" + String(a[20..<32])
    }

    @Test func hexHashesAndUUIDsAreNeverCards() throws {
        let seed = Self.seed(7_340_033)
        var g = SeededRandom(seed: seed)
        var longestDigitRun = 0
        for round in 0..<20_000 {
            let upper = round % 5 == 4
            let token: String
            switch round % 6 {
            case 0, 1: token = Self.hex(64, &g, upper: upper)  // SHA-256
            case 2: token = Self.hex(40, &g, upper: upper)  // SHA-1
            case 3: token = Self.hex(32, &g, upper: upper)  // MD5, UUID without dashes
            case 4: token = "S" + Self.hex(24, &g)  // a suppression id
            default: token = Self.uuid(&g, upper: upper)
            }
            longestDigitRun = max(longestDigitRun, token.split(whereSeparator: { !$0.isNumber && $0 != "-" }).map(\.count).max() ?? 0)
            let contexts = ["\(token)", "sha256 \(token)", "{\"hash\":\"\(token)\",\"prev_hash\":\"\(token)\"}",
                            "id=\(token);", "\(token) \(token)", "(\(token))", "\(token)\n",
                            // Dash-joined names (a temp directory, a message id) hold UUIDs too.
                            "lgadmin-svc-\(token)", "/tmp/run-\(token)/cur", "\(token)-2"]
            for text in contexts {
                let label = "seed \(seed) round \(round): \(text)"
                #expect(CardNumberGuard.find(in: text) == nil, "\(label)")
                #expect(Self.scan(text).isEmpty, "\(label)")
            }
            // A UUID whose every hex digit is a decimal digit is no UUID; the rest always are.
            if round % 6 == 5 {
                let braced = "{\(token.uppercased())}"
                #expect(CardNumberGuard.find(in: braced) == nil, "seed \(seed) round \(round): \(braced)")
            }
        }
        // The draw did hold long digit runs inside the tokens (the test can fail).
        #expect(longestDigitRun >= 13, "seed \(seed): longest digit run \(longestDigitRun)")
    }

    /// ISBN-13s (978/979: no brand starts with 9) and phone numbers of up to 12 digits (no
    /// brand issues numbers that short) never match, however they are written.
    @Test func isbnsAndPhoneNumbersAreNeverCards() throws {
        let seed = Self.seed(978_030_640)
        var g = SeededRandom(seed: seed)
        for round in 0..<5000 {
            var isbn = [9, 7, Bool.random(using: &g) ? 8 : 9] + (0..<9).map { _ in Int.random(in: 0...9, using: &g) }
            let sum = isbn.enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 1 : 3) }
            isbn.append((10 - sum % 10) % 10)
            let written = Self.written(isbn, &g)
            let text = "ISBN \(written)"
            #expect(CardNumberGuard.find(in: text) == nil, "seed \(seed) round \(round): \(text.debugDescription)")

            // A phone number: country code and national number, 8 to 12 digits in all.
            let total = Int.random(in: 8...12, using: &g)
            let cc = [1, 7, 20, 27, 30, 31, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 52, 55, 61, 62, 81, 82, 86, 90, 91, 234, 353, 358, 380].randomElement(using: &g)!
            var phone = String(cc).map { $0.wholeNumberValue! }
            while phone.count < total { phone.append(Int.random(in: 0...9, using: &g)) }
            let formats = ["+", "00", "+", "tel:+"]
            let p = formats.randomElement(using: &g)! + Self.written(phone, &g)
            #expect(CardNumberGuard.find(in: p) == nil, "seed \(seed) round \(round): \(p.debugDescription)")
        }
    }

    /// The counting first pass hands every 13-digit sequence to the full reading, so the two
    /// give the same matches, in text and in JSON, on texts dense with digits, separators,
    /// escapes, hex tokens and other scripts.
    @Test func firstPassAgreesWithTheFullReading() throws {
        let seed = Self.seed(4_242)
        var g = SeededRandom(seed: seed)
        let pieces = ["4111", "1111", "5555", "4444", "3782", "822463", "10005", "6011", "0", "9", "42", "123",
                      " ", "-", ".", "/", "_", "\t", "\n", "  ", "     ", "\u{00A0}", "\u{2013}", "\u{200B}", "\u{0301}",
                      "a", "f", "x", "Z", ":", "\"", "\\", "\\u00a0", "\\uff14", "\\t", "\\/", "\\ud835\\udfd2", "\\u12",
                      "deadbeefcafe", "9f86d081884c7d659a2feaa0c55ad015", "550e8400-e29b-41d4-a716-446655440000", "\u{FF14}",
                      "\u{0661}", "\u{1D7CF}", "é", "日本", "+", "\u{FF}"]
        var withMatches = 0
        for round in 0..<20_000 {
            let text = (0..<Int.random(in: 1...24, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
            let bytes = Array(text.utf8)
            for json in [false, true] {
                var fast: [CardNumberMatch] = [], full: [CardNumberMatch] = []
                bytes.withUnsafeBytes { raw in
                    var a = CardNumberScanner(jsonEscapes: json)
                    a.run(raw) { fast.append($0); return true }
                    var b = CardNumberScanner(jsonEscapes: json)
                    b.runFullReadingOnly(raw) { full.append($0); return true }
                }
                #expect(fast == full, "seed \(seed) round \(round) json \(json): \(text.debugDescription)")
                if !full.isEmpty { withMatches += 1 }
            }
        }
        #expect(withMatches > 500, "seed \(seed): only \(withMatches) texts held a number; the draw tests little")
    }

    /// Cut into pieces for several threads, a large file gives exactly the matches of one scan,
    /// numbers next to the cuts included.
    @Test func parallelScanAgreesWithOneScan() throws {
        let seed = Self.seed(2_718)
        var g = SeededRandom(seed: seed)
        let pieces = ["{\"id\":\"C0000001\",\"note\":\"", "4111 1111 1111 1111", "4111,1111,1111,1111", "5555-5555-5555-4444", ",", ":", "{", "}",
                      "[", "]", "\"}\n", " ", "\\u00a0", "\\\\", "\\\"", "9f86d081884c7d659a2feaa0c55ad015", "\u{FF14}\u{FF11}", "é", "0", "42"]
        for round in 0..<4 {
            var text = ""
            while text.utf8.count < (3 << 20) { text += pieces.randomElement(using: &g)! }
            let bytes = Array(text.utf8)
            let one = bytes.withUnsafeBytes { CardNumberGuard.scan($0) }
            #expect(one.count > 1000, "seed \(seed) round \(round)")
            for parts in [2, 3, 4, 7] {
                let split = bytes.withUnsafeBytes { CardNumberGuard.scanInParallel($0, parts: parts) }
                #expect(split == one, "seed \(seed) round \(round) parts \(parts): \(split.count) vs \(one.count)")
            }
        }
    }

    /// The write path (text) and `store scan` (the JSON line it is stored as) agree on every
    /// text: nothing a write path accepts is reported by the scan, and the other way round.
    @Test func writePathAndScanAgree() throws {
        let seed = Self.seed(1_111)
        var g = SeededRandom(seed: seed)
        let pieces = ["4111", "1111", "5555", "4444", "0005", "3782", "822463", "10005", "42", "123", "2026", "11", "25",
                      " ", "  ", "-", ".", "/", "_", "\t", "\n", "\u{00A0}", "\u{2013}", "\u{200B}", ",", ":", "\"", "\\",
                      "a", "f", "x", "Z", "card", "deadbeef", "550e8400-e29b-41d4-a716-446655440000", "\u{FF14}", "\u{0661}",
                      "\u{1D7CF}", "é", "日本", "+", "(", ")", "\u{1}", "\u{7F}"]
        var found = 0
        for round in 0..<20_000 {
            let text = (0..<Int.random(in: 1...14, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
            let inText = CardNumberGuard.find(in: text) != nil
            let inFile = !Self.scan(try Self.jsonLine(text)).isEmpty
            let inEscaped = !Self.scan(Self.jsonEscapingEverything(text)).isEmpty
            #expect(inText == inFile && inText == inEscaped, "seed \(seed) round \(round): \(text.debugDescription) text \(inText) file \(inFile) escaped \(inEscaped)")
            if inText { found += 1 }
        }
        #expect(found > 100, "seed \(seed): only \(found) texts held a number; the draw tests little")
    }
}
