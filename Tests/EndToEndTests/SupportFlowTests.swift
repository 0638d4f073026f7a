import Foundation
import Testing

/// A support agent's day: customers are added, a contact-form opt-out arrives in the spool, is
/// ingested, matched to the exact contact point, applied, and the mailing exports honour it
/// (newsletter) or ignore it (service bulletins). The audit chain stays intact after every step.
@Suite("Support flow: contact-form opt-out to mailing export")
struct SupportFlowTests {
    static let customerKeys = ["id", "version", "name", "email", "phone", "address", "status", "services", "created_at", "updated_at"]
    static let optoutKeys = ["id", "version", "contact", "channel", "scopes", "state", "source", "received_at", "due_at", "matches",
                             "decided_by", "decided_at", "note"]

    @Test func optOutFromTheContactFormReachesTheMailingExports() throws {
        let sb = try Sandbox("support")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.auditVerifies()

        // Customers, as admin (root).
        let ada = try sb.addCustomer(name: "Ada Lovelace", email: "Ada.Lovelace@Example.com", phone: "+44 20 7946 0001",
                                     address: "12 St James's Square, London", services: ["hosting", "mail"])
        let bob = try sb.addCustomer(name: "Bob Builder", email: "bob@example.com", services: ["hosting"])
        for c in [ada, bob] {
            expectKeys(c, Self.customerKeys, "customers add")
            #expect(c["version"] as? Int == 1)
            #expect(str(c, "status") == "active")
            #expect((str(c, "id") ?? "").hasPrefix("C"))
        }
        #expect(str(ada, "name") == "Ada Lovelace")
        #expect(str(ada, "email") == "Ada.Lovelace@Example.com")
        #expect(str(ada, "phone") == "+44 20 7946 0001")
        #expect(str(ada, "address") == "12 St James's Square, London")
        #expect(ada["services"] as? [String] == ["hosting", "mail"])
        #expect(bob["phone"] is NSNull, "an absent phone is null in JSON")
        let adaID = try #require(str(ada, "id"))
        let bobID = try #require(str(bob, "id"))
        #expect(adaID < bobID)
        try sb.auditVerifies()

        try sb.ok(["users", "grant", "sam", "support"])
        try sb.auditVerifies()

        // Before any opt-out, both addresses are on the newsletter.
        let before = try newsletterContacts(sb, "newsletter")
        #expect(before.contains("ada.lovelace@example.com"))
        #expect(before.contains("bob@example.com"))

        // The contact form hands over a request: typed in another case, newsletter only.
        let file = "1764100000.form1.web1"
        try sb.deliverToSpool(["contact": "ADA.LOVELACE@example.COM", "scopes": ["newsletter"],
                               "submitted_at": "2026-11-24T09:30:00Z", "name": "Ada", "message": "Please stop the newsletter."],
                              name: file)
        #expect(listDir(sb.store + "/inbox/optouts/new") == [file])

        let ingest = try sb.ok(["optouts", "ingest", "--as", "sam", "--json"])
        let taken = try ingest.jsonObject()
        #expect(taken["taken"] as? [String] == [file], "\(ingest)")
        #expect(listDir(sb.store + "/inbox/optouts/new").isEmpty, "ingest takes the file out of new/")
        #expect(listDir(sb.store + "/inbox/optouts/cur") == [file], "ingest moves the file to cur/")
        #expect(listDir(sb.store + "/inbox/optouts/bad").isEmpty)
        try sb.auditVerifies()

        let list = try sb.ok(["optouts", "list", "--json", "--as", "sam"]).jsonArray()
        try #require(list.count == 1, "\(list)")
        let req = list[0]
        expectKeys(req, Self.optoutKeys, "optouts list")
        #expect(str(req, "state") == "pending")
        #expect(str(req, "channel") == "email")
        #expect(str(req, "contact") == "ADA.LOVELACE@example.COM")
        #expect(str(req, "source") == "contact-form")
        #expect(req["scopes"] as? [String] == ["newsletter"])
        #expect(req["matches"] as? [String] == [adaID], "the request matches exactly the customer holding that address")
        #expect(str(req, "received_at") == "2026-11-24T09:30:00Z")
        #expect((str(req, "due_at") ?? "") > "2026-11-24T09:30:00Z")
        let reqID = try #require(str(req, "id"))

        // The same file delivered again is not counted twice.
        try sb.deliverToSpool(["contact": "ADA.LOVELACE@example.COM", "scopes": ["newsletter"],
                               "submitted_at": "2026-11-24T09:30:00Z"], name: file)
        let again = try sb.ok(["optouts", "ingest", "--as", "sam", "--json"]).jsonObject()
        #expect((again["taken"] as? [String])?.isEmpty == true)
        #expect(again["already_taken"] as? [String] == [file])
        #expect(try sb.ok(["optouts", "list", "--json", "--as", "sam"]).jsonArray().count == 1)
        try sb.auditVerifies()

        let applied = try sb.ok(["optouts", "apply", reqID, "--as", "sam", "--json"]).jsonObject()
        #expect(str(applied, "state") == "applied")
        #expect(str(applied, "decided_by") == "sam")
        #expect(applied["version"] as? Int == (req["version"] as? Int ?? 0) + 1)
        try sb.auditVerifies()

        let shown = try sb.ok(["optouts", "show", reqID, "--json", "--as", "sam"]).jsonObject()
        #expect(str(shown, "state") == "applied")
        #expect(try sb.ok(["optouts", "list", "--state", "pending", "--json", "--as", "sam"]).jsonArray().isEmpty)

        // Newsletter: that exact address is gone; Ada's other contact points and Bob remain.
        let newsletter = try newsletterContacts(sb, "newsletter")
        #expect(!newsletter.contains("ada.lovelace@example.com"), "\(newsletter)")
        #expect(newsletter.contains("bob@example.com"))
        #expect(newsletter.contains("+44 20 7946 0001"), "only the exact contact point is suppressed")
        // Bulletins ignore marketing opt-outs; other marketing scopes are untouched.
        let bulletins = try newsletterContacts(sb, "service-bulletins")
        #expect(bulletins.contains("ada.lovelace@example.com"), "\(bulletins)")
        #expect(try newsletterContacts(sb, "product-notices").contains("ada.lovelace@example.com"))
        try sb.auditVerifies()

        // Support may not export mailing lists.
        try sb.fails(77, ["mailing", "export", "newsletter", "--as", "sam"])

        // The audit trail names who did what.
        let events = try sb.ok(["audit", "list", "--json"]).jsonArray()
        #expect(events.contains { str($0, "action") == "optouts.ingest" && str($0, "actor") == "sam" && str($0, "role") == "support" })
        #expect(events.contains { str($0, "action") == "optouts.apply" && str($0, "actor") == "sam" && str($0, "case") == reqID })
        #expect(events.contains { str($0, "action") == "users.grant" && str($0, "actor") == "root" })
        let seqs = events.compactMap { $0["seq"] as? Int }
        #expect(seqs == seqs.sorted(by: >), "audit list is newest first")
        try sb.storeChecks()
    }

    /// Contacts of a mailing export, e-mail addresses lower-cased.
    private func newsletterContacts(_ sb: Sandbox, _ list: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let r = try sb.ok(["mailing", "export", list, "--json"], sourceLocation: sourceLocation)
        let rows = try r.jsonArray(sourceLocation: sourceLocation)
        return rows.compactMap { row -> String? in
            guard let c = str(row, "contact") else { return nil }
            return str(row, "channel") == "email" ? c.lowercased() : c
        }
    }
}
