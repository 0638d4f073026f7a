import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// DESIGN.md §4 and issue 11 §2: every audited change records each changed field's value before
/// and after; status, role and date fields as they are, personal data masked (``AuditValueRule``);
/// an add names the created record as its target; no card number ever reaches the audit.
@Suite struct ServiceAuditChangesTests {
    static func change(_ e: AuditEvent?, _ record: String, _ field: String) -> AuditChange? {
        e?.changes?.first { $0.record == record && $0.field == field }
    }

    /// The event's stored bytes and every value it holds, for searching.
    static func text(_ e: AuditEvent) throws -> String {
        String(decoding: try JSONEncoder().encode(e), as: UTF8.self)
    }

    @Test func addNamesTheCreatedRecordAndKeepsItsValuesMasked() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let c = try sam.addCustomer(CustomerInput(name: "Zoë Müller", email: "zoe@example.com", phone: "+1 555 010 4567",
                                                  address: "12 Rue de la Paix, Paris", services: ["mail", "web"]))
        let e = try #require(w.lastAudit)
        #expect(e.action == "customers.add" && e.target == c.id)
        #expect(Self.change(e, c.id, "name") == AuditChange(record: c.id, field: "name", before: nil, after: "Z… (10 chars)"))
        #expect(Self.change(e, c.id, "email")?.after == "z… (15 chars)")
        #expect(Self.change(e, c.id, "phone")?.after == "…4567")
        #expect(Self.change(e, c.id, "address")?.after == "1… (24 chars)")
        #expect(Self.change(e, c.id, "status")?.after == "active")
        #expect(Self.change(e, c.id, "services")?.after == "mail, web")
        #expect(Self.change(e, c.id, "created_at")?.after == e.at)
        // Bookkeeping is not kept; nothing personal is, in any form.
        for field in ["id", "version", "updated_at", "contact_keys"] { #expect(Self.change(e, c.id, field) == nil, "\(field)") }
        let all = try Self.text(e)
        for secret in ["Müller", "Zoë", "zoe@", "example.com", "010", "Rue", "Paris"] { #expect(!all.contains(secret), "\(secret)") }
        #expect(try w.open(.auditor).verifyAudit().isIntact)

        // The other adds name what they created, too.
        let o = try sam.submitOptOut(OptOutSubmission(contact: "zoe@example.com", scopes: [.newsletter]))
        #expect(w.lastAudit?.target == o.id)
        #expect(Self.change(w.lastAudit, o.id, "state")?.after == "pending")
        #expect(Self.change(w.lastAudit, o.id, "contact")?.after == "z… (15 chars)")
        let (_, report) = try w.openCase(customer: c.id)
        let filed = try #require(try w.open(.auditor).listAudit(filter: AuditFilter(action: "reports.file")).first)
        #expect(filed.target == report.id)
    }

    @Test func updateKeepsStatusRealAndPersonalDataMasked() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let c = try sam.addCustomer(CustomerInput(name: "Ann Lee", email: "ann@example.com", phone: "555-010-1234"))
        _ = try sam.updateCustomer(c.id, CustomerChanges(name: "Anne Leigh", phone: "555-010-9876", status: .suspended,
                                                         services: ["mail"]))
        let e = try #require(w.lastAudit)
        #expect(e.target == c.id && e.action == "customers.update")
        #expect(Self.change(e, c.id, "status") == AuditChange(record: c.id, field: "status", before: "active", after: "suspended"))
        #expect(Self.change(e, c.id, "name") == AuditChange(record: c.id, field: "name", before: "A… (7 chars)", after: "A… (10 chars)"))
        #expect(Self.change(e, c.id, "phone") == AuditChange(record: c.id, field: "phone", before: "…1234", after: "…9876"))
        #expect(Self.change(e, c.id, "services") == AuditChange(record: c.id, field: "services", before: "", after: "mail"))
        // Fields that did not change are not listed.
        #expect(Self.change(e, c.id, "email") == nil && Self.change(e, c.id, "created_at") == nil)
        #expect(!(try Self.text(e)).contains("Leigh"))
        // Removing a value: after is absent.
        _ = try sam.updateCustomer(c.id, CustomerChanges(phone: ""))
        #expect(Self.change(w.lastAudit, c.id, "phone") == AuditChange(record: c.id, field: "phone", before: "…9876", after: nil))
    }

