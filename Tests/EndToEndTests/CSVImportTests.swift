import Foundation
import Testing

/// `customers import FILE.csv` through the CLI: RFC 4180 quoting and UTF-8 come through intact;
/// one bad row imports nothing and the message names the row.
@Suite("CSV import through the CLI")
struct CSVImportTests {
    @Test func quotedFieldsAndUTF8AreImported() throws {
        let sb = try Sandbox("csv-ok")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.addCustomer(name: "Already Here", email: "here@example.com")
        let csv = """
            name,email,phone,address,services,status\r
            "Doe, Jane",jane.doe@example.com,+1 (555) 010-2000,"221B Baker Street\r
            London NW1 6XE",hosting;mail,active\r
            Søren Kierkegård,soren@example.dk,,"Nytorv 2, 1450 København",mail,\r
            李小龙,bruce@example.hk,+852 2345 6789,,,suspended\r
            "Quote ""The Rock"" Johnson",rock@example.com,,,"web, hosting",active\r

            """
        let path = sb.root + "/customers.csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        let r = try sb.ok(["customers", "import", path, "--json"])
        let imported = try r.jsonArray()
        #expect(imported.count == 4, "\(r)")

        let all = try sb.ok(["customers", "list", "--json"]).jsonArray()
        try #require(all.count == 5, "\(all)")
        let byEmail = Dictionary(all.compactMap { o in str(o, "email").map { ($0, o) } }, uniquingKeysWith: { a, _ in a })
        let jane = try #require(byEmail["jane.doe@example.com"])
        #expect(str(jane, "name") == "Doe, Jane")
        #expect(str(jane, "phone") == "+1 (555) 010-2000")
        let address = str(jane, "address") ?? ""
        #expect(address.hasPrefix("221B Baker Street") && address.hasSuffix("London NW1 6XE") && address.contains("\n"),
                "a quoted newline stays in the field: \(address.debugDescription)")
        #expect(jane["services"] as? [String] == ["hosting", "mail"])
        let soren = try #require(byEmail["soren@example.dk"])
        #expect(str(soren, "name") == "Søren Kierkegård")
        #expect(str(soren, "address") == "Nytorv 2, 1450 København")
        #expect(str(soren, "status") == "active")
        #expect(soren["phone"] is NSNull)
        let bruce = try #require(byEmail["bruce@example.hk"])
        #expect(str(bruce, "name") == "李小龙")
        #expect(str(bruce, "status") == "suspended")
        let rock = try #require(byEmail["rock@example.com"])
        #expect(str(rock, "name") == "Quote \"The Rock\" Johnson")
        #expect(rock["services"] as? [String] == ["web, hosting"])
        // Ids continue after the existing customer, in file order.
        let ids = all.compactMap { str($0, "id") }
        #expect(ids == ids.sorted())
        #expect(all.compactMap { str($0, "email") } == ["here@example.com", "jane.doe@example.com", "soren@example.dk",
                                                        "bruce@example.hk", "rock@example.com"])
        try sb.auditVerifies()
        let events = try sb.ok(["audit", "list", "--json"]).jsonArray()
        #expect(events.filter { str($0, "action") == "customers.import" }.count == 1, "one import, one audit event")
    }

    @Test func oneBadRowImportsNothing() throws {
        let sb = try Sandbox("csv-bad")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.addCustomer(name: "Already Here", email: "here@example.com")
        let before = try sb.ok(["customers", "list", "--json"]).out

        let badEmail = """
            name,email,address
            Good One,good1@example.com,"Street 1, Town"
            Good Two,good2@example.com,
            "Bad, Row",not-an-email,
            Good Four,good4@example.com,

            """
        let path = sb.root + "/bad.csv"
        try Data(badEmail.utf8).write(to: URL(fileURLWithPath: path))
        let r = try sb.fails(65, ["customers", "import", path])
        #expect(r.err.contains("row 4"), "the message names the bad row (the header is row 1)\n\(r)")
        #expect(try sb.ok(["customers", "list", "--json"]).out == before, "nothing imported")

        let card = """
            name,email,address
            Good One,good1@example.com,
            Card Row,card@example.com,"PO Box 4111 1111 1111 1111"

            """
        let cardPath = sb.root + "/card.csv"
        try Data(card.utf8).write(to: URL(fileURLWithPath: cardPath))
        let rc = try sb.fails(65, ["customers", "import", cardPath])
        #expect(rc.err.contains("row 3"), "\(rc)")
        #expect(!rc.err.filter(\.isNumber).contains("4111111111111111"), "the card number is not echoed\n\(rc)")
        #expect(try sb.ok(["customers", "list", "--json"]).out == before)

        let ragged = "name,email\nOne,one@example.com\nTwo,two@example.com,extra\n"
        let raggedPath = sb.root + "/ragged.csv"
        try Data(ragged.utf8).write(to: URL(fileURLWithPath: raggedPath))
        let rr = try sb.fails(65, ["customers", "import", raggedPath])
        #expect(rr.err.contains("row 3"), "\(rr)")
        #expect(try sb.ok(["customers", "list", "--json"]).out == before)

        try sb.fails(66, ["customers", "import", sb.root + "/missing.csv"])
        try sb.ok(["store", "scan"])
        try sb.auditVerifies()
    }
}
