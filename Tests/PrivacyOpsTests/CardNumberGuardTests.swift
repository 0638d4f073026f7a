import Foundation
import Testing

@testable import PrivacyOps

@Suite struct CardNumberGuardTests {
    /// Published test numbers of the card brands.
    static let cards: [String] = [
        "4111111111111111",  // Visa
        "4012888888881881",  // Visa
        "4222222222222",  // Visa, 13 digits
        "5555555555554444",  // Mastercard
        "5105105105105100",  // Mastercard
        "2223003122003222",  // Mastercard 2-series
        "378282246310005",  // Amex
        "371449635398431",  // Amex
        "6011111111111117",  // Discover
        "6011000990139424",  // Discover
        "3530111333300000",  // JCB
        "30569309025904",  // Diners Club, 14 digits
        "6200000000000005",  // UnionPay
        "2200000000000004",  // Mir
        "6759649826438453",  // Maestro
    ]

    /// Groups as printed on the card: 4-6-5 for Amex, 4-6-4 for Diners, else fours.
    static func grouped(_ number: String, separator: String) -> String {
        let digits = Array(number)
        let sizes: [Int]
        switch digits.count {
        case 15: sizes = [4, 6, 5]
        case 14: sizes = [4, 6, 4]
        default: sizes = Array(repeating: 4, count: (digits.count + 3) / 4)
        }
        var parts: [String] = []
        var index = 0
        for size in sizes where index < digits.count {
            let end = min(index + size, digits.count)
            parts.append(String(digits[index..<end]))
            index = end
        }
        return parts.joined(separator: separator)
    }

