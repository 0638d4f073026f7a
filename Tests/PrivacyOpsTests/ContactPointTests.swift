import Foundation
import Testing

@testable import PrivacyOps

@Suite struct ContactPointTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var raw: String
        var channel: ContactChannel?
        var normalized: String?
        var testDescription: String { "\(raw.debugDescription) → \(normalized ?? "nil")" }
    }

    /// What `parse` makes of contact points as typed in the contact form.
    static let parseCases: [Case] = [
        // e-mail: trimmed, lower-cased whole
        Case(raw: "Alice@Example.COM", channel: .email, normalized: "alice@example.com"),
        Case(raw: "  alice@example.com\n", channel: .email, normalized: "alice@example.com"),
        Case(raw: "ALICE+News@Example.com", channel: .email, normalized: "alice+news@example.com"),
        Case(raw: "a.l.i.c.e@gmail.com", channel: .email, normalized: "a.l.i.c.e@gmail.com"),
        Case(raw: "alice@example", channel: nil, normalized: nil),
        Case(raw: "alice @example.com", channel: nil, normalized: nil),
        Case(raw: "alice@@example.com", channel: nil, normalized: nil),
        Case(raw: "@example.com", channel: nil, normalized: nil),
        Case(raw: "alice@example..com", channel: nil, normalized: nil),
        Case(raw: "alice@.example.com", channel: nil, normalized: nil),
        Case(raw: "alice@example.com.", channel: nil, normalized: nil),
        // phone: digits; + or 00 international prefix dropped
        Case(raw: "+1 (555) 123-4567", channel: .phone, normalized: "15551234567"),
        Case(raw: "1-555-123-4567", channel: .phone, normalized: "15551234567"),
        Case(raw: "001 555 123 4567", channel: .phone, normalized: "15551234567"),
        Case(raw: "1.555.123.4567", channel: .phone, normalized: "15551234567"),
        Case(raw: "(555) 123-4567", channel: .phone, normalized: "5551234567"),
        Case(raw: "+44 20 7946 0958", channel: .phone, normalized: "442079460958"),
        Case(raw: "0044 20 7946 0958", channel: .phone, normalized: "442079460958"),
        Case(raw: "0049 30 12345678", channel: .phone, normalized: "493012345678"),
        Case(raw: "030 1234567", channel: .phone, normalized: "0301234567"),
        Case(raw: "555 12", channel: nil, normalized: nil),  // too few digits
        Case(raw: "+1234567890123456", channel: nil, normalized: nil),  // 16 digits
        Case(raw: "1-555-123+4567", channel: nil, normalized: nil),  // + inside
        // address: case-folded, whitespace collapsed, punctuation kept
        Case(raw: "12 Main St, Springfield", channel: .address, normalized: "12 main st, springfield"),
        Case(raw: "  12   MAIN st,\n Springfield ", channel: .address, normalized: "12 main st, springfield"),
        Case(raw: "Hauptstraße 5, Berlin", channel: .address, normalized: "hauptstrasse 5, berlin"),
        Case(raw: "HAUPTSTRASSE 5, BERLIN", channel: .address, normalized: "hauptstrasse 5, berlin"),
        Case(raw: "1-555-CALL-NOW", channel: .address, normalized: "1-555-call-now"),
        Case(raw: "   ", channel: nil, normalized: nil),
        Case(raw: "", channel: nil, normalized: nil),
    ]

    @Test(arguments: parseCases)
    func parse(_ c: Case) {
        let point = ContactPoint.parse(c.raw)
        #expect(point?.channel == c.channel)
        #expect(point?.normalized == c.normalized)
    }

    /// Pairs that are the same contact point written differently.
    static let samePoints: [(String, String)] = [
        ("Alice@Example.com", "alice@example.COM"),
        (" bob@example.org", "BOB@EXAMPLE.ORG "),
        ("+1 (555) 123-4567", "1-555-123-4567"),
        ("+1 555 123 4567", "001.555.123.4567"),
        ("12 Main St, Springfield", "12 main st,   springfield"),
        ("Café de Flore, Paris", "CAFE\u{301} DE FLORE, PARIS"),
        ("1 Rue de l'Église", "1 rue de l'église"),
    ]

    @Test(arguments: samePoints)
    func sameContactPointMatches(_ a: String, _ b: String) throws {
        let pa = try #require(ContactPoint.parse(a))
        let pb = try #require(ContactPoint.parse(b))
        #expect(pa == pb)
        #expect(pa.normalized.utf8.elementsEqual(pb.normalized.utf8))  // byte-equal, not just canonically
        #expect(Set([pa, pb]).count == 1)
    }

    /// Look-alikes that must never match: suppression is exact, never fuzzy.
    static let differentPoints: [(String, String)] = [
        ("alice@example.com", "alice+news@example.com"),  // plus-addressing kept distinct
        ("alice.smith@gmail.com", "alicesmith@gmail.com"),  // dots not dropped
        ("alice@example.com", "alice@example.co"),  // no prefix matching
        ("alice@example.com", "alice@exarnple.com"),  // no edit distance
        ("alice@example.com", "alice@mail.example.com"),
        ("+1 (555) 123-4567", "+1 (555) 123-4568"),  // a different digit
        ("+1 (555) 123-4567", "(555) 123-4567"),  // no guessing of country codes
        ("+1 (555) 123-4567", "+1 (555) 123-45678"),
        ("12 Main St, Springfield", "13 Main St, Springfield"),  // house number
        ("12 Main St, Springfield", "12 Main St Springfield"),  // punctuation kept
        ("12 Main St, Springfield", "12 Main St, Springfield, IL"),
        ("12 Main St", "12 Main Street"),
    ]

    @Test(arguments: differentPoints)
    func lookAlikesDoNotMatch(_ a: String, _ b: String) throws {
        let pa = try #require(ContactPoint.parse(a))
        let pb = try #require(ContactPoint.parse(b))
        #expect(pa != pb)
    }

    @Test func channelsNeverMatchEachOther() throws {
        let phone = try #require(ContactPoint.phone("5551234567"))
        let address = try #require(ContactPoint.address("5551234567"))
        #expect(phone.normalized == address.normalized)
        #expect(phone != address)
    }

    @Test func phoneRejectsLettersAndOtherCharacters() {
        #expect(ContactPoint.phone("555-123-4567 ext. 12") == nil)
        #expect(ContactPoint.phone("1-800-FLOWERS") == nil)
        #expect(ContactPoint.phone("555/1234567") == nil)
        #expect(ContactPoint.phone("５５５１２３４５６７") == nil)  // fullwidth digits
        #expect(ContactPoint.phone("") == nil)
        #expect(ContactPoint.phone("1234567")?.normalized == "1234567")  // 7 digits
        #expect(ContactPoint.phone("123456789012345")?.normalized == "123456789012345")  // 15
        #expect(ContactPoint.phone("123456") == nil)  // 6
    }

    @Test func emailRejectsControlCharacters() {
        #expect(ContactPoint.email("alice\u{1B}@example.com") == nil)
        #expect(ContactPoint.email("alice@exa\tmple.com") == nil)
        #expect(ContactPoint.email("alice@example.com")?.display == "alice@example.com")
    }

    @Test func addressCollapsesEveryKindOfWhitespace() {
        let point = ContactPoint.address("\t12\u{00A0}Main\r\nSt ,  Apt\u{3000}4 ")
        #expect(point?.normalized == "12 main st , apt 4")
    }

    @Test func codableRoundTrip() throws {
        let point = try #require(ContactPoint.parse("+1 (555) 123-4567"))
        let data = try JSONEncoder().encode(point)
        let back = try JSONDecoder().decode(ContactPoint.self, from: data)
        #expect(back == point)
        #expect(ContactChannel.allCases.map(\.rawValue) == ["email", "phone", "address"])
    }
}
