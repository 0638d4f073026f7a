import Testing

@testable import PrivacyOps

@Suite struct CardNumberGuardTests {
    /// Published test numbers of the main card brands.
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
        // Change the check digit: the run is no longer Luhn-valid.
        let last = try #require(card.last?.wholeNumberValue)
        let broken = String(card.dropLast()) + String((last + 1) % 10)
        #expect(CardNumberGuard.find(in: broken) == nil)
        #expect(CardNumberGuard.find(in: Self.grouped(broken, separator: " ")) == nil)
    }

    @Test func messageNamesOnlyTheLastFourDigits() throws {
        let match = try #require(CardNumberGuard.find(in: "card: 4111 1111 1111 1111"))
        #expect("\(match)" == "a card number ending 1111")
        #expect(!match.description.contains("4111111111111111"))
        #expect(!match.description.contains("4111 1111"))
    }

    @Test(arguments: [
        "+1 (555) 123-4567",  // US phone
        "+44 20 7946 0958",  // UK phone
        "0049 30 12345678",  // German phone with 00 prefix: 14 digits, not Luhn-valid
        "call 555-123-4567 or 555-987-6543",
        "Order #2024-000123-77",  // order number
        "ORD-20241125-0042",
        "2026-11-25",  // ISO date
        "2026-11-25T10:00:00Z",
        "due 2026-11-25, received 2026-12-10",
        "4111111111111112",  // 16 digits, not Luhn-valid
        "1234 5678 9012 3456",  // 16 digits, not Luhn-valid
        "123456789015",  // 12 digits, Luhn-valid but too short
        "1234-5678-9015",
        "41111111111111111115",  // 20 digits, Luhn-valid but too long
        "4111 1111 1111 1111 1111",  // 20 digits
        "DE89 3704 0044 0532 0130 00",  // IBAN
        "GB29 NWBK 6016 1331 9268 19",  // IBAN
        "USD 1,234,567.89",  // amounts
        "12345.67",
        "4111111111111.11",
        "4111  1111  1111  1111",  // double spaces split the run
        "4111 - 1111 - 1111 - 1111",  // spaced dashes
        "4111--1111--1111--1111",  // double dashes
        "4111.1111.1111.1111",  // dots
        "4111/1111/1111/1111",  // slashes
        "4111,1111,1111,1111",  // commas
        "4111\t1111\t1111\t1111",  // tabs
        "4111–1111–1111–1111",  // en dashes
        "4111\u{00A0}1111\u{00A0}1111\u{00A0}1111",  // no-break spaces
    ])
    func lookAlikeIsNotACard(_ text: String) {
        #expect(CardNumberGuard.find(in: text) == nil)
        #expect(scanAll(text).isEmpty)
    }

    @Test func lengthBoundaries() {
        #expect(CardNumberGuard.find(in: "1234567890128")?.digitCount == 13)  // 13, Luhn-valid
        #expect(CardNumberGuard.find(in: "4111111111111111110")?.digitCount == 19)  // 19
        #expect(CardNumberGuard.find(in: "123456789015") == nil)  // 12
        #expect(CardNumberGuard.find(in: "41111111111111111115") == nil)  // 20
    }

    @Test func runGluedToAsciiLettersIsPartOfAWord() {
        // Inside a hexadecimal hash, a Luhn-valid digit run is not a card number.
        let hash = "9f86d081884c7d659a2feaa0c55ad015ab4111111111111111cd0f00a08a3b7c5e"
        #expect(CardNumberGuard.find(in: hash) == nil)
        #expect(CardNumberGuard.find(in: "id_4111111111111111") == nil)
        // Next to punctuation, quotes or non-ASCII text it is a card number.
        #expect(CardNumberGuard.find(in: "\"4111111111111111\"") != nil)
        #expect(CardNumberGuard.find(in: "#4111111111111111!") != nil)
        let japanese = "カード番号4111111111111111です"
        let match = CardNumberGuard.find(in: japanese)
        #expect(match?.range == 15..<31)
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

    @Test func scanOfEmptyAndDigitEdgeBuffers() {
        #expect(scanAll("").isEmpty)
        #expect(scanAll("4").isEmpty)
        #expect(scanAll("4111111111111111-").map(\.range) == [0..<16])
        #expect(scanAll("-4111111111111111 ").map(\.range) == [1..<17])
    }

    @Test func findReturnsTheFirstOfSeveral() {
        let text = "old 5555 5555 5555 4444, new 4111 1111 1111 1111"
        #expect(CardNumberGuard.find(in: text)?.last4 == "4444")
        #expect(scanAll(text).map(\.last4) == ["4444", "1111"])
    }

    @Test func luhnCheck() {
        #expect(CardNumberGuard.passesLuhn("79927398713"))
        #expect(!CardNumberGuard.passesLuhn("79927398710"))
        #expect(CardNumberGuard.passesLuhn("4111 1111 1111 1111"))
    }
}
