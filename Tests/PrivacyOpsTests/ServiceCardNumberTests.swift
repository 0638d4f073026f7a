import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// Policy: "never in possession of your complete credit card information". Every write path
/// refuses a card number with exit 65 and writes nothing; `store scan` finds one planted anyway.
@Suite struct ServiceCardNumberTests {
    /// Published test numbers, as people type them.
    static let cards = ["4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005"]

    /// The same number in every separator class, script and neighbourhood the guard reads.
    static let forms: [String] = [
        "4111111111111111", "4111\u{00A0}1111\u{00A0}1111\u{00A0}1111", "4111\u{3000}1111\u{3000}1111\u{3000}1111",
        "4111\u{202F}1111\u{2007}1111\u{2009}1111", "4111\u{2013}1111\u{2014}1111\u{2212}1111", "4111\u{FF0D}1111\u{FE63}1111\u{2010}1111",
        "4111\u{200B}1111\u{200C}1111\u{200D}1111", "4\u{2060}111\u{FEFF}1111\u{00AD}1111 1111", "4111\t1111\t1111\t1111",
        "4111.1111.1111.1111", "4111/1111/1111/1111", "4111_1111_1111_1111", "4111 - 1111  1111\u{00A0}-\u{00A0}1111",
        "4111 1111 1111 1111 123", "42 4111 1111 1111 1111", "4111111111111111737", "card4111111111111111",
        "\u{FF14}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}",
        "\u{096A}\u{0967}\u{0967}\u{0967} \u{0967}\u{0967}\u{0967}\u{0967} \u{0967}\u{0967}\u{0967}\u{0967} \u{0967}\u{0967}\u{0967}\u{0967}",
        "\u{0664}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}\u{0661}",
        "\u{1D7D2}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}\u{1D7CF}",
        "\u{0E54}\u{0E51}\u{0E51}\u{0E51}-\u{0E51}\u{0E51}\u{0E51}\u{0E51}-\u{0E51}\u{0E51}\u{0E51}\u{0E51}-\u{0E51}\u{0E51}\u{0E51}\u{0E51}",
    ] + cards

    static func digits(_ s: String) -> String { s.filter(\.isNumber) }

    /// The refusal: exit 65, says it is a card number, never repeats the number.
    static func expectCardRefusal(_ label: String, _ card: String, _ error: OpsError?,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("\(label) accepted a card number (\(card))", sourceLocation: sourceLocation)
            return
        }
        guard case .invalid = error else {
            Issue.record("\(label): expected .invalid, got \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.exitCode == 65, sourceLocation: sourceLocation)
        #expect(error.message.contains("card number"), "\(label): \(error.message)", sourceLocation: sourceLocation)
        #expect(!error.message.contains(card) && !error.message.contains(digits(card)),
                "\(label) repeats the card number: \(error.message)", sourceLocation: sourceLocation)
    }

    /// A write path: given the text holding a card number, makes one call.
    typealias WritePath = (label: String, call: (String) throws -> Void)

