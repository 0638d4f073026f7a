import Crypto
import Foundation
import Testing

/// A privacy officer's register through the binary: a subpoena is recorded by one admin,
/// refused to that admin for approval (77), approved by a second admin (`--as`), its content is
/// viewable through it, it is released with a manifest, the notice is delayed by an order and
/// then given; a partner export records its share with the hash of the exact bytes sent.
@Suite("Disclosures: the whole life cycle with two admins")
struct DisclosureFlowTests {
    static let keys = ["id", "version", "kind", "ground", "state", "requester", "requester_type", "request_type", "reference",
                       "received_at", "due_at", "customer_ids", "communication_ids", "case_id", "data_categories", "recorded_by",
                       "approved_by", "approved_at", "outcome", "released_at", "manifest", "notice_state", "notice_delay_until",
                       "notice_order_ref", "notified_at", "notice_method"]

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// A store with root (admin), bea (a second admin), aud (auditor), a customer with two
    /// indexed messages and a report about the first.
    static func setUp(_ sb: Sandbox) throws -> (customer: String, comms: [[String: Any]], report: String) {
        try sb.initStore()
        try sb.ok(["users", "grant", "bea", "admin"])
        try sb.ok(["users", "grant", "aud", "auditor"])
        let c = try #require(str(try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com", phone: "+44 20 7946 0000"), "id"))
        let maildir = sb.root + "/mail/ada/Maildir"
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
        }
        for k in 0..<2 {
            let text = "From: Bob <bob@example.net>\nTo: ada@example.com\nSubject: Message \(k)\nDate: Mon, 02 Mar 2026 09:0\(k):00 +0000\n\nThe body of message \(k).\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: maildir + "/new/177244200\(k).M\(k)P1.mail.example"))
        }
        let comms = try sb.ok(["comms", "import-maildir", maildir, "--customer", c, "--json"]).jsonArray()
        try #require(comms.count == 2)
        let first = try #require(str(comms[0], "id"))
        let r = try sb.ok(["reports", "file", "--comm", first, "--trigger", "legal", "--reason", "court asked about it", "--json"]).jsonObject()
        return (c, comms, try #require(str(r, "id")))
    }