    /// `number` with its ASCII digits written in the script whose zero is `zero`.
    static func inScript(_ number: String, zero: UInt32) -> String {
        var out = String.UnicodeScalarView()
        for s in number.unicodeScalars {
            if let v = Character(s).wholeNumberValue, s.isASCII {
                out.append(Unicode.Scalar(zero + UInt32(v))!)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    static func utf8Offset(of needle: String, in text: String) -> Int? {
        let hay = Array(text.utf8)
        let pin = Array(needle.utf8)
        guard pin.count <= hay.count else { return nil }
        for start in 0...(hay.count - pin.count) where Array(hay[start..<(start + pin.count)]) == pin {
            return start
        }
        return nil
    }

    func scanAll(_ text: String) -> [CardNumberMatch] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { CardNumberGuard.scan($0) }
    }

    @Test(arguments: cards)
    func plainNumberIsFound(_ card: String) throws {
        let match = try #require(CardNumberGuard.find(in: card))
        #expect(match.range == 0..<card.utf8.count)
        #expect(match.digitCount == card.count)
        #expect(match.last4 == String(card.suffix(4)))
    }

    @Test(arguments: cards)
    func spacedNumberIsFound(_ card: String) throws {
        let spaced = Self.grouped(card, separator: " ")
        #expect(spaced.contains(" "))
        let match = try #require(CardNumberGuard.find(in: spaced))
        #expect(match.range == 0..<spaced.utf8.count)
        #expect(match.digitCount == card.count)
        #expect(match.last4 == String(card.suffix(4)))
    }

    @Test(arguments: cards)
    func dashedNumberIsFound(_ card: String) throws {
        let dashed = Self.grouped(card, separator: "-")
        let match = try #require(CardNumberGuard.find(in: dashed))
        #expect(match.range == 0..<dashed.utf8.count)
        #expect(match.last4 == String(card.suffix(4)))
    }

    @Test(arguments: cards)
    func numberEmbeddedInTextIsFoundAtItsOffset(_ card: String) throws {
        for written in [card, Self.grouped(card, separator: " "), Self.grouped(card, separator: "-")] {
            let text = "Hi, please charge my card (\(written)), thanks! Order 2026-11-25."
            let match = try #require(CardNumberGuard.find(in: text), "\(written)")
            let start = try #require(Self.utf8Offset(of: written, in: text))
            #expect(match.range == start..<(start + written.utf8.count))
            #expect(match.last4 == String(card.suffix(4)))
        }
    }

    @Test(arguments: cards)
    func numberFailingLuhnIsNotACard(_ card: String) throws {
        // Change the check digit: the number is no longer Luhn-valid.
        let last = try #require(card.last?.wholeNumberValue)
        let broken = String(card.dropLast()) + String((last + 1) % 10)
        #expect(CardNumberGuard.find(in: broken) == nil)
        #expect(CardNumberGuard.find(in: Self.grouped(broken, separator: " ")) == nil)
    }

    /// Every separator class between the groups: Unicode spaces, dashes, the minus sign, tabs,
    /// line breaks, dots, slashes, underscores, and up to four of them in a row.
    static let separators: [(name: String, text: String)] = [
        ("space", " "), ("no-break space", "\u{00A0}"), ("figure space", "\u{2007}"), ("thin space", "\u{2009}"),
        ("narrow no-break space", "\u{202F}"), ("ideographic space", "\u{3000}"), ("em space", "\u{2003}"),
        ("ogham space", "\u{1680}"), ("line separator", "\u{2028}"),
        ("hyphen-minus", "-"), ("hyphen", "\u{2010}"), ("non-breaking hyphen", "\u{2011}"), ("figure dash", "\u{2012}"),
        ("en dash", "\u{2013}"), ("em dash", "\u{2014}"), ("horizontal bar", "\u{2015}"), ("minus sign", "\u{2212}"),
        ("small hyphen-minus", "\u{FE63}"), ("full-width hyphen-minus", "\u{FF0D}"), ("wave dash", "\u{301C}"),
        ("tab", "\t"), ("line feed", "\n"), ("CRLF", "\r\n"), ("dot", "."), ("full-width full stop", "\u{FF0E}"),
        ("middle dot", "\u{00B7}"), ("ideographic full stop", "\u{3002}"), ("slash", "/"), ("full-width solidus", "\u{FF0F}"),
        ("division slash", "\u{2215}"), ("fraction slash", "\u{2044}"), ("underscore", "_"), ("full-width low line", "\u{FF3F}"),
        ("two spaces", "  "), ("spaced dash", " - "), ("double dash", "--"), ("four separators", " -\u{00A0}."),
    ]

    @Test func everySeparatorClassJoinsTheGroups() throws {
        for card in Self.cards {
            for (name, sep) in Self.separators {
                let written = Self.grouped(card, separator: sep)
                let text = "card: \(written) thanks"
                let match = try #require(CardNumberGuard.find(in: text), "\(name) in \(card)")
                let start = try #require(Self.utf8Offset(of: written, in: text))
                #expect(match.range == start..<(start + written.utf8.count), "\(name)")
                #expect(match.last4 == String(card.suffix(4)) && match.digitCount == card.count, "\(name)")
                #expect(scanAll(text).map(\.last4) == [String(card.suffix(4))], "\(name)")
            }
        }
    }

    @Test func fiveSeparatorsInARowSplitTheNumber() {
        #expect(CardNumberGuard.find(in: "4111     1111     1111     1111") == nil)
        #expect(CardNumberGuard.find(in: "4111    1111    1111    1111") != nil)
    }

    /// Zero-width and other invisible characters are skipped wherever they are.
    @Test func invisibleCharactersAreSkipped() throws {
        let invisible = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}", "\u{200E}", "\u{202E}",
                         "\u{FE0F}", "\u{0301}", "\u{180E}"]
        for card in Self.cards {
            for z in invisible {
                let everyDigit = card.map { String($0) }.joined(separator: z)
                let between = Self.grouped(card, separator: z + " " + z)
                for written in [everyDigit, between, z + card + z] {
                    let text = "x \(written) y"
                    let match = try #require(CardNumberGuard.find(in: text), "U+\(String(z.unicodeScalars.first!.value, radix: 16))")
                    #expect(match.last4 == String(card.suffix(4)))
                    #expect(CardNumberGuard.masked(text).contains(String(card.prefix(6))) == false)
                }
            }
        }
    }

