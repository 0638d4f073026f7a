import Crypto
import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// The life of a disclosure after it is recorded: a second admin approves, an edit clears the
/// approval, release needs the approval and writes a manifest of ids and hashes, the customer
/// is told (or the notice is delayed by an order), an approved content disclosure is a case for
/// its messages, and every change commits its audit event with it.
@Suite struct ServiceDisclosureLifecycleTests {
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// A second admin besides `ada`, so that edits and approvals can change hands.
    static func world() throws -> ServiceWorld {
        let w = try ServiceWorld()
        _ = try w.root.grant(user: "bea", role: .admin)
        return w
    }

    static func subpoena(_ comms: [String]) -> DisclosureInput {
        DisclosureInput(kind: .content, ground: .legalProcess, requester: "County Court", requesterType: .court,
                        requestType: .subpoena, reference: "CV-2026-118", communicationIds: comms)
    }

    static func accountRequest(_ customers: [String]) -> DisclosureInput {
        DisclosureInput(kind: .account, ground: .harmPrevention, requester: "CERT", requesterType: .governmentAgency,
                        requestType: .emergency, customerIds: customers, dataCategories: [.contact, .services])
    }

    /// Runs `body` and checks it committed exactly one change with one audit event of `action`
    /// whose case is `id`.
    @discardableResult
    static func oneAuditedCommit<T>(_ w: ServiceWorld, _ action: Action, case id: String, target: String? = nil,
                                    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T) throws -> T {
        let seq = w.seq
        let audits = w.auditCount
        let result = try body()
        #expect(w.seq == seq + 1, "\(action.rawValue) should be one commit", sourceLocation: sourceLocation)
        #expect(w.auditCount == audits + 1, "\(action.rawValue) should add one audit event", sourceLocation: sourceLocation)
        let e = w.lastAudit
        #expect(e?.action == action.rawValue && e?.caseId == id && e?.target == (target ?? id),
                "last event \(String(describing: e))", sourceLocation: sourceLocation)
        return result
    }

    /// Runs `body`, expects the exit code, and that nothing was written.
    static func refused<T>(_ w: ServiceWorld, _ code: Int32, _ label: String, says: String? = nil,
                           sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T) {
        let seq = w.seq
        let e = serviceError(body)
        #expect(e?.exitCode == code, "\(label): \(String(describing: e))", sourceLocation: sourceLocation)
        if let says { #expect(e?.message.contains(says) == true, "\(label): \(e?.message ?? "")", sourceLocation: sourceLocation) }
        #expect(w.seq == seq, "\(label) wrote something", sourceLocation: sourceLocation)
    }

    @Test func approvalNeedsAnAdminOtherThanTheRecorder() throws {
        let w = try Self.world()
        let comm = try w.importMessages(count: 1)[0]
        let ada = try w.open("ada"), bea = try w.open("bea"), aud = try w.open(.auditor)
        let d = try ada.recordDisclosure(Self.subpoena([comm.id]))
        // The recorder: 77, and greyed.
        Self.refused(w, 77, "approval by the recorder", says: "another admin") { try ada.approveDisclosure(d.id) }
        #expect(!ada.can(.disclosuresApprove, on: d))
        #expect(ada.refusal(.disclosuresApprove, on: d)?.contains("another admin") == true)
        // An auditor may read but not approve.
        Self.refused(w, 77, "approval by an auditor") { try aud.approveDisclosure(d.id) }
        #expect(!aud.can(.disclosuresApprove, on: d))
        try aud.refresh()
        #expect(try aud.disclosure(d.id).disclosure.id == d.id)
        // Another admin.
        #expect(bea.can(.disclosuresApprove, on: d))
        let approved = try Self.oneAuditedCommit(w, .disclosuresApprove, case: d.id) { try bea.approveDisclosure(d.id) }
        #expect(approved.state == .approved && approved.approvedBy == "bea" && approved.approvedAt == "2026-03-02T09:00:00Z")
        #expect(approved.version == 2)
        // Twice: refused.
        Self.refused(w, 65, "approving twice", says: "already approved") { try w.root.approveDisclosure(d.id) }
        #expect(!w.root.can(.disclosuresApprove, on: approved))
    }

    @Test func anEditRaisesTheVersionAndClearsTheApproval() throws {
        let w = try Self.world()
        let comms = try w.importMessages(count: 2)
        let ada = try w.open("ada"), bea = try w.open("bea")
        let d = try ada.recordDisclosure(Self.subpoena([comms[0].id]))
        _ = try bea.approveDisclosure(d.id)
        let edited = try Self.oneAuditedCommit(w, .disclosuresUpdate, case: d.id) {
            try bea.updateDisclosure(d.id, DisclosureChanges(communicationIds: [comms[0].id, comms[1].id]))
        }
        #expect(edited.version == 3)
        #expect(edited.state == .recorded && edited.approvedBy == nil && edited.approvedAt == nil)
        #expect(edited.updatedBy == "bea" && edited.communicationIds == [comms[0].id, comms[1].id])
        #expect(w.lastAudit?.detail.contains("approval cleared") == true)
        // The editor may not approve what they changed; nor the recorder; a third admin may.
        Self.refused(w, 77, "approval by the editor", says: "last edited") { try bea.approveDisclosure(d.id) }
        Self.refused(w, 77, "approval by the recorder") { try ada.approveDisclosure(d.id) }
        _ = try w.root.approveDisclosure(d.id)
        // An edit is checked like a record: a wrong ground for the kind is refused.
        Self.refused(w, 65, "an edit to a wrong ground") { try ada.updateDisclosure(d.id, DisclosureChanges(ground: .requiredByLaw)) }
        Self.refused(w, 65, "an edit dropping the reference", says: "reference") { try ada.updateDisclosure(d.id, DisclosureChanges(reference: "")) }
        Self.refused(w, 65, "a card number in an edit", says: "card number") { try ada.updateDisclosure(d.id, DisclosureChanges(note: "4111-1111-1111-1111")) }
        Self.refused(w, 64, "an empty edit") { try ada.updateDisclosure(d.id, DisclosureChanges()) }
        Self.refused(w, 75, "an edit of an older version") { try ada.updateDisclosure(d.id, DisclosureChanges(note: "x"), expectVersion: 2) }
        // Still approved after all the refusals.
        try ada.refresh()
        #expect(try ada.disclosure(d.id).disclosure.state == .approved)
    }

    @Test func releaseNeedsApprovalAndWritesAManifestOfHashes() throws {
        let w = try Self.world()
        let cust = try w.addCustomer("Manifest Person", email: "manifest@example.com")
        let comms = try w.importMessages(count: 2, customer: cust.id)
        let ada = try w.open("ada"), bea = try w.open("bea")
        var input = Self.subpoena(comms.map(\.id))
        input.dataCategories = [.contact]
        let d = try ada.recordDisclosure(input)
        // Release before approval: refused with 65 (invalid for its state, as opt-outs and reports are).
        Self.refused(w, 65, "release before approval", says: "not approved") { try ada.releaseDisclosure(d.id) }
        #expect(!ada.can(.disclosuresRelease, on: d))
        let approved = try bea.approveDisclosure(d.id)
        #expect(ada.can(.disclosuresRelease, on: approved))
        Self.refused(w, 65, "outcome all with a subset", says: "partial") { try ada.releaseDisclosure(d.id, outcome: .all, only: [comms[0].id]) }
        Self.refused(w, 65, "an item it does not name", says: "not named") { try ada.releaseDisclosure(d.id, only: ["M9999999"]) }
        Self.refused(w, 65, "outcome refused", says: "refuse") { try ada.releaseDisclosure(d.id, outcome: .refused) }
        let released = try Self.oneAuditedCommit(w, .disclosuresRelease, case: d.id) { try ada.releaseDisclosure(d.id) }
        #expect(released.state == .released && released.outcome == .all && released.releasedBy == "ada")
        // The manifest: each message as indexed, and the customer's stored record; never content.
        let raw = try #require(w.root.view().rawJSON("customers", id: cust.id))
        let expected = comms.map { ManifestItem(id: $0.id, sha256: $0.sha256, size: $0.size) }
            + [ManifestItem(id: cust.id, sha256: Self.sha256(raw), size: Int64(raw.count))]
        #expect(released.manifest == expected)
        for c in comms {
            let bytes = try #require(serviceFileBytes(c.maildirPath))
            #expect(Self.sha256(bytes) == c.sha256 && Int64(bytes.count) == c.size)
        }
        let storedRecord = String(decoding: try #require(w.root.view().rawJSON("disclosures", id: d.id)), as: UTF8.self)
        #expect(!storedRecord.contains("Subject:") && !storedRecord.contains("Body of message"), "a copy of content in the register")
        // Released: no more edits, refusals or second releases.
        Self.refused(w, 65, "an edit after release", says: "released") { try ada.updateDisclosure(d.id, DisclosureChanges(note: "late")) }
        Self.refused(w, 65, "a refusal after release") { try ada.refuseDisclosure(d.id, reason: "late") }
        Self.refused(w, 65, "a second release") { try ada.releaseDisclosure(d.id) }
    }

    @Test func partialReleasesAndDeletedMessages() throws {
        let w = try Self.world()
        let (comm, report) = try w.openCase()
        let other = try w.importMessages(count: 1, customer: comm.customerId)[0]
        let ada = try w.open("ada"), bea = try w.open("bea")
        let d = try ada.recordDisclosure(Self.subpoena([comm.id, other.id]))
        _ = try bea.approveDisclosure(d.id)
        _ = try w.root.delete(report: report.id, ground: .harmThirdParties, note: "malware", confirmed: true)
        Self.refused(w, 65, "releasing a deleted message", says: "deleted") { try ada.releaseDisclosure(d.id) }
        let r = try ada.releaseDisclosure(d.id, only: [other.id])
        #expect(r.outcome == .partial)
        // Content only: the customer record is not part of it.
        #expect(r.manifest == [ManifestItem(id: other.id, sha256: other.sha256, size: other.size)])

        let account = try ada.recordDisclosure(Self.accountRequest([comm.customerId]))
        _ = try bea.approveDisclosure(account.id)
        let narrowed = try ada.releaseDisclosure(account.id, outcome: .narrowed)
        #expect(narrowed.outcome == .narrowed && narrowed.manifest.map(\.id) == [comm.customerId])
    }

    @Test func refuseAndWithdrawCloseTheRequest() throws {
        let w = try Self.world()
        let c = try w.addCustomer()
        let ada = try w.open("ada"), bea = try w.open("bea")
        let a = try ada.recordDisclosure(Self.accountRequest([c.id]))
        Self.refused(w, 65, "a refusal without a reason", says: "reason") { try bea.refuseDisclosure(a.id, reason: "  ") }
        let refused = try Self.oneAuditedCommit(w, .disclosuresRefuse, case: a.id) { try bea.refuseDisclosure(a.id, reason: "overbroad") }
        #expect(refused.state == .refused && refused.outcome == .refused && refused.reason == "overbroad" && refused.decidedBy == "bea")
        #expect(refused.noticeState == .notRequired, "nothing disclosed, no notice owed")
        Self.refused(w, 65, "approving a refused request") { try bea.approveDisclosure(a.id) }
        Self.refused(w, 65, "notice of a refused request") { try ada.notifyDisclosure(a.id, method: .email) }

        let b = try ada.recordDisclosure(Self.accountRequest([c.id]))
        _ = try bea.approveDisclosure(b.id)
        let withdrawn = try Self.oneAuditedCommit(w, .disclosuresWithdraw, case: b.id) { try ada.withdrawDisclosure(b.id, reason: "requester withdrew") }
        #expect(withdrawn.state == .withdrawn && withdrawn.outcome == nil)
        Self.refused(w, 65, "releasing a withdrawn request") { try ada.releaseDisclosure(b.id) }
        Self.refused(w, 66, "an unknown disclosure") { try ada.withdrawDisclosure("D999999", reason: "x") }
    }

    @Test func noticeIsGivenOrDelayedByAnOrderUntilItRunsOut() throws {
        let w = try Self.world()
        let comm = try w.importMessages(count: 1)[0]
        let ada = try w.open("ada"), bea = try w.open("bea")
        let d = try ada.recordDisclosure(Self.subpoena([comm.id]))
        _ = try bea.approveDisclosure(d.id)
        #expect(try ada.listDisclosures(DisclosureFilter(noticeDue: true)).isEmpty, "nothing is due before release")
        _ = try ada.releaseDisclosure(d.id)
        #expect(try ada.listDisclosures(DisclosureFilter(noticeDue: true)).map(\.id) == [d.id])
        #expect(ada.flags(try ada.disclosure(d.id).disclosure).words == ["NOTICE DUE"])
        // A delay needs an order and an end date in the future.
        Self.refused(w, 65, "a delay without an order", says: "order") { try ada.delayNotice(d.id, until: "2026-04-30", order: " ") }
        Self.refused(w, 65, "a delay without an end", says: "delay end date") { try ada.delayNotice(d.id, until: "", order: "ORD-1") }
        Self.refused(w, 65, "a delay that has passed", says: "passed") { try ada.delayNotice(d.id, until: "2026-03-01", order: "ORD-1") }
        Self.refused(w, 65, "a delay with a card number", says: "card number") { try ada.delayNotice(d.id, until: "2026-04-30", order: "4111111111111111") }
        let delayed = try Self.oneAuditedCommit(w, .disclosuresDelayNotice, case: d.id) { try ada.delayNotice(d.id, until: "2026-04-30", order: "ORD-2026-7") }
        #expect(delayed.noticeState == .delayedByOrder && delayed.noticeDelayUntil == "2026-04-30T23:59:59Z" && delayed.noticeOrderRef == "ORD-2026-7")
        #expect(try ada.listDisclosures(DisclosureFilter(noticeDue: true)).isEmpty)
        // Telling the customer during the delay would breach the order.
        Self.refused(w, 65, "notice during the delay", says: "breach") { try ada.notifyDisclosure(d.id, method: .email) }
        #expect(!ada.can(.disclosuresNotify, on: delayed))
        // The last day of the delay still counts; the day after, the notice is due.
        w.clock.set("2026-04-30T22:00:00Z")
        #expect(try ada.listDisclosures(DisclosureFilter(noticeDue: true)).isEmpty)
        w.clock.set("2026-05-01T08:00:00Z")
        #expect(try ada.listDisclosures(DisclosureFilter(noticeDue: true)).map(\.id) == [d.id])
        let runOut = try ada.disclosure(d.id)
        #expect(runOut.flags.delayRunOut && runOut.flags.words.contains("DELAY RUN OUT"))
        let told = try Self.oneAuditedCommit(w, .disclosuresNotify, case: d.id) { try ada.notifyDisclosure(d.id, method: .post) }
        #expect(told.noticeState == .notified && told.noticeMethod == .post && told.notifiedAt == "2026-05-01T08:00:00Z")
        #expect(try ada.listDisclosures(DisclosureFilter(noticeDue: true)).isEmpty)
        Self.refused(w, 65, "telling twice", says: "already told") { try ada.notifyDisclosure(d.id, method: .email) }
        Self.refused(w, 65, "a delay after notice") { try ada.delayNotice(d.id, until: "2026-06-30", order: "ORD-9") }
    }

    @Test func anApprovedContentDisclosureIsACaseForItsMessages() throws {
        let w = try Self.world()
        let comms = try w.importMessages(count: 2)
        let outside = try w.importMessages(count: 1)[0]
        let ada = try w.open("ada"), bea = try w.open("bea"), mo = try w.open(.moderator), aud = try w.open(.auditor)
        let d = try ada.recordDisclosure(Self.subpoena(comms.map(\.id)))
        func denied(_ ops: PrivacyOps, _ comm: String, _ caseId: String, _ label: String) {
            Self.refused(w, 77, label) { try ops.viewContent(comm, case: caseId) }
        }
        denied(ada, comms[0].id, d.id, "a recorded, unapproved disclosure")
        _ = try bea.approveDisclosure(d.id)
        denied(ada, outside.id, d.id, "a message the disclosure does not name")
        denied(aud, comms[0].id, d.id, "an auditor (no content)")
        let content = try Self.oneAuditedCommit(w, .commsView, case: d.id, target: comms[0].id) { try ada.viewContent(comms[0].id, case: d.id) }
        #expect(Array(content.text.utf8) == serviceFileBytes(comms[0].maildirPath))
        #expect(try mo.viewContent(comms[1].id, case: d.id).caseId == d.id)
        // Released: still the case it was.
        _ = try ada.releaseDisclosure(d.id)
        _ = try ada.viewContent(comms[0].id, case: d.id)
        // An account disclosure, and a refused content disclosure, are no cases for content.
        let account = try ada.recordDisclosure(Self.accountRequest([comms[0].customerId]))
        _ = try bea.approveDisclosure(account.id)
        denied(ada, comms[0].id, account.id, "an account disclosure")
        let refusedOne = try ada.recordDisclosure(Self.subpoena([comms[1].id]))
        _ = try bea.approveDisclosure(refusedOne.id)
        _ = try bea.refuseDisclosure(refusedOne.id, reason: "quashed")
        denied(ada, comms[1].id, refusedOne.id, "a refused disclosure")
        // The views are part of the disclosure's history.
        try aud.refresh()
        let history = try aud.disclosure(d.id).history
        #expect(history.map(\.action) == ["disclosures.record", "disclosures.approve", "comms.view", "comms.view",
                                          "disclosures.release", "comms.view"])
        #expect(history.allSatisfy { $0.caseId == d.id })
        #expect(history.map(\.seq) == history.map(\.seq).sorted())
    }

    @Test func theQueueShowsWhatAwaitsApprovalOrReleaseFirst() throws {
        let w = try Self.world()
        let c = try w.addCustomer()
        let ada = try w.open("ada"), bea = try w.open("bea")
        func record(due: String) throws -> Disclosure {
            var i = Self.accountRequest([c.id])
            i.dueAt = due
            return try ada.recordDisclosure(i)
        }
        let late = try record(due: "2026-03-20")
        let soon = try record(due: "2026-03-03")
        let done = try record(due: "2026-03-02")
        _ = try bea.approveDisclosure(done.id)
        _ = try ada.releaseDisclosure(done.id)
        let overdue = try record(due: "2026-03-04")
        _ = try bea.approveDisclosure(overdue.id)
        _ = try w.root.exportMailing(.partnerOffers)
        w.clock.set("2026-03-05T09:00:00Z")
        try ada.refresh()
        let list = try ada.listDisclosures()
        #expect(list.map(\.id) == [soon.id, overdue.id, late.id, "D000005", done.id])
        #expect(ada.flags(list[0]).words == ["OVERDUE", "AWAITS APPROVAL"])
        #expect(ada.flags(list[1]).words == ["OVERDUE", "AWAITS RELEASE"])
        #expect(ada.flags(list[2]).words == ["AWAITS APPROVAL"])
        #expect(try ada.listDisclosures(DisclosureFilter(state: .approved)).map(\.id) == [overdue.id])
        #expect(try ada.listDisclosures(DisclosureFilter(kind: .partnerShare)).map(\.id) == ["D000005"])
        #expect(try ada.listDisclosures(DisclosureFilter(ground: .harmPrevention)).count == 4)
    }

    // MARK: Partner shares

    @Test func everyPartnerExportRecordsAPartnerShareInTheSameCommit() throws {
        let w = try Self.world()
        let a = try w.addCustomer("Alma Partner", email: "alma@example.com", phone: "+1 555 010 1000")
        _ = try w.addCustomer("Ben Partner", email: "ben@example.com", address: "1 Main Street, Springfield")
        _ = try w.addCustomer("Cy Closed", email: "cy@example.com", status: .closed)
        // Alma's phone opted out of partner offers; her e-mail only of the newsletter.
        _ = try w.root.applyOptOut(try w.submitOptOut("+1 (555) 010-1000", scopes: [.partnerOffers]).id)
        _ = try w.root.applyOptOut(try w.submitOptOut("alma@example.com", scopes: [.newsletter]).id)
        let seq = w.seq
        let audits = w.auditCount
        let export = try w.root.exportMailing(.partnerOffers, partner: "Acme Hosting Ltd")
        #expect(w.seq == seq + 1, "the export, its disclosure and its audit event are one commit")
        #expect(w.auditCount == audits + 1)
        let d = try #require(export.disclosure)
        #expect(export.recipients.count == 3)
        #expect(export.suppressed == 1)
        #expect(d.kind == .partnerShare && d.ground == .partnerProgram && d.state == .released && d.outcome == .all)
        #expect(d.requester == "Acme Hosting Ltd" && d.requesterType == .partner && d.requestType == .partnerAgreement)
        #expect(d.contactPoints == 3 && d.excludedByOptOuts == 1 && d.accountsAffected == 2)
        #expect(d.noticeState == .notRequired)
        #expect(d.manifest == [ManifestItem(id: "partner-offers.csv", sha256: Self.sha256(export.csv), size: Int64(export.csv.count))])
        #expect(export.sha256 == Self.sha256(export.csv))
        let csv = String(decoding: export.csv, as: UTF8.self)
        #expect(csv.hasPrefix("customer_id,name,channel,contact\r\n"))
        #expect(csv.contains("\(a.id),Alma Partner,email,alma@example.com\r\n"))
        #expect(csv.contains("\"1 Main Street, Springfield\""), "RFC 4180 quoting")
        #expect(!csv.contains("555 010 1000"), "the opted-out phone went out")
        let event = try #require(w.lastAudit)
        #expect(event.action == "mailing.export" && event.caseId == d.id && event.detail.contains(d.id))
        #expect(try w.root.view().get(Collections.disclosures, id: d.id) == d)
        // The default partner name; other lists record nothing.
        #expect(try w.root.exportMailing(.partnerOffers).disclosure?.requester == "partners")
        let before = w.count(Collections.disclosures)
        #expect(try w.root.exportMailing(.newsletter).disclosure == nil)
        #expect(w.count(Collections.disclosures) == before)
        // A partner share is no request: it cannot be approved, released or edited by hand.
        let ada = try w.open("ada")
        Self.refused(w, 65, "approving a partner share") { try ada.approveDisclosure(d.id) }
        Self.refused(w, 65, "editing a partner share") { try ada.updateDisclosure(d.id, DisclosureChanges(note: "x")) }
        Self.refused(w, 65, "a card number as the partner", says: "card number") { try w.root.exportMailing(.partnerOffers, partner: "4111 1111 1111 1111") }
        Self.refused(w, 64, "a partner for the newsletter") { try w.root.exportMailing(.newsletter, partner: "Acme") }
    }

    @Test func auditChainVerifiesAfterAWholeLifeCycle() throws {
        let w = try Self.world()
        let comm = try w.importMessages(count: 1)[0]
        let ada = try w.open("ada"), bea = try w.open("bea")
        let d = try ada.recordDisclosure(Self.subpoena([comm.id]))
        _ = try ada.updateDisclosure(d.id, DisclosureChanges(dueAt: "2026-03-31"))
        _ = try bea.approveDisclosure(d.id)
        _ = try ada.releaseDisclosure(d.id)
        _ = try ada.delayNotice(d.id, until: "2026-06-30", order: "ORD-1")
        _ = try w.root.exportMailing(.partnerOffers)
        #expect(try w.root.verifyAudit().isIntact)
        try ada.refresh()
        #expect(try ada.disclosure(d.id).history.map(\.action) == [
            "disclosures.record", "disclosures.update", "disclosures.approve", "disclosures.release", "disclosures.delay-notice",
        ])
    }
}