    /// Every write path of the service that takes text, each fed `text` in one field.
    static func writePaths(_ w: ServiceWorld, customer: Customer, sam: PrivacyOps, mo: PrivacyOps) throws -> [WritePath] {
        let ok = CustomerInput(name: "Pat Doe", email: "pat@example.com")
        func input(_ change: @escaping (inout CustomerInput, String) -> Void) -> (String) throws -> Void {
            { text in var i = ok; change(&i, text); _ = try sam.addCustomer(i) }
        }
        let pending = try w.submitOptOut()
        let (_, open) = try w.openCase()
        let (_, blocked) = try w.blockedCase()
        return [
            ("customer add: name", input { $0.name = "Pat \($1)" }),
            ("customer add: email", input { $0.email = "\($1)@example.com" }),
            ("customer add: alternate email", input { $0.alternateEmails = ["\($1)@example.com"] }),
            ("customer add: phone", input { $0.phone = $1 }),
            ("customer add: address", input { $0.address = "Card \($1), 12 Main St" }),
            ("customer add: service", input { $0.services = ["web", "paid with \($1)"] }),
            ("customer update: name", { _ = try sam.updateCustomer(customer.id, CustomerChanges(name: "Pat \($0)")) }),
            ("customer update: email", { _ = try sam.updateCustomer(customer.id, CustomerChanges(email: "\($0)@example.com")) }),
            ("customer update: alternate email", { _ = try sam.updateCustomer(customer.id, CustomerChanges(alternateEmails: ["\($0)@example.com"])) }),
            ("customer update: phone", { _ = try sam.updateCustomer(customer.id, CustomerChanges(phone: $0)) }),
            ("customer update: address", { _ = try sam.updateCustomer(customer.id, CustomerChanges(address: "12 Main St \($0)")) }),
            ("customer update: services", { _ = try sam.updateCustomer(customer.id, CustomerChanges(services: ["card \($0)"])) }),
            ("customer note", { _ = try sam.addNote(customer: customer.id, text: "customer read out card \($0) on the phone") }),
            ("opt-out submit: contact", { _ = try sam.submitOptOut(OptOutSubmission(contact: $0)) }),
            ("opt-out submit: note", { _ = try sam.submitOptOut(OptOutSubmission(contact: "pat@example.com", note: "card \($0)")) }),
            ("opt-out submit: name", { _ = try sam.submitOptOut(OptOutSubmission(contact: "pat@example.com", name: "Pat \($0)")) }),
            ("opt-out submit: message", { _ = try sam.submitOptOut(OptOutSubmission(contact: "pat@example.com", message: "my card is \($0)")) }),
            ("opt-out submit: source", { _ = try sam.submitOptOut(OptOutSubmission(contact: "pat@example.com", source: "phone \($0)")) }),
            ("opt-out need-info note", { _ = try sam.needInfoOptOut(pending.id, note: "is \($0) yours?") }),
            ("opt-out reject reason", { _ = try sam.rejectOptOut(pending.id, reason: "gave card \($0)") }),
            ("report file: reason", { _ = try sam.fileReport(communication: open.communicationId, trigger: .abuseReport, reason: "asks for card \($0)", reporter: nil) }),
            ("report file: reporter", { _ = try sam.fileReport(communication: open.communicationId, trigger: .abuseReport, reason: "phishing", reporter: "card \($0)") }),
            ("moderation block: note", { _ = try mo.block(report: open.id, ground: .harmCustomers, clause: nil, note: "phishes for \($0)") }),
            ("moderation block: clause", { _ = try mo.block(report: open.id, ground: .touViolation, clause: $0, note: "phishing") }),
            ("moderation unblock: reason", { _ = try mo.unblock(report: blocked.id, reason: "not \($0)") }),
            ("moderation delete: note", { _ = try mo.delete(report: open.id, ground: .harmCustomers, note: "leaks \($0)", confirmed: true) }),
            ("moderation delete: clause", { _ = try mo.delete(report: open.id, ground: .touViolation, clause: $0, note: "x", confirmed: true) }),
            ("moderation dismiss: note", { _ = try mo.dismiss(report: open.id, note: "card \($0) is a test number") }),
            ("users grant: user name", { _ = try w.root.grant(user: $0, role: .support) }),
        ]
    }

    @Test(arguments: forms)
    func everyWritePathRefusesACardNumber(_ card: String) throws {
        let w = try ServiceWorld()
        let customer = try w.addCustomer("Pat Doe", email: "pat@example.com", phone: "+1 555 010 3000", address: "12 Main St")
        let sam = try w.open(.support)
        let mo = try w.open(.moderator)
        let paths = try Self.writePaths(w, customer: customer, sam: sam, mo: mo)
        let quarantineBefore = serviceListing(w.storeFiles + "/quarantine")
        for path in paths {
            let seq = w.seq
            try sam.refresh()
            try mo.refresh()
            Self.expectCardRefusal(path.label, card, serviceError { try path.call(card) })
            #expect(w.seq == seq, "\(path.label): something was written")
        }
        // No moderation step moved a file before refusing.
        #expect(serviceListing(w.storeFiles + "/quarantine") == quarantineBefore)
        // The whole store holds no card number.
        let aud = try w.open(.auditor)
        #expect(try aud.scanStore().isEmpty)
    }