    /// Decimal digits of every script count as their values.
    static let scripts: [(name: String, zero: UInt32)] = [
        ("full-width", 0xFF10), ("Arabic-Indic", 0x0660), ("Extended Arabic-Indic", 0x06F0), ("Devanagari", 0x0966),
        ("Bengali", 0x09E6), ("Thai", 0x0E50), ("Tibetan", 0x0F20), ("Myanmar", 0x1040), ("Mongolian", 0x1810),
        ("NKo", 0x07C0), ("mathematical bold", 0x1D7CE), ("mathematical double-struck", 0x1D7D8),
        ("mathematical monospace", 0x1D7F6), ("Adlam", 0x1E950),
    ]

    @Test func digitsOfEveryScriptAreDigits() throws {
        for card in Self.cards {
            for (name, zero) in Self.scripts {
                for written in [Self.inScript(card, zero: zero), Self.inScript(Self.grouped(card, separator: " "), zero: zero),
                                Self.inScript(Self.grouped(card, separator: "\u{FF0D}"), zero: zero)] {
                    let text = "番号 \(written) です"
                    let match = try #require(CardNumberGuard.find(in: text), "\(name): \(card)")
                    #expect(match.last4 == String(card.suffix(4)), "\(name)")
                    let start = try #require(Self.utf8Offset(of: written, in: text))
                    #expect(match.range == start..<(start + written.utf8.count), "\(name)")
                }
            }
            // Scripts mixed digit by digit.
            let mixed = String(card.enumerated().map { k, c in
                Character(Self.inScript(String(c), zero: Self.scripts[k % Self.scripts.count].zero))
            })
            #expect(CardNumberGuard.find(in: mixed)?.last4 == String(card.suffix(4)))
        }
    }

    /// A number followed by a security code or an expiry, or preceded by a reference, with or
    /// without separators.
    @Test func numberBesideOtherDigitGroupsIsFound() throws {
        let card = "4111111111111111"
        let spaced = Self.grouped(card, separator: " ")
        for text in ["\(spaced) 123", "\(spaced)/123", "\(spaced) 12/27 123", "\(card) 737", "\(card)123", "\(card)1",
                     "ref 42 \(spaced)", "2026-\(card)", "00\(card)", "99 \(spaced) 737", "\(spaced)\t1234",
                     "customer 12345 card \(spaced) cvc 999", "\(spaced)-12-27-123", "4 \(card)"] {
            let match = try #require(CardNumberGuard.find(in: text), "\(text)")
            #expect(match.last4 == "1111", "\(text)")
            let masked = CardNumberGuard.masked(text)
            #expect(CardNumberGuard.find(in: masked) == nil, "\(masked)")
            #expect(!masked.filter(\.isNumber).contains("411111111111"), "\(masked)")
        }
    }

    /// Letters glued to the digits end the sequence but do not hide the number.
    @Test func numberGluedToLettersIsFound() throws {
        for text in ["card4111111111111111", "VISA4111111111111111", "4111111111111111xyz", "id_4111111111111111",
                     "cc#4111-1111-1111-1111exp", "abc4111111111111111def", "amex378282246310005ok",
                     "カード番号4111111111111111です", "Visa:4111111111111111;", "ab4111111111111111cd"] {
            let match = try #require(CardNumberGuard.find(in: text), "\(text)")
            #expect(match.last4 == "1111" || match.last4 == "0005", "\(text)")
        }
        let japanese = "カード番号4111111111111111です"
        #expect(CardNumberGuard.find(in: japanese)?.range == 15..<31)
    }

    @Test func messageNamesOnlyTheLastFourDigits() throws {
        let match = try #require(CardNumberGuard.find(in: "card: 4111 1111 1111 1111"))
        #expect("\(match)" == "a card number ending 1111")
        #expect(!match.description.contains("4111111111111111"))
        #expect(!match.description.contains("4111 1111"))
    }

