import Foundation
import Testing

/// Policy: "never in possession of your complete credit card information". Every command that
/// stores text refuses a card number, however it is written, with exit 65 and without echoing
/// it; the Maildir index and the contact-form spool mask it instead; `store scan` finds one
/// planted anyway.
@Suite("Card numbers on every command-line path")
struct CardNumberCLITests {
    /// 4111 1111 1111 1111 in other clothes: Unicode spaces and dashes, zero-width characters,
    /// dots, slashes, tabs, full-width and Devanagari digits, a security code, glued letters.
    static let forms: [String] = [
        "4111\u{00A0}1111\u{00A0}1111\u{00A0}1111", "4111\u{2013}1111\u{2212}1111\u{FF0D}1111", "4111\u{200B}1111\u{2060}1111\u{FEFF}1111",
        "4111.1111.1111.1111", "4111/1111/1111/1111", "4111\t1111\t1111\t1111", "4111 1111 1111 1111 123", "card4111111111111111",
        "\u{FF14}\u{FF11}\u{FF11}\u{FF11} \u{FF11}\u{FF11}\u{FF11}\u{FF11} \u{FF11}\u{FF11}\u{FF11}\u{FF11} \u{FF11}\u{FF11}\u{FF11}\u{FF11}",
        "\u{096A}\u{0967}\u{0967}\u{0967}\u{3000}\u{0967}\u{0967}\u{0967}\u{0967}\u{3000}\u{0967}\u{0967}\u{0967}\u{0967}\u{3000}\u{0967}\u{0967}\u{0967}\u{0967}",
    ]

    /// The digits of a text, any script, as ASCII.
    static func digits(_ s: String) -> String {
        String(s.unicodeScalars.compactMap { u -> Character? in
            guard u.properties.numericType == .decimal, let v = u.properties.numericValue else { return nil }
            return Character(Unicode.Scalar(0x30 + UInt8(v)))
        })
    }

    @Test func everyWritePathExits65WithoutEchoingTheNumber() throws {
        let sb = try Sandbox("cards")
        defer { sb.cleanUp() }
        try sb.initStore()
        let cid = try #require(str(try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com"), "id"))
        let oid = try #require(str(try sb.ok(["optouts", "submit", "--contact", "pat@example.com", "--json"]).jsonObject(), "id"))
        let maildir = sb.root + "/Maildir"
        _ = try ModerationFlowTests.makeMaildir(at: maildir)
        try sb.ok(["comms", "import-maildir", maildir, "--customer", cid])
        let comms = try sb.ok(["comms", "list", "--json"]).jsonArray().compactMap { str($0, "id") }
        try #require(comms.count == 2)
        let open = try #require(str(try sb.ok(["reports", "file", "--comm", comms[0], "--trigger", "abuse-report", "--reason", "spam", "--json"]).jsonObject(), "id"))
        let blocked = try #require(str(try sb.ok(["reports", "file", "--comm", comms[1], "--trigger", "abuse-report", "--reason", "spam", "--json"]).jsonObject(), "id"))
        try sb.ok(["moderation", "block", blocked, "--ground", "harm-customers", "--note", "phishing"])
        let csv = sb.root + "/card.csv"
        let paths: [[String]] = [
            ["customers", "add", "--name", "Pat CARD", "--email", "pat@example.com"],
            ["customers", "add", "--name", "Pat", "--email", "CARD@example.com"],
            ["customers", "add", "--name", "Pat", "--email", "pat@example.com", "--phone", "CARD"],
            ["customers", "add", "--name", "Pat", "--email", "pat@example.com", "--address", "CARD Main St"],
            ["customers", "add", "--name", "Pat", "--email", "pat@example.com", "--service", "CARD"],
            ["customers", "add", "--name", "Pat", "--email", "pat@example.com", "--alt-email", "CARD@example.com"],
            ["customers", "update", cid, "--name", "Ada CARD"],
            ["customers", "update", cid, "--address", "CARD"],
            ["customers", "update", cid, "--phone", "CARD"],
            ["customers", "update", cid, "--service", "paid by CARD"],
            ["customers", "note", cid, "read out CARD on the phone"],
            ["customers", "import", csv],
            ["optouts", "submit", "--contact", "CARD"],
            ["optouts", "submit", "--contact", "pat@example.com", "--note", "CARD"],
            ["optouts", "submit", "--contact", "pat@example.com", "--source", "phone CARD"],
            ["optouts", "need-info", oid, "--note", "is CARD yours?"],
            ["optouts", "reject", oid, "--reason", "gave CARD"],
            ["reports", "file", "--comm", comms[0], "--trigger", "abuse-report", "--reason", "asks for CARD"],
            ["reports", "file", "--comm", comms[0], "--trigger", "abuse-report", "--reason", "spam", "--reporter", "CARD"],
            ["moderation", "block", open, "--ground", "harm-customers", "--note", "phishes for CARD"],
            ["moderation", "block", open, "--ground", "tou-violation", "--clause", "CARD", "--note", "x"],
            ["moderation", "unblock", blocked, "--reason", "not CARD"],
            ["moderation", "delete", open, "--ground", "harm-customers", "--note", "leaks CARD", "--confirm"],
            ["moderation", "dismiss", open, "--note", "CARD is a test number"],
            ["users", "grant", "CARD", "support"],
            ["customers", "list", "--as", "CARD"],
        ]
        let before = try sb.ok(["audit", "list", "--json"]).jsonArray().count
        for (k, args) in paths.enumerated() {
            let form = Self.forms[k % Self.forms.count]
            try Data("name,email,address\nGood,good@example.com,1 Main St\nBad,bad@example.com,\"\(form)\"\n".utf8)
                .write(to: URL(fileURLWithPath: csv))
            let r = try sb.fails(65, args.map { $0.replacingOccurrences(of: "CARD", with: form) })
            #expect(r.err.contains("card number"), "\(args.joined(separator: " ")): \(r)")
            #expect(!Self.digits(r.err).contains("411111111111"), "the number is echoed: \(r)")
        }
        // Nothing was written, and the store holds no number.
        #expect(try sb.ok(["audit", "list", "--json"]).jsonArray().count == before)
        try sb.ok(["store", "scan"])
        try sb.auditVerifies()
    }

