import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// DESIGN.md §4: one audit event per state change, in the same commit; none for refusals;
/// content views audited with their case; `audit verify` names the first broken seq.
@Suite struct ServiceAuditTests {
    /// What one operation kind must leave in the audit trail.
    struct Expected {
        var action: Action
        var target: String?
        var caseId: String?
        /// Collections the commit must touch besides the audit trail.
        var collections: Set<String>
    }

    /// Runs `body` on `ops` and checks: exactly one commit, exactly one new audit event, which
    /// is the chain's next link and says what happened; the commit holds the change and the event.
    static func expectOneAuditedCommit<T>(_ w: ServiceWorld, _ ops: PrivacyOps, _ label: String,
                                          sourceLocation: SourceLocation = #_sourceLocation,
                                          _ body: () throws -> (T, Expected)) throws {
        try ops.refresh()
        let seq = w.seq
        let count = w.auditCount
        let last = w.lastAudit
        let seen = SeenChanges()
        let token = ops.store.addChangeListener { seen.add($0) }
        defer { ops.store.removeChangeListener(token) }
        let (_, expected) = try body()
        #expect(w.seq == seq + 1, "\(label): \(w.seq - seq) commits", sourceLocation: sourceLocation)
        #expect(w.auditCount == count + 1, "\(label): \(w.auditCount - count) audit events", sourceLocation: sourceLocation)
        guard let e = w.lastAudit else { Issue.record("\(label): no audit event", sourceLocation: sourceLocation); return }
        #expect(e.seq == (last?.seq ?? 0) + 1, sourceLocation: sourceLocation)
        #expect(e.prevHash == (last?.hash ?? AuditChain.genesis), sourceLocation: sourceLocation)
        #expect(e.hash == AuditChain.hash(of: e), sourceLocation: sourceLocation)
        #expect(e.action == expected.action.rawValue, "\(label): \(e.action)", sourceLocation: sourceLocation)
        if let t = expected.target { #expect(e.target == t, "\(label): target \(e.target)", sourceLocation: sourceLocation) }
        #expect(e.caseId == expected.caseId, "\(label): case \(String(describing: e.caseId))", sourceLocation: sourceLocation)
        #expect(e.actor == ops.actor.name, sourceLocation: sourceLocation)
        #expect(e.role == (try ops.role()).rawValue, sourceLocation: sourceLocation)
        #expect(e.at == ServiceTime.stamp(w.clock.now), sourceLocation: sourceLocation)
        #expect(!e.detail.isEmpty, sourceLocation: sourceLocation)
        // The one commit carried the change and its event together.
        let changes = seen.all
        #expect(changes.count == 1 && changes.first?.toSeq == seq + 1, "\(label): \(changes)", sourceLocation: sourceLocation)
        let touched = Set(changes.flatMap { $0.changed.keys })
        #expect(touched.isSuperset(of: expected.collections.union(["audit", "meta"])),
                "\(label): commit touched \(touched.sorted())", sourceLocation: sourceLocation)
    }