    @Test(arguments: [
        "+1 (555) 123-4567",  // US phone
        "+1 555 010 0000", "+1-555-010-0000", "555.010.0000", "(555) 010-0000 ext. 1234",
        "+44 20 7946 0958",  // UK phone
        "+33 1 23 45 67 89", "+81 3-1234-5678", "+86 138 0013 8000", "+91 98765 43210", "+61 2 9876 5432",
        "0049 30 12345678",  // German phone with 00 prefix: no brand starts with 0
        "+49 (0)30 1234 5678", "+49 151 2345 6789",
        "call 555-123-4567 or 555-987-6543",
        "Order #2024-000123-77",  // order number
        "ORD-20241125-0042",
        "2026-11-25",  // ISO date
        "2026-11-25T10:00:00Z",
        "25/11/2026 10:30", "2026/11/25", "25.11.2026",
        "due 2026-11-25, received 2026-12-10",
        "978-0-306-40615-7", "9780306406157", "ISBN 979-10-90636-07-1", "ISBN-13: 978-3-16-148410-0",  // ISBNs
        "4111111111111112",  // 16 digits, not Luhn-valid
        "1234 5678 9012 3456",  // 16 digits, not Luhn-valid
        "1234567890128",  // 13 digits, Luhn-valid but no brand issues numbers starting with 1
        "123456789015",  // 12 digits, Luhn-valid but too short
        "1234-5678-9015",
        "7000 0000 0000 0000 009", "9999999999999999995",  // no brand starts with 7 or 9
        "DE89 3704 0044 0532 0130 00",  // IBAN
        "GB29 NWBK 6016 1331 9268 19",  // IBAN
        "USD 1,234,567.89",  // amounts
        "12345.67",
        "4111111111111.11",
        "4111,1111,1111,1111",  // commas separate list items
        "IP 203.0.113.45, 2026-03-02T09:00:00Z", "v1.2.3.4", "10.0.0.1/24",
        "tracking 1Z999AA10123456784", "transaction 9XJ47261TT0123456",
        "4111\u{2026}1111\u{2026}1111\u{2026}1111",  // an ellipsis is not a separator
    ])
    func lookAlikeIsNotACard(_ text: String) {
        #expect(CardNumberGuard.find(in: text) == nil)
        #expect(scanAll(text).isEmpty)
        #expect(CardNumberGuard.masked(text) == text)
    }

    @Test func lengthBoundaries() {
        #expect(CardNumberGuard.find(in: "4222222222222")?.digitCount == 13)  // 13, Visa
        #expect(CardNumberGuard.find(in: "4111111111111111110")?.digitCount == 19)  // 19, Visa
        #expect(CardNumberGuard.find(in: "123456789015") == nil)  // 12
        #expect(CardNumberGuard.find(in: "422222222222") == nil)  // 12 digits of a Visa prefix
        // 20 digits: the 16-digit Visa number at the start of the run is found.
        #expect(CardNumberGuard.find(in: "41111111111111111115")?.last4 == "1111")
    }

    /// A brand's prefix at the wrong length is not that brand's number.
    @Test func brandLengthsAreKept() {
        #expect(CardBrand.issuing(digits: "378282246310005".map { UInt8($0.wholeNumberValue!) }) == .amex)
        #expect(CardBrand.issuing(digits: "3782822463100058".map { UInt8($0.wholeNumberValue!) }) != .amex)
        #expect(CardBrand.issuing(digits: "41111111111111".map { UInt8($0.wholeNumberValue!) }) == nil)  // Visa 14
        #expect(CardBrand.issuing(digits: "5555555555554444".map { UInt8($0.wholeNumberValue!) }) == .mastercard)
        #expect(CardBrand.issuing(digits: "555555555555444".map { UInt8($0.wholeNumberValue!) }) == nil)
        #expect(CardBrand.issuing(digits: "9780306406157".map { UInt8($0.wholeNumberValue!) }) == nil)
    }