    @Test(arguments: cards)
    func csvImportWithACardNumberIsRefusedWhole(_ card: String) throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let csv = """
            name,email,phone,address
            Good One,one@example.com,+1 555 010 0001,1 First St
            Good Two,two@example.com,,2 Second St
            Bad Three,three@example.com,,"card \(card), 3 Third St"
            Good Four,four@example.com,,4 Fourth St

            """
        let path = try w.write(csv, name: "card.csv")
        let seq = w.seq
        let error = serviceError { try sam.importCustomers(csvFile: path) }
        Self.expectCardRefusal("CSV import", card, error)
        #expect(error?.message.contains("row 4") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("row 2") == false)
        #expect(w.seq == seq)
        #expect(w.count(Collections.customers) == 0)
    }

    /// `--as` names the actor of every audit event the run records: a card number there is refused.
    @Test(arguments: forms)
    func actingAsACardNumberIsRefused(_ card: String) {
        Self.expectCardRefusal("--as", card, serviceError { try ServiceWorld.rootActor.acting(as: card) })
        #expect((try? ServiceWorld.rootActor.acting(as: "sam"))?.name == "sam")
    }

    /// A CSV file's name is the audit event's target: a number in it is masked there, and the
    /// rows (clean) are imported.
    @Test func csvFileNamedWithACardNumberIsAuditedMasked() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let path = try w.write("name,email\nGood One,one@example.com\n", name: "export-4111 1111 1111 1111.csv")
        #expect(try sam.importCustomers(csvFile: path).count == 1)
        #expect(w.lastAudit?.target == "export-************1111.csv")
        #expect(try w.open(.auditor).scanStore().isEmpty)
        // A bad status is named by its column, never echoed (a file's content stays out of errors).
        let bad = try w.write("name,email,status\nX,x@example.com,4111111111111111\n", name: "bad.csv")
        let e = serviceError { try sam.importCustomers(csvFile: bad) }
        #expect(e?.exitCode == 65 && e?.message.contains("status") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains("1111") == false, "\(e?.message ?? "")")
    }

    /// Numbers written straight into the journal (bypassing the service, through FlatStore's
    /// own API) in every separator class, script and JSON escape: `store scan` finds each one,
    /// on its line, and again after compaction moved them into the snapshot.
    @Test(.flatStoreOnly) func scanFindsNumbersPlantedInTheJournal() throws {
        let w = try ServiceWorld()
        try w.addCustomer("Scan Me", email: "scan@example.com", phone: "+1 555 010 4000")
        let aud = try w.open(.auditor)
        #expect(try aud.scanStore().isEmpty)
        let fs = try FlatStore.open(at: w.storePath)
        var planted: [String] = []
        // As JSONEncoder writes them (raw UTF-8), one per commit.
        for form in Self.forms {
            let json = String(decoding: try JSONEncoder().encode(["id": "X\(planted.count)", "note": "paid with \(form) ok"]), as: UTF8.self)
            planted.append(json)
        }
        // As a hand-written line might: JSON escapes for the separators and digits.
        planted += [
            #"{"id":"E1","note":"4111\u00a01111\u00a01111\u00a01111"}"#,
            #"{"id":"E2","note":"\uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11"}"#,
            #"{"id":"E3","note":"4111\u200b1111\u200b1111\u200b1111"}"#,
            #"{"id":"E4","note":"4111\/1111\/1111\/1111"}"#,
            #"{"id":"E5","note":"4111\t1111\t1111\t1111"}"#,
            #"{"id":"E6","note":"\ud835\udfd2\ud835\udfcf\ud835\udfcf\ud835\udfcf-1111-1111-1111"}"#,
            #"{"id":"E7","n":4111111111111111}"#,
        ]
        for (k, json) in planted.enumerated() {
            var tx = Transaction()
            try tx.putRaw(collection: "stray", id: "X\(k)", expected: 0, json: Array(json.utf8))
            _ = try fs.commit(tx)
        }
        try aud.refresh()
        let findings = try aud.scanStore()
        #expect(findings.count == planted.count, "\(findings)")
        #expect(Set(findings.map(\.file)) == ["journal.jsonl"])
        #expect(Set(findings.map(\.line)).count == planted.count, "one finding on each planted line")
        #expect(findings.allSatisfy { $0.last4 == "1111" || $0.last4 == "4444" || $0.last4 == "0005" }, "\(findings)")
        // Compaction moves them into the snapshot: still found there.
        _ = try fs.compact()
        let after = try aud.scanStore()
        #expect(after.count == planted.count && Set(after.map(\.file)) == ["snapshot.jsonl"], "\(after)")
    }

    /// Phone numbers, order numbers, dates and digit runs that fail the Luhn check are not card
    /// numbers and go through.
    @Test func lookAlikesAreAccepted() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        // Precondition: these 13–19 digit runs fail the Luhn check (so they are not card numbers).
        for run in ["4111 1111 1111 1112", "1234 5678 9012 3456"] {
            #expect(!CardNumberGuard.passesLuhn(run))
        }
        let c = try sam.addCustomer(CustomerInput(name: "Order 2026-000123 Buyer", email: "buyer+4111@example.com",
                                                  phone: "+1 (555) 123-4567", address: "Suite 4111, 1111 Main St, Springfield 62701",
                                                  services: ["plan-2026-03"]))
        _ = try sam.updateCustomer(c.id, CustomerChanges(phone: "+44 20 7946 0958"))
        _ = try sam.updateCustomer(c.id, CustomerChanges(phone: "001 555 123 4567"))
        for note in ["order #100234567 shipped 2026-03-02; tracking 1Z999AA10123456784",
                     "ISBN 978-0-306-40615-7 and 9780306406157", "ticket 550e8400-e29b-41d4-a716-446655440000",
                     "attachment sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                     "call +44 20 7946 0958, +33 1 23 45 67 89 or +81 3-1234-5678", "version 4.1.1111.1111",
                     "call back on 1-800-555-0199 or +1 (555) 123-4567 after 17:00",
                     "invoice 4111 1111 1111 1112 (not a card: fails Luhn)",
                     "reference 1234 5678 9012 3456",
                     "card ending 1111, paid through PayPal, transaction 9XJ47261TT0123456",
                     "IP 203.0.113.45, 2026-03-02T09:00:00Z"] {
            _ = try sam.addNote(customer: c.id, text: note)
        }
        _ = try sam.submitOptOut(OptOutSubmission(contact: "+1 (555) 123-4567", note: "order 100234567"))
        let csv = "name,email,phone\nOrder Person,order@example.com,1-555-987-6543\n"
        _ = try sam.importCustomers(csvFile: try w.write(csv, name: "ok.csv"))
        try w.deliver(["contact": "1-555-987-6543", "message": "order 2026-000123-77"], name: "1772442000.ok.web1")
        let report = try sam.ingestOptOuts()
        #expect(report.taken.count == 1 && report.rejected.isEmpty)
        #expect(try w.open(.auditor).scanStore().isEmpty)
    }

    /// `store scan` finds a card number planted in any store file, naming the file and line and
    /// never the number; hex hashes are not card numbers.
    @Test func scanFindsAPlantedNumberAndNamesFileAndLine() throws {
        let w = try ServiceWorld()
        try w.addCustomer("Scan Me", email: "scan@example.com", phone: "+1 555 010 4000")
        let aud = try w.open(.auditor)
        #expect(try aud.scanStore().isEmpty)
        // Hex tokens (24 or more hex characters) holding Luhn-valid digit runs: hashes, not card numbers.
        let hexOnly = """
            {"hash":"ab4111111111111111cdcdcdcd","sha256":"4111111111111111ffeeffee"}
            {"prev_hash":"00ff5555555555554444aaaa","x":"e378282246310005eeeeeeeeeeeeeeeee"}

            """
        FileManager.default.createFile(atPath: w.storeFiles + "/inbox/optouts/cur/hashes.json", contents: Data(hexOnly.utf8))
        #expect(try aud.scanStore().isEmpty)
        let planted = """
            {"contact": "pat@example.com",
             "scopes": ["newsletter"],
             "message": "please charge 5555-5555-5555-4444 instead"}

            """
        FileManager.default.createFile(atPath: w.storeFiles + "/inbox/optouts/cur/planted.json", contents: Data(planted.utf8))
        let findings = try aud.scanStore()
        #expect(findings == [CardNumberFinding(file: "inbox/optouts/cur/planted.json", line: 3, last4: "4444")])
        let json = String(decoding: try JSONEncoder().encode(findings), as: UTF8.self)
        #expect(!json.contains("5555-5555-5555-4444") && !json.contains("5555555555554444"))
        // A second one in the quarantine, on line 1.
        FileManager.default.createFile(atPath: w.storeFiles + "/quarantine/stray", contents: Data("378282246310005\n".utf8))
        #expect(try aud.scanStore().map { "\($0.file):\($0.line)" } == ["inbox/optouts/cur/planted.json:3", "quarantine/stray:1"])
    }

    /// A demo-like store: hundreds of audit hashes, message SHA-256s, suppression ids, phone
    /// numbers and a compaction snapshot, and not one finding.
    @Test func cleanDemoStoreHasNoFindings() throws {
        let base = NSTemporaryDirectory() + "lgadmin-svc-demo-" + ServiceWorld.digitFreeUUID()
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let path = base + "/store"
        _ = try DemoGenerator(customers: 200, seed: 7).create(at: path, actor: ServiceWorld.rootActor)
        let admin = try PrivacyOps.open(at: path, actor: ServiceWorld.rootActor)
        // More audit events, each with a fresh hash, until there are hundreds.
        let ids = try admin.listCustomers(limit: 100).map(\.id)
        for (k, id) in ids.enumerated() {
            _ = try admin.addNote(customer: id, text: "follow-up \(k): called +1 (555) 010-\(String(format: "%04d", k))")
            _ = try admin.updateCustomer(id, CustomerChanges(services: ["web", "mail-\(k)"]))
        }
        let audit = try admin.listAudit()
        #expect(audit.count >= 300)
        #expect(try admin.verifyAudit().isIntact)
        let findings = try admin.scanStore()
        #expect(findings.isEmpty, "false positives: \(findings)")
    }
}