    @Test func lifeCycleWithTwoAdmins() throws {
        let sb = try Sandbox("disclosures")
        defer { sb.cleanUp() }
        let (customer, comms, _) = try Self.setUp(sb)
        let m0 = try #require(str(comms[0], "id")), m1 = try #require(str(comms[1], "id"))

        // Rules the service enforces, with their exit codes and one line on stderr.
        let base = ["disclosures", "record", "--kind", "content", "--requester", "County Court", "--requester-type", "court",
                    "--request-type", "subpoena", "--comm", m0]
        try sb.fails(65, base + ["--ground", "legal-process"])  // no reference
        try sb.fails(65, base)  // no ground
        try sb.fails(65, base + ["--ground", "harm-prevention", "--reference", "CV-1"])  // a ground of another kind
        try sb.fails(65, base + ["--ground", "legal-process", "--reference", "card 4111 1111 1111 1111"])
        try sb.fails(66, ["disclosures", "record", "--kind", "content", "--ground", "provide-service", "--requester", "Ops",
                          "--requester-type", "internal", "--request-type", "other", "--comm", "M9999999"])
        try sb.fails(77, base + ["--ground", "legal-process", "--reference", "CV-1", "--as", "aud"])
        #expect(try sb.ok(["disclosures", "list", "--json"]).jsonArray().isEmpty, "a refused record wrote something")

        // Recorded by root.
        let rec = try sb.ok(base + ["--comm", m1, "--ground", "legal-process", "--reference", "CV-2026-118", "--due", "2099-01-31",
                                    "--category", "contact", "--json"]).jsonObject()
        expectKeys(rec, Self.keys, "disclosures record")
        let id = try #require(str(rec, "id"))
        #expect(id == "D000001")
        #expect(str(rec, "state") == "recorded" && str(rec, "recorded_by") == "root" && rec["version"] as? Int == 1)
        #expect(rec["customer_ids"] as? [String] == [customer])
        #expect(rec["data_categories"] as? [String] == ["contact", "content"])
        #expect(str(rec, "due_at") == "2099-01-31T23:59:59Z")
        #expect(rec["approved_by"] is NSNull)

        // Not yet a case; not releasable; the recorder may not approve.
        try sb.fails(77, ["comms", "view", m0, "--case", id])
        try sb.fails(65, ["disclosures", "release", id])
        let selfApproval = try sb.fails(77, ["disclosures", "approve", id])
        #expect(selfApproval.err.contains("another admin"), "\(selfApproval)")
        try sb.fails(77, ["disclosures", "approve", id, "--as", "aud"])

        // The second admin approves.
        let approved = try sb.ok(["disclosures", "approve", id, "--as", "bea", "--json"]).jsonObject()
        #expect(str(approved, "state") == "approved" && str(approved, "approved_by") == "bea" && approved["version"] as? Int == 2)
        #expect((approved["flags"] as? [String])?.contains("AWAITS RELEASE") == true)

        // An approved content disclosure is a case: content through it, audited.
        let view = try sb.ok(["comms", "view", m0, "--case", id])
        #expect(view.out.contains("The body of message 0."))
        let lastEvent = try #require(try sb.ok(["audit", "list", "--limit", "1", "--json"]).jsonArray().first)
        #expect(str(lastEvent, "action") == "comms.view" && str(lastEvent, "case") == id)

        // An edit raises the version and clears the approval; the editor may not approve it.
        let edited = try sb.ok(["disclosures", "update", id, "--due", "2099-02-28", "--as", "bea", "--json"]).jsonObject()
        #expect(edited["version"] as? Int == 3 && str(edited, "state") == "recorded" && edited["approved_by"] is NSNull)
        try sb.fails(77, ["disclosures", "approve", id, "--as", "bea"])
        try sb.fails(75, ["disclosures", "approve", id, "--expect-version", "2"])
        try sb.fails(77, ["comms", "view", m0, "--case", id])
        // root recorded it; a third admin approves the edited version.
        try sb.ok(["users", "grant", "cy", "admin"])
        try sb.ok(["disclosures", "approve", id, "--as", "cy"])

        // Release: a manifest of ids, hashes and sizes.
        let released = try sb.ok(["disclosures", "release", id, "--json"]).jsonObject()
        #expect(str(released, "state") == "released" && str(released, "outcome") == "all")
        let manifest = try #require(released["manifest"] as? [[String: Any]])
        #expect(manifest.map { str($0, "id") } == [m0, m1, customer])
        #expect(str(manifest[0], "sha256") == str(comms[0], "sha256") && manifest[0]["size"] as? Int == comms[0]["size"] as? Int)
        try sb.fails(65, ["disclosures", "release", id])

        // Notice: due now; delayed by an order (both required); given after the delay.
        #expect(try sb.ok(["disclosures", "list", "--notice-due", "--json"]).jsonArray().map { str($0, "id") } == [id])
        try sb.fails(64, ["disclosures", "delay-notice", id, "--until", "2099-12-31"])
        try sb.fails(65, ["disclosures", "delay-notice", id, "--until", "2001-01-01", "--order", "ORD-1"])
        let delayed = try sb.ok(["disclosures", "delay-notice", id, "--until", "2099-12-31", "--order", "ORD-2026-7", "--json"]).jsonObject()
        #expect(str(delayed, "notice_state") == "delayed-by-order" && str(delayed, "notice_order_ref") == "ORD-2026-7")
        #expect(try sb.ok(["disclosures", "list", "--notice-due", "--json"]).jsonArray().isEmpty)
        try sb.fails(65, ["disclosures", "notify", id, "--method", "email"])

        // A second request, refused; a third, withdrawn.
        let acct = ["disclosures", "record", "--kind", "account", "--ground", "harm-prevention", "--requester", "CERT",
                    "--requester-type", "government-agency", "--request-type", "emergency", "--customer", customer,
                    "--category", "contact", "--json"]
        let d2 = try #require(str(try sb.ok(acct).jsonObject(), "id"))
        let refused = try sb.ok(["disclosures", "refuse", d2, "--reason", "not an emergency", "--as", "bea", "--json"]).jsonObject()
        #expect(str(refused, "state") == "refused" && str(refused, "outcome") == "refused")
        let d3 = try #require(str(try sb.ok(acct).jsonObject(), "id"))
        try sb.ok(["disclosures", "withdraw", d3, "--reason", "requester withdrew"])

        // Lists and filters; an auditor reads the register.
        let all = try sb.ok(["disclosures", "list", "--json", "--as", "aud"]).jsonArray()
        #expect(all.map { str($0, "id") } == [d3, d2, id])
        for o in all { expectKeys(o, Self.keys, "disclosures list") }
        #expect(try sb.ok(["disclosures", "list", "--state", "refused", "--json"]).jsonArray().map { str($0, "id") } == [d2])
        #expect(try sb.ok(["disclosures", "list", "--kind", "account", "--json"]).jsonArray().count == 2)
        #expect(try sb.ok(["disclosures", "list", "--ground", "legal-process", "--json"]).jsonArray().count == 1)
        let text = try sb.ok(["disclosures", "list"]).out
        #expect(text.hasPrefix("ID") && text.contains("DUE") && text.contains(id))

        // Show: the whole history, as text and JSON.
        let show = try sb.ok(["disclosures", "show", id, "--json", "--as", "aud"]).jsonObject()
        let history = try #require(show["history"] as? [[String: Any]])
        #expect(history.map { str($0, "action") } == ["disclosures.record", "disclosures.approve", "comms.view", "disclosures.update",
                                                    "disclosures.approve", "disclosures.release", "disclosures.delay-notice"])
        #expect(history.map { str($0, "actor") } == ["root", "bea", "root", "bea", "cy", "root", "root"])
        let shown = try sb.ok(["disclosures", "show", id]).out
        #expect(shown.contains("manifest") && shown.contains("history:") && shown.contains("delayed-by-order until 2099-12-31"))
        try sb.fails(66, ["disclosures", "show", "D999999"])
        try sb.ok(["users", "grant", "sam", "support"])
        try sb.fails(77, ["disclosures", "list", "--as", "sam"])

        try sb.auditVerifies()
        try sb.storeChecks()
    }

    @Test func lawEnforcementInadvertentNeedsTheCase() throws {
        let sb = try Sandbox("disclosures-le")
        defer { sb.cleanUp() }
        let (_, comms, report) = try Self.setUp(sb)
        let m0 = try #require(str(comms[0], "id")), m1 = try #require(str(comms[1], "id"))
        let base = ["disclosures", "record", "--kind", "content", "--ground", "law-enforcement-inadvertent", "--requester", "City Police",
                    "--request-type", "other"]
        try sb.fails(65, base + ["--requester-type", "law-enforcement", "--comm", m0])  // no case
        try sb.fails(65, base + ["--requester-type", "court", "--comm", m0, "--case", report])
        try sb.fails(66, base + ["--requester-type", "law-enforcement", "--comm", m0, "--case", "R999999"])
        try sb.fails(65, base + ["--requester-type", "law-enforcement", "--comm", m1, "--case", report])  // another message
        let d = try sb.ok(base + ["--requester-type", "law-enforcement", "--comm", m0, "--case", report, "--json"]).jsonObject()
        #expect(str(d, "case_id") == report && str(d, "ground") == "law-enforcement-inadvertent")
    }

    @Test func partnerExportRecordsItsShare() throws {
        let sb = try Sandbox("disclosures-partner")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.addCustomer(name: "Ann", email: "ann@example.com", phone: "+1 555 010 2000")
        try sb.addCustomer(name: "Bo, Jr.", email: "bo@example.com")
        let o = try sb.ok(["optouts", "submit", "--contact", "ANN@example.com", "--scope", "partner-offers", "--json"]).jsonObject()
        try sb.ok(["optouts", "apply", try #require(str(o, "id"))])

        let export = try sb.ok(["mailing", "export", "partner-offers", "--partner", "Acme Hosting Ltd", "--csv"])
        let csv = String(decoding: export.stdout, as: UTF8.self)
        #expect(csv == "customer_id,name,channel,contact\r\nC0000001,Ann,phone,+1 555 010 2000\r\nC0000002,\"Bo, Jr.\",email,bo@example.com\r\n")
        let shares = try sb.ok(["disclosures", "list", "--kind", "partner-share", "--json"]).jsonArray()
        try #require(shares.count == 1)
        let d = shares[0]
        #expect(str(d, "state") == "released" && str(d, "ground") == "partner-program" && str(d, "requester") == "Acme Hosting Ltd")
        #expect(d["contact_points"] as? Int == 2 && d["excluded_by_optouts"] as? Int == 1)
        let manifest = try #require(d["manifest"] as? [[String: Any]])
        #expect(str(manifest[0], "sha256") == Self.sha256(export.stdout))
        #expect(manifest[0]["size"] as? Int == export.stdout.count)
        #expect(export.err.contains(try #require(str(d, "id"))))
        // Its audit event is the export's, with the share as its case.
        let event = try #require(try sb.ok(["audit", "list", "--limit", "1", "--json"]).jsonArray().first)
        #expect(str(event, "action") == "mailing.export" && str(event, "case") == str(d, "id"))
        // Other lists record nothing; a partner share cannot be approved by hand.
        try sb.ok(["mailing", "export", "newsletter"])
        #expect(try sb.ok(["disclosures", "list", "--json"]).jsonArray().count == 1)
        try sb.fails(65, ["disclosures", "approve", try #require(str(d, "id"))])
        try sb.auditVerifies()
    }

    @Test func demoShowsTheRegisterInEveryState() throws {
        let sb = try Sandbox("disclosures-demo")
        defer { sb.cleanUp() }
        let created = try sb.run(["demo", "--no-console", "--customers", "300", "--store", sb.store], store: .some(nil))
        try #require(created.status == 0, "\(created)")
        #expect(created.err.contains("disclosures"), "\(created)")
        let all = try sb.ok(["disclosures", "list", "--json", "--as", "aud"]).jsonArray()
        #expect(Set(all.compactMap { str($0, "state") }) == ["recorded", "approved", "released", "refused", "withdrawn"])
        #expect(Set(all.compactMap { str($0, "kind") }) == ["content", "account", "partner-share", "traffic-aggregate"], "every kind")
        func flagged(_ word: String) -> [[String: Any]] { all.filter { ($0["flags"] as? [String])?.contains(word) == true } }
        #expect(flagged("AWAITS APPROVAL").count >= 2, "waiting for a second approver")
        #expect(flagged("DELAY RUN OUT").count == 1, "a notice delay that has run out")
        #expect(!flagged("OVERDUE").isEmpty)
        let released = all.filter { str($0, "state") == "released" }
        #expect(released.allSatisfy { !(($0["manifest"] as? [Any]) ?? []).isEmpty }, "released ones carry manifests")
        let shares = all.filter { str($0, "kind") == "partner-share" }
        #expect(shares.count == 2 && shares.allSatisfy { ($0["contact_points"] as? Int ?? 0) > 0 })
        #expect(!(try sb.ok(["disclosures", "list", "--notice-due", "--json"]).jsonArray().isEmpty))
        // Whoever recorded one that waits cannot approve it; the other admin can.
        let waiting = try #require(flagged("AWAITS APPROVAL").first)
        let id = try #require(str(waiting, "id")), recorder = try #require(str(waiting, "recorded_by"))
        let approver = try #require(["root", "dora"].first { $0 != recorder })
        try sb.fails(77, ["disclosures", "approve", id, "--as", recorder])
        try sb.ok(["disclosures", "approve", id, "--as", approver])
        try sb.auditVerifies()
        try sb.storeChecks()
    }
}