    /// Hex hashes, keys and UUIDs: their digits are not read.
    @Test func hexTokensAndUUIDsAreNotNumbers() {
        let hash = "9f86d081884c7d659a2feaa0c55ad015ab4111111111111111cd0f00a08a3b7c5e"
        #expect(CardNumberGuard.find(in: hash) == nil)
        #expect(CardNumberGuard.find(in: "sha256:\(hash)") == nil)
        #expect(CardNumberGuard.find(in: "S4111111111111111aaaaaaa1") == nil)  // 24 hex characters
        #expect(CardNumberGuard.find(in: "4111111111111111deadbeef") == nil)  // 24 hex characters
        #expect(CardNumberGuard.find(in: "4111111111111111deadbee") != nil)  // 23: a word, not a token
        #expect(CardNumberGuard.find(in: "41111111-1111-4111-a111-111111111111") == nil)  // a UUID
        #expect(CardNumberGuard.find(in: "{41111111-1111-4111-a111-111111111111}") == nil)
        #expect(CardNumberGuard.find(in: "urn:uuid:41111111-1111-4111-A111-111111111111") == nil)
        // UUID-shaped but all digits: no UUID, and the number in it is found.
        #expect(CardNumberGuard.find(in: "41111111-1111-1111-1111-111111111111") != nil)
        // A number beside a UUID is still found.
        #expect(CardNumberGuard.find(in: "4111 1111 1111 1111 550e8400-e29b-41d4-a716-446655440000")?.last4 == "1111")
        #expect(CardNumberGuard.find(in: "550e8400-e29b-41d4-a716-446655440000 4111 1111 1111 1111")?.last4 == "1111")
    }

    @Test func scanFindsEveryCardInAStoreFile() throws {
        let file = """
            {"seq":1,"id":"C0000001","name":"Ann","note":"paid with 4111-1111-1111-1111"}
            {"seq":2,"id":"C0000002","phone":"+1 (555) 123-4567","created_at":"2026-11-25T10:00:00Z"}
            {"seq":3,"id":"C0000003","note":"amex 3782 822463 10005 and mc 5555555555554444"}
            {"seq":4,"card":378282246310005}

            """
        let matches = scanAll(file)
        #expect(matches.map(\.last4) == ["1111", "0005", "4444", "0005"])
        #expect(matches.map(\.digitCount) == [16, 15, 16, 15])
        let bytes = Array(file.utf8)
        for match in matches {
            let text = String(decoding: bytes[match.range], as: UTF8.self)
            #expect(text.first?.isNumber == true && text.last?.isNumber == true)
            #expect(CardNumberGuard.passesLuhn(text))
        }
        let first = try #require(Self.utf8Offset(of: "4111-1111-1111-1111", in: file))
        #expect(matches.first?.range == first..<(first + 19))
    }

    /// In store files, JSON escapes are read as the characters they stand for.
    @Test func scanReadsJSONEscapes() throws {
        let lines = [
            #"{"n":"4111\u00a01111\u00a01111\u00a01111"}"#,  // no-break spaces
            #"{"n":"\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11"}"#,  // full-width
            #"{"n":"\ud835\udfd2\ud835\udfcf\ud835\udfcf\ud835\udfcf 1111 1111 1111"}"#,  // mathematical bold, surrogate pairs
            #"{"n":"4111\/1111\/1111\/1111"}"#,  // escaped slashes
            #"{"n":"4111\t1111\t1111\t1111"}"#,  // tabs
            #"{"n":"4111\n1111\r\n1111\n1111"}"#,  // line breaks
            #"{"n":"4111\u200b1111\u200B1111\u2060 1111"}"#,  // zero-width
            #"{"n":"4111\u20131111\u22121111\uFF0D1111"}"#,  // dashes
        ]
        for line in lines {
            let matches = scanAll(line)
            #expect(matches.map(\.last4) == ["1111"], "\(line)")
            let bytes = Array(line.utf8)
            let masked = CardNumberGuard.masked(bytes: bytes, json: true)
            #expect(masked.withUnsafeBytes { CardNumberGuard.scan($0) }.isEmpty)
            #expect(String(decoding: masked, as: UTF8.self).contains("************1111"), "\(line)")
            #expect((try? JSONSerialization.jsonObject(with: Data(masked))) != nil, "masking broke the JSON: \(line)")
        }
        // An escaped backslash is a backslash: what follows is text, not an escape.
        #expect(scanAll(#"{"n":"4111\\u00a01111\\u00a01111\\u00a01111"}"#).isEmpty)
        // In plain text (a write path), an escape is text.
        #expect(CardNumberGuard.find(in: #"4111\u00a01111\u00a01111\u00a01111"#) == nil)
    }