    @Test func rolesStatesAndNotesAcrossTheService() throws {
        let w = try ServiceWorld()
        let ada = try w.open(.admin)
        _ = try ada.grant(user: "newbie", role: .auditor)
        #expect(Self.change(w.lastAudit, "newbie", "role") == AuditChange(record: "newbie", field: "role", before: nil, after: "auditor"))
        _ = try ada.grant(user: "newbie", role: .support)
        #expect(Self.change(w.lastAudit, "newbie", "role") == AuditChange(record: "newbie", field: "role", before: "auditor", after: "support"))
        try ada.revoke(user: "newbie")
        #expect(Self.change(w.lastAudit, "newbie", "role") == AuditChange(record: "newbie", field: "role", before: "support", after: nil))

        let o = try w.submitOptOut("pat@example.com")
        _ = try ada.needInfoOptOut(o.id, note: "which newsletter do you mean?")
        #expect(Self.change(w.lastAudit, o.id, "state") == AuditChange(record: o.id, field: "state", before: "pending", after: "needs-info"))
        #expect(Self.change(w.lastAudit, o.id, "note")?.after == "w… (29 chars)")
        #expect(Self.change(w.lastAudit, o.id, "decided_by")?.after == "ada")

        let c = try w.addCustomer("Noted")
        let note = try ada.addNote(customer: c.id, text: "called about the invoice")
        #expect(w.lastAudit?.target == c.id)
        #expect(Self.change(w.lastAudit, note.id, "text")?.after == "c… (24 chars)")
        #expect(Self.change(w.lastAudit, note.id, "customer_id")?.after == c.id)

        // A case's history is kept as its length; moderation states as they are.
        let (comm, report) = try w.openCase()
        _ = try w.open(.moderator).block(report: report.id, ground: .touViolation, clause: "4.2", note: "bulk mail")
        let e = try #require(w.lastAudit)
        #expect(Self.change(e, report.id, "state") == AuditChange(record: report.id, field: "state", before: "open", after: "blocked"))
        #expect(Self.change(e, report.id, "ground")?.after == "tou-violation")
        #expect(Self.change(e, report.id, "history") == AuditChange(record: report.id, field: "history", before: "1 item", after: "2 items"))
        #expect(Self.change(e, comm.id, "state") == AuditChange(record: comm.id, field: "state", before: "visible", after: "blocked"))
        // A view changes no record: no changes at all, so its bytes are as before.
        _ = try w.open(.moderator).viewContent(comm.id, case: report.id)
        #expect(w.lastAudit?.action == "comms.view" && w.lastAudit?.changes == nil)
        #expect(try w.open(.auditor).verifyAudit().isIntact)
    }

    /// The attack: a card number that got into a record below the service (an old import, a hand
    /// edit of the store) is in a free-text field; staff edit that field. The audit's before value
    /// must not carry the number, nor must any other field's, real or masked.
    @Test(arguments: ServiceCardMaskingTests.forms)
    func aCardNumberInAnEditedFieldNeverReachesTheAudit(_ form: String) throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let c = try sam.addCustomer(CustomerInput(name: "Pat", email: "pat@example.com", address: "1 Main St"))
        var planted = try #require(try sam.view().get(Collections.customers, id: c.id))
        planted.address = "1 Main St, card \(form)"
        planted.services = ["mail", "card \(form)"]
        planted.name = "\(form) Pat"
        var tx = StoreTransaction()
        try tx.update(planted, in: Collections.customers, expecting: planted.version)
        try w.root.commitBelowService(tx)
        try sam.refresh()
        let plantedFindings = try w.open(.auditor).scanStore().count
        #expect(plantedFindings > 0)

        _ = try sam.updateCustomer(c.id, CustomerChanges(name: "Pat Smith", address: "2 Main St", services: ["web"]))
        let e = try #require(w.lastAudit)
        #expect(Self.change(e, c.id, "address")?.before == "1… (\(planted.address!.count) chars)")
        #expect(Self.change(e, c.id, "services")?.before?.contains("1111") == true)
        let all = try Self.text(e)
        #expect(CardNumberGuard.find(in: all) == nil, "\(all)")
        #expect(!CardNumberGuardPropertyTests.asciiDigits(all).contains("411111111111"), "\(all)")
        // And the store holds no number beyond the planted record itself: the update's commit
        // (its record and its event) added none.
        #expect(try w.open(.auditor).scanStore().count == plantedFindings)
    }

    /// The rule itself, value by value.
    @Test func theMaskingRule() {
        #expect(AuditValueRule.masked("") == "")
        #expect(AuditValueRule.masked("Z") == "Z… (1 char)")
        #expect(AuditValueRule.masked("\u{1B}[31mred") == "… (8 chars)")
        #expect(AuditValueRule.masked("4111 1111 1111 1111") == "4… (19 chars)")
        #expect(AuditValueRule.maskedPhone("+44 20 7946 0958") == "…0958")
        #expect(AuditValueRule.maskedPhone("12345") == "1… (5 chars)")
        #expect(AuditValueRule.treatment(of: "status") == .real)
        #expect(AuditValueRule.treatment(of: "a_field_added_later") == .masked)
        #expect(AuditValueRule.kept(.text("ref 4111 1111 1111 1111"), as: .real) == "ref ************1111")
        #expect(AuditValueRule.kept(.list(["Ann", "Bo"]), as: .masked) == "A… (3 chars), B… (2 chars)")
    }
}