    /// Maildir headers and contact-form messages are taken with the number masked; a contact
    /// point holding one goes to bad/ masked; `store scan` then finds nothing.
    @Test func maildirAndSpoolMaskTheNumber() throws {
        let sb = try Sandbox("cards-mask")
        defer { sb.cleanUp() }
        try sb.initStore()
        let cid = try #require(str(try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com"), "id"))
        let maildir = sb.root + "/Maildir"
        for sub in ["cur", "new", "tmp"] { try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true) }
        let message = "From: Bob <bob@example.com>\nTo: ada@example.com\nSubject: my card \(Self.forms[1]) expired\nDate: Tue, 24 Nov 2026 12:30:00 +0100\n\nBody.\n"
        try Data(message.utf8).write(to: URL(fileURLWithPath: maildir + "/new/1763983800.M1P1.mail"))
        let imported = try sb.ok(["comms", "import-maildir", maildir, "--customer", cid])
        #expect(imported.out.contains("masked"), "\(imported)")
        let subject = try sb.ok(["comms", "list", "--json"]).jsonArray().first.flatMap { str($0, "subject") }
        #expect(subject == "my card ************1111 expired", "\(subject ?? "-")")

        try sb.deliverToSpool(["contact": "pat@example.com", "message": "my card is \(Self.forms[8])"], name: "1772442000.a.web1")
        try sb.deliverToSpool(["contact": Self.forms[3]], name: "1772442000.b.web1")
        let ingest = try sb.ok(["optouts", "ingest", "--json"]).jsonObject()
        #expect(ingest["taken"] as? [String] == ["1772442000.a.web1"], "\(ingest)")
        #expect((ingest["bad"] as? [[String: String]])?.first?["file"] == "1772442000.b.web1", "\(ingest)")
        #expect((ingest["masked"] as? [[String: String]])?.first?["fields"] == "message", "\(ingest)")
        let shown = try sb.ok(["optouts", "list", "--json"])
        #expect(shown.out.contains("************1111") && !Self.digits(shown.out).contains("411111111111"), "\(shown)")
        let scan = try sb.ok(["store", "scan", "--json"])
        #expect(try scan.jsonArray().isEmpty, "\(scan)")
        try sb.auditVerifies()
    }

    /// `store scan` finds a number in every form in a file planted in the store, on its line,
    /// and exits 65 without printing it.
    @Test func storeScanFindsEveryForm() throws {
        let sb = try Sandbox("cards-scan")
        defer { sb.cleanUp() }
        try sb.initStore()
        let lines = Self.forms.map { "{\"note\":\"\($0.replacingOccurrences(of: "\t", with: "\\t"))\"}" }
            + [#"{"note":"4111\u00a01111\u2013\uff11\uff11\uff11\uff11 1111"}"#]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: sb.store + "/inbox/optouts/cur/planted.json"))
        let r = try sb.run(["store", "scan", "--json"])
        #expect(r.status == 65, "\(r)")
        let found = try r.jsonArray()
        #expect(found.compactMap { $0["line"] as? Int } == Array(1...lines.count), "\(found)")
        #expect(found.allSatisfy { str($0, "file") == "inbox/optouts/cur/planted.json" && str($0, "last4") == "1111" }, "\(found)")
        #expect(!Self.digits(r.out + r.err).contains("411111111111"))
    }
}