    final class SeenChanges: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [StoreChanges] = []
        func add(_ c: StoreChanges) { lock.lock(); list.append(c); lock.unlock() }
        var all: [StoreChanges] { lock.lock(); defer { lock.unlock() }; return list }
    }

    @Test func everyStateChangeAddsExactlyOneEventInTheSameCommit() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let mo = try w.open(.moderator)
        let ada = try w.open(.admin)
        func check<T>(_ ops: PrivacyOps, _ label: String, _ body: () throws -> (T, Expected)) throws {
            try Self.expectOneAuditedCommit(w, ops, label, body)
        }
        var customer: Customer!
        try check(sam, "customers add") {
            customer = try sam.addCustomer(CustomerInput(name: "Audit Me", email: "audit@example.com"))
            // An add names the record it created.
            return ((), Expected(action: .customersAdd, target: customer.id, collections: ["customers", "counters"]))
        }
        try check(sam, "customers update") {
            (try sam.updateCustomer(customer.id, CustomerChanges(phone: "+1 555 010 1234")),
             Expected(action: .customersUpdate, target: customer.id, collections: ["customers"]))
        }
        try check(sam, "customers status") {
            (try sam.updateCustomer(customer.id, CustomerChanges(status: .suspended)),
             Expected(action: .customersStatus, target: customer.id, collections: ["customers"]))
        }
        try check(sam, "customers note") {
            (try sam.addNote(customer: customer.id, text: "asked about invoices"),
             Expected(action: .customersNote, target: customer.id, collections: ["notes"]))
        }
        let csv = try w.write("name,email\nOne,one@example.com\nTwo,two@example.com\nThree,three@example.com\n", name: "three.csv")
        try check(sam, "customers import") {
            (try sam.importCustomers(csvFile: csv), Expected(action: .customersImport, collections: ["customers"]))
        }
        var optOuts: [OptOutRequest] = []
        for k in 0..<3 {
            try check(sam, "optouts submit") {
                optOuts.append(try sam.submitOptOut(OptOutSubmission(contact: "one@example.com", scopes: [.newsletter], note: "\(k)")))
                return ((), Expected(action: .optoutsSubmit, target: optOuts.last?.id, collections: ["optouts"]))
            }
        }
        try w.deliver(["contact": "two@example.com"], name: "1772442000.a.web1")
        try check(sam, "optouts ingest") {
            let r = try sam.ingestOptOuts()
            let taken = try #require(try sam.view().all(Collections.optouts).first { $0.spoolFile == "1772442000.a.web1" })
            return (r, Expected(action: .optoutsIngest, target: "1772442000.a.web1", caseId: taken.id, collections: ["optouts"]))
        }
        try check(sam, "optouts apply") {
            (try sam.applyOptOut(optOuts[0].id), Expected(action: .optoutsApply, target: optOuts[0].id, caseId: optOuts[0].id, collections: ["optouts", "suppressions"]))
        }
        try check(sam, "optouts need-info") {
            (try sam.needInfoOptOut(optOuts[1].id, note: "which?"), Expected(action: .optoutsNeedInfo, target: optOuts[1].id, caseId: optOuts[1].id, collections: ["optouts"]))
        }
        try check(sam, "optouts reject") {
            (try sam.rejectOptOut(optOuts[2].id, reason: "spam"), Expected(action: .optoutsReject, target: optOuts[2].id, caseId: optOuts[2].id, collections: ["optouts"]))
        }
        try check(ada, "mailing export") {
            // A partner export records its partner-share disclosure in the same commit; the
            // export's event names it as its case.
            let export = try ada.exportMailing(.partnerOffers)
            return (export, Expected(action: .mailingExport, target: "partner-offers", caseId: try #require(export.disclosure).id,
                                     collections: ["disclosures", "counters"]))
        }
        let dir = try w.makeMaildir(count: 4)
        var comms: [Communication] = []
        try check(ada, "comms import-maildir") {
            comms = try ada.importMaildir(dir, customer: customer.id).indexed
            return ((), Expected(action: .commsImport, target: customer.id, collections: ["communications"]))
        }
        #expect(comms.count == 4)
        var reports: [Report] = []
        for comm in comms {
            try check(sam, "reports file") {
                let r = try sam.fileReport(communication: comm.id, trigger: .abuseReport, reason: "spam", reporter: nil)
                reports.append(r)
                return ((), Expected(action: .reportsFile, target: r.id, caseId: r.id, collections: ["reports"]))
            }
        }
        try check(mo, "comms view") {
            (try mo.viewContent(comms[0].id, case: reports[0].id), Expected(action: .commsView, target: comms[0].id, caseId: reports[0].id, collections: []))
        }
        try check(mo, "moderation block") {
            (try mo.block(report: reports[0].id, ground: .touViolation, clause: "4.2", note: "bulk mail"),
             Expected(action: .moderationBlock, target: reports[0].id, caseId: reports[0].id, collections: ["reports", "communications"]))
        }
        try check(mo, "comms view (blocked)") {
            (try mo.viewContent(comms[0].id, case: reports[0].id), Expected(action: .commsView, target: comms[0].id, caseId: reports[0].id, collections: []))
        }
        try check(mo, "moderation unblock") {
            (try mo.unblock(report: reports[0].id, reason: "appeal upheld"),
             Expected(action: .moderationUnblock, target: reports[0].id, caseId: reports[0].id, collections: ["reports", "communications"]))
        }
        try check(mo, "moderation delete") {
            (try mo.delete(report: reports[1].id, ground: .harmThirdParties, note: "malware", confirmed: true),
             Expected(action: .moderationDelete, target: reports[1].id, caseId: reports[1].id, collections: ["reports", "communications"]))
        }
        try check(mo, "moderation dismiss") {
            (try mo.dismiss(report: reports[2].id, note: "no violation"),
             Expected(action: .moderationDismiss, target: reports[2].id, caseId: reports[2].id, collections: ["reports"]))
        }
        try check(ada, "users grant") {
            (try ada.grant(user: "newbie", role: .auditor), Expected(action: .usersGrant, target: "newbie", collections: ["users"]))
        }
        try check(ada, "users grant (change role)") {
            (try ada.grant(user: "newbie", role: .support), Expected(action: .usersGrant, target: "newbie", collections: ["users"]))
        }
        try check(ada, "users revoke") {
            (try ada.revoke(user: "newbie"), Expected(action: .usersRevoke, target: "newbie", collections: ["users"]))
        }
        // Generating a transparency report changes no record: its commit is its audit event.
        let aud = try w.open(.auditor)
        try check(aud, "transparency report") {
            (try aud.transparencyReport(try ReportPeriod.named("2026H1"), format: .text),
             Expected(action: .transparencyReport, target: "2026H1", collections: []))
        }
        // The policy check is a read: no commit.
        try ada.refresh()
        let before = w.seq
        _ = try ada.policyCheck()
        #expect(w.seq == before)
        // Compaction: its event first, then a snapshot that changes no record.
        try ada.refresh()
        let seq = w.seq
        let count = w.auditCount
        _ = try ada.compactStore()
        #expect(w.seq == seq + 1)
        #expect(w.auditCount == count + 1)
        #expect(w.lastAudit?.action == Action.storeCompact.rawValue)
        // Everything above: one unbroken chain, one event per commit after init's.
        let v = try w.open(.auditor).verifyAudit()
        #expect(v.isIntact)
        #expect(v.events == Int(w.seq))
    }

    @Test func refusedCallsAddNoEvent() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let mo = try w.open(.moderator)
        let aud = try w.open(.auditor)
        let c = try w.addCustomer("Refused", email: "refused@example.com")
        let applied = try w.root.applyOptOut(try w.submitOptOut().id)
        let (comm, report) = try w.openCase()
        let (otherComm, _) = try w.openCase()
        let dismissed = try w.root.dismiss(report: try w.root.fileReport(communication: comm.id, trigger: .legal, reason: "x", reporter: nil).id, note: "n")
        let dir = try w.makeMaildir(count: 1)
        _ = try w.root.importMaildir(dir, customer: c.id)
        try w.deliver(raw: "{not json", name: "1772442000.bad.web1")
        try w.deliver(["contact": "again@example.com"], name: "1772442000.twice.web1")
        _ = try sam.ingestOptOuts()  // takes the good one, sets aside the bad one
        try FileManager.default.copyItem(atPath: w.spool.curDir + "/1772442000.twice.web1", toPath: w.spool.newDir + "/1772442000.twice.web1")
        let refusals: [(String, Int32, () throws -> Any)] = [
            ("denied: support exports", 77, { try sam.exportMailing(.newsletter) }),
            ("denied: auditor views content", 77, { try aud.viewContent(comm.id, case: report.id) }),
            ("denied: moderator adds a customer", 77, { try mo.addCustomer(CustomerInput(name: "X", email: "x@example.com")) }),
            ("invalid: bad e-mail", 65, { try sam.addCustomer(CustomerInput(name: "X", email: "not-an-address")) }),
            ("invalid: nothing changed", 65, { try sam.updateCustomer(c.id, CustomerChanges(name: "Refused")) }),
            ("usage: no change given", 64, { try sam.updateCustomer(c.id, CustomerChanges()) }),
            ("not found: note on missing customer", 66, { try sam.addNote(customer: "C9999999", text: "x") }),
            ("conflict: stale version", 75, { try sam.updateCustomer(c.id, CustomerChanges(name: "Y"), expectVersion: 7) }),
            ("invalid: apply an applied request", 65, { try sam.applyOptOut(applied.id) }),
            ("usage: delete unconfirmed", 64, { try mo.delete(report: report.id, ground: .harmCompany, note: "x", confirmed: false) }),
            ("invalid: tou without clause", 65, { try mo.block(report: report.id, ground: .touViolation, clause: nil, note: "x") }),
            ("denied: view without a case", 77, { try mo.viewContent(comm.id, case: "R999999") }),
            ("denied: view through another message's case", 77, { try mo.viewContent(otherComm.id, case: report.id) }),
            ("denied: view through a dismissed case", 77, { try mo.viewContent(comm.id, case: dismissed.id) }),
            ("invalid: dismiss a dismissed report", 65, { try mo.dismiss(report: dismissed.id, note: "again") }),
            ("invalid: grant the same role", 65, { try w.root.grant(user: "sam", role: .support) }),
            ("not found: revoke a user without a role", 66, { try w.root.revoke(user: "stranger") }),
            ("no change: Maildir already indexed", 0, { try w.root.importMaildir(dir, customer: c.id) }),
            ("no change: spool file already taken", 0, { try sam.ingestOptOuts() }),
            ("no change: nothing in the spool", 0, { try sam.ingestOptOuts() }),
        ]
        for (label, code, call) in refusals {
            try sam.refresh()
            try mo.refresh()
            let seq = w.seq
            let count = w.auditCount
            #expect(serviceExitCode(call) == code, "\(label)")
            #expect(w.seq == seq, "\(label): committed")
            #expect(w.auditCount == count, "\(label): audited")
        }
    }

    @Test func contentViewsAreAuditedWithTheirCase() throws {
        let w = try ServiceWorld()
        let mo = try w.open(.moderator)
        let (comm, report) = try w.openCase()
        let content = try mo.viewContent(comm.id, case: report.id)
        #expect(content.caseId == report.id)
        let e = try #require(w.lastAudit)
        #expect(e.action == "comms.view")
        #expect(e.target == comm.id)
        #expect(e.caseId == report.id)
        #expect(e.actor == "mo" && e.role == "moderator")
        // The audit trail shows it newest first, to an auditor.
        let listed = try w.open(.auditor).listAudit(limit: 1)
        #expect(listed.first == e)
    }

    // MARK: Tampering

    /// A store with a dozen events.
    static func chain() throws -> ServiceWorld {
        let w = try ServiceWorld()  // init + 4 grants = 5 events
        for k in 0..<7 { try w.addCustomer("Chain \(k)", email: "chain\(k)@example.com") }
        return w
    }

    static func rawEvent(_ w: ServiceWorld, _ seq: Int) throws -> (json: [UInt8], version: Int) {
        let v = w.root.view()
        let id = AuditEvent.recordID(seq: seq)
        return (try #require(v.rawJSON("audit", id: id)), v.version("audit", id: id))
    }

    static func verify(_ w: ServiceWorld) throws -> AuditChain.Verification {
        try w.root.refresh()
        return try w.open(.auditor).verifyAudit()
    }

    @Test func intactChainVerifies() throws {
        let w = try Self.chain()
        let v = try Self.verify(w)
        #expect(v.isIntact)
        #expect(v.events == 12)
        #expect(v.problem == nil)
    }

    @Test(.flatStoreOnly) func editedEventIsNamed() throws {
        let w = try Self.chain()
        let (json, version) = try Self.rawEvent(w, 7)
        var event = try JSONDecoder().decode(AuditEvent.self, from: Data(json))
        #expect(event.seq == 7)
        event.detail = "nothing happened here"
        let edited = [UInt8](try JSONEncoder().encode(event))
        var tx = StoreTransaction()
        tx.putRaw(collection: "audit", id: event.id, expected: version, json: edited)
        try w.root.commitBelowService(tx)
        let v = try Self.verify(w)
        #expect(v.firstBadSeq == 7)
        #expect(v.problem?.contains("7") == true)
    }

    @Test(.flatStoreOnly) func editedLastEventIsNamed() throws {
        let w = try Self.chain()
        let (json, version) = try Self.rawEvent(w, 12)
        var event = try JSONDecoder().decode(AuditEvent.self, from: Data(json))
        event.actor = "someone-else"
        var tx = StoreTransaction()
        tx.putRaw(collection: "audit", id: event.id, expected: version, json: [UInt8](try JSONEncoder().encode(event)))
        try w.root.commitBelowService(tx)
        #expect(try Self.verify(w).firstBadSeq == 12)
    }

    /// An event whose bytes no longer read as an audit event is a broken link at its seq, and
    /// `store check` is not healthy: verification never swallows it as "nothing to verify".
    @Test(.flatStoreOnly) func unreadableEventIsNamedAndTheStoreIsNotHealthy() throws {
        let w = try Self.chain()
        let (_, version) = try Self.rawEvent(w, 9)
        var tx = StoreTransaction()
        tx.putRaw(collection: "audit", id: AuditEvent.recordID(seq: 9), expected: version, json: Array(#"{"id":"A000000009","seq":"nine"}"#.utf8))
        try w.root.commitBelowService(tx)
        let v = try Self.verify(w)
        #expect(v.firstBadSeq == 9, "\(v)")
        #expect(v.problem?.contains("cannot be read") == true, "\(v)")
        let health = try w.root.checkStore()
        #expect(health.audit?.firstBadSeq == 9)
        #expect(!health.isHealthy)
    }

    @Test(.flatStoreOnly) func deletedEventIsNamed() throws {
        let w = try Self.chain()
        var tx = StoreTransaction()
        tx.delete(id: AuditEvent.recordID(seq: 6), from: Collections.audit, expecting: try Self.rawEvent(w, 6).version)
        try w.root.commitBelowService(tx)
        let v = try Self.verify(w)
        #expect(v.firstBadSeq == 6)
    }

    @Test(.flatStoreOnly) func deletedLastEventIsNamed() throws {
        let w = try Self.chain()
        var tx = StoreTransaction()
        tx.delete(id: AuditEvent.recordID(seq: 12), from: Collections.audit, expecting: try Self.rawEvent(w, 12).version)
        try w.root.commitBelowService(tx)
        #expect(try Self.verify(w).firstBadSeq == 12)
    }

    @Test(.flatStoreOnly) func swappedPairIsNamed() throws {
        let w = try Self.chain()
        let (five, v5) = try Self.rawEvent(w, 5)
        let (six, v6) = try Self.rawEvent(w, 6)
        var tx = StoreTransaction()
        tx.putRaw(collection: "audit", id: AuditEvent.recordID(seq: 5), expected: v5, json: six)
        tx.putRaw(collection: "audit", id: AuditEvent.recordID(seq: 6), expected: v6, json: five)
        try w.root.commitBelowService(tx)
        #expect(try Self.verify(w).firstBadSeq == 5)
    }

    @Test(.flatStoreOnly) func reorderedPairIsNamed() throws {
        // Event 8 taken out and put back at the end: the stored order is 1…7, 9…12, 8.
        let w = try Self.chain()
        let (eight, v8) = try Self.rawEvent(w, 8)
        var out = StoreTransaction()
        out.delete(id: AuditEvent.recordID(seq: 8), from: Collections.audit, expecting: v8)
        try w.root.commitBelowService(out)
        var back = StoreTransaction()
        back.putRaw(collection: "audit", id: AuditEvent.recordID(seq: 8), expected: 0, json: eight)
        try w.root.commitBelowService(back)
        #expect(w.root.view().ids(Collections.audit).last == AuditEvent.recordID(seq: 8))
        #expect(try Self.verify(w).firstBadSeq == 8)
    }
}