    @Test func scanOfEmptyAndDigitEdgeBuffers() {
        #expect(scanAll("").isEmpty)
        #expect(scanAll("4").isEmpty)
        #expect(scanAll("4111111111111111-").map(\.range) == [0..<16])
        #expect(scanAll("-4111111111111111 ").map(\.range) == [1..<17])
        #expect(scanAll("\\").isEmpty && scanAll("\\u12").isEmpty && scanAll("\u{FF14}").isEmpty)
        // Broken UTF-8 is other text.
        let broken: [UInt8] = Array("4111 1111 ".utf8) + [0xC3] + Array("1111 1111".utf8)
        #expect(broken.withUnsafeBytes { CardNumberGuard.scan($0) }.isEmpty)
    }

    /// A digit run longer than the scanner's chunk is judged in pieces, with nothing missed at
    /// the seams.
    @Test func veryLongDigitRunsAreJudgedInPieces() {
        let filler = String(repeating: "0", count: CardNumberScanner.chunk * 3 - 7)
        let text = filler + " 4111 1111 1111 1111 " + filler + " 5555555555554444"
        #expect(scanAll(text).map(\.last4) == ["1111", "4444"])
        let zeros = String(repeating: "0", count: CardNumberScanner.chunk * 2 + 3)
        #expect(scanAll(zeros).isEmpty)
    }

    @Test func findReturnsTheFirstOfSeveral() {
        let text = "old 5555 5555 5555 4444, new 4111 1111 1111 1111"
        #expect(CardNumberGuard.find(in: text)?.last4 == "4444")
        #expect(scanAll(text).map(\.last4) == ["4444", "1111"])
        #expect(CardNumberGuard.findAll(in: text).map(\.last4) == ["4444", "1111"])
    }

    @Test func maskingKeepsTheLastFourDigits() {
        #expect(CardNumberGuard.masked("card 4111 1111 1111 1111, exp 12/27") == "card ************1111, exp 12/27")
        #expect(CardNumberGuard.masked("amex 378282246310005.") == "amex ***********0005.")
        #expect(CardNumberGuard.masked("old 5555-5555-5555-4444, new 4111\u{00A0}1111\u{00A0}1111\u{00A0}1111")
                == "old ************4444, new ************1111")
        #expect(CardNumberGuard.masked("\u{FF14}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}")
                == "************1111")
        #expect(CardNumberGuard.masked("no card here, call +1 555 010 0000") == "no card here, call +1 555 010 0000")
        #expect(CardNumberGuard.findAll(in: "x 4111 1111 1111 1111 y").first?.mask == "************1111")
    }

    /// The quick classification of common blocks agrees with the Unicode properties, for every
    /// scalar it answers for.
    @Test func quickClassificationAgreesWithUnicodeProperties() {
        var answered = 0
        for v in UInt32(0x80)...0x10FFFF {
            guard let s = Unicode.Scalar(v), let quick = CardNumberCharacters.quickKind(v) else { continue }
            answered += 1
            let full = CardNumberCharacters.classifyByProperties(s)
            #expect(quick == full.kind, "U+\(String(v, radix: 16, uppercase: true)): quick \(quick), properties \(full.kind)")
        }
        #expect(answered > 30_000)
    }

    @Test func luhnCheck() {
        #expect(CardNumberGuard.passesLuhn("79927398713"))
        #expect(!CardNumberGuard.passesLuhn("79927398710"))
        #expect(CardNumberGuard.passesLuhn("4111 1111 1111 1111"))
        #expect(CardNumberGuard.passesLuhn(Self.inScript("4111 1111 1111 1111", zero: 0x0966)))
    }

    /// A UUID inside a dash-joined name is still a UUID: this one's groups 4996-8275-7479…
    /// read as a Luhn-valid Visa number if the UUID is not recognised (it refused a test's
    /// temporary Maildir path once).
    @Test func aUUIDAfterADashIsNoCardNumber() {
        let uuid = "80A6E8F3-43E1-4996-8275-747913683E95"
        for text in [uuid, "lgadmin-svc-" + uuid, "/tmp/lgadmin-svc-\(uuid)/maildir/cur", uuid + "-1", "msg-\(uuid)-part"] {
            #expect(CardNumberGuard.find(in: text) == nil, "\(text)")
        }
        // Without its letters the same digits are a card number.
        #expect(CardNumberGuard.find(in: "4996-8275-7479-1368") != nil)
    }
}
