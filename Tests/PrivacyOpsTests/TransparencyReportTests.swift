import Crypto
import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// The transparency report (DESIGN.md §2b) computed on a store built by hand through the service,
/// over 2025H2, 2026H1, 2026 and a range of days, with every figure worked out by hand below.
///
/// The story, in the order the clock runs (all times UTC; every opt-out and disclosure is
/// answered by the service at the time given):
///
/// Customers: `a` (a@example.com, a phone: 2 contact points), `b` (1), `c` (an e-mail and an
/// address: 2), `d` (d@ and the alternate d2@: 2), `e` closed (never exported).
///
/// Opt-outs (10 business days by ``BusinessDays``: Martin Luther King Jr. Day 2026-01-19,
/// Christmas 2025-12-25 and Independence Day observed 2026-07-03 are not business days):
/// | id | received | answered | waited | deadline (10 business days) |
/// |----|----------|----------|--------|------------------------------|
/// | o8 | 2025-12-15 09:00 (D2@Example.com, partner-offers) | applied 2026-01-08 09:00 | 576 h | 2025-12-30 09:00: late |
/// | o1 | 2026-01-05 09:00 (a@example.com, all) | applied 01-06 09:00 | 24 h | 01-20 09:00 |
/// | o2 | 2026-01-05 10:00 | applied 01-07 10:00 | 48 h (within 48 h: ≤) | 01-20 10:00 |
/// | o3 | 2026-01-05 11:00 | applied 01-20 11:00 | 360 h | 01-20 11:00: on time only because of MLK day |
/// | o4 | 2026-01-05 12:00 | applied 01-21 12:00 | 384 h | 01-20 12:00: late |
/// | o5 | 2026-01-05 13:00 | rejected 01-06 13:00 | — | (not considered) |
/// | o7 | 2026-06-01 09:00 | needs-info 06-02, still open | 70 days at "now" | 06-15 09:00: overdue at the period's end |
/// | o6 | 2026-06-29 09:00 | pending | 42 days at "now" | 07-14 09:00 (07-03 observed holiday): after the period |
///
/// 2026H1 opt-outs: received 7 (o1–o7); applied 4, needs-info 1, pending 1, rejected 1;
/// considered 6; median hours to apply = median(24, 48, 360, 384) = (48 + 360) / 2 = 204;
/// within 48 hours: o1, o2 = 2 of 6 = 33.3 %; within 10 business days: o1, o2, o3 = 3 of 6 =
/// 50 %; overdue at the period's end (2026-07-01): o7 only (o6's deadline is after it, o8 was
/// applied on 01-08); worst case o7, 70 days, needs-info, beyond 10 business days; late: o4,
/// o6 (open past 07-14 at "now"), o7.
///
/// Partner exports (`partner-offers`; a suppressed contact point is left out):
/// - 2025-11-03 to Acme: 7 points of 4 accounts, none left out (2025H2);
/// - 2026-01-05 08:00 to Acme: 7 points, 4 accounts, 0 left out;
/// - 2026-02-16 to Nimbus, after o1 (a@) and o8 (d2@) were applied: 5 points, 4 accounts, 2 left out;
/// - 2026-08-03 to Nimbus: 5 points, 4 accounts, 2 left out (2026H2).
/// 2026H1: 2 exports, 12 contact points, 2 excluded by opt-outs, 8 accounts.
///
/// Disclosures (recorded by root, approved by ada):
/// | id | kind, ground, request | received | answer | days |
/// |----|------------------------|----------|--------|------|
/// | x25 | account, harm-prevention, other (b) | 2025-12-01 09:00 | released 12-03 09:00 | 2 |
/// | c1 | content, legal-process, subpoena (a's message) | 2026-02-02 09:00 | released 02-05 09:00, customer told 02-10 | 3 |
/// | c2 | content, provide-service, other (b's message) | 03-02 09:00 | released 03-03 09:00, notice not given | 1 |
/// | a1 | account, required-by-law, court-order (a, c) | 04-01 09:00 | released 04-08 09:00, notice delayed by order | 7 |
/// | a2 | account, harm-prevention, emergency (d) | 05-04 09:00 | refused 05-06 09:00 | 2 |
/// | c3 | content, protect-interests, other | 05-11 09:00 | withdrawn 05-12 | — |
/// | p1 | account, required-by-law, preservation | 05-18 09:00 | (tracked, not counted) | — |
/// | c4 | content, legal-process, warrant | 06-22 09:00 | released 07-02 09:00 (2026H2) | 10 |
/// 2026H1: received 6 (c1, c2, a1, a2, c3, c4); disclosed 3 (c1, c2, a1); refused 1; withdrawn 1;
/// accounts affected: a, b, c = 3; median days to respond = median(3, 1, 7, 2) = 2.5. Content:
/// received 4, disclosed 2, withdrawn 1, accounts 2, median(3, 1) = 2. Account: received 2,
/// disclosed 1, refused 1, accounts 2 (a, c), median(7, 2) = 4.5. Notices: 1 sent (c1), 1 delayed
/// by order (a1), 0 exigent, 1 not yet given (c2). Preservation requests: 1.
///
/// Moderation (reports about indexed messages of a and b):
/// - r5 filed 2025-12-20 09:00 (abuse-report), dismissed 2026-01-02 09:00: first decision 312 h;
/// - r1 filed 2026-02-02 10:00 (abuse-report), blocked 14:00 on tou-violation clause 4.2 (4 h),
///   deleted 02-04 on harm-customers (the record keeps only the deletion's ground);
/// - r2 filed 03-02 09:00 (tou-complaint), dismissed 03-03 09:00 (24 h);
/// - r3 filed 03-09 09:00 (automated-flag), blocked 19:00 on harm-company (10 h), reinstated 03-10;
/// - r4 filed 06-30 12:00 (legal), blocked 07-01 12:00 (2026H2).
/// 2026H1: 4 reports filed, one per trigger; decisions: blocked 2, deleted 1, dismissed 2,
/// reinstated 1; by ground: harm-company blocked 1 reinstated 1, harm-customers deleted 1,
/// tou-violation blocked 1 (clause 4.2), none dismissed 2; median hours to the first decision =
/// median(312, 4, 24, 10) = (10 + 24) / 2 = 17. Content viewed twice: through r1 and through c1.
///
/// One traffic-aggregate disclosure (to "Ad Network X", 2026-04-15) is written into the store
/// directly, as `traffic report --for` records it.
///
/// "Now", when the reports are generated: 2026-08-10 09:00.
@Suite struct TransparencyReportTests {
    final class Story {
        let w: ServiceWorld
        var ids: [String: String] = [:]
        let now = "2026-08-10T09:00:00Z"

        init() throws {
            w = try ServiceWorld(clock: "2025-11-01T09:00:00Z")
            let root = w.root
            let ada = try w.open("ada")
            let clock = w.clock
            func at(_ iso: String) throws {
                clock.set(iso)
                try root.refresh()
                try ada.refresh()
            }
            let a = try w.addCustomer("A", email: "a@example.com", phone: "+1 555 010 0001")
            let b = try w.addCustomer("B", email: "b@example.com")
            let c = try w.addCustomer("C", email: "c@example.com", address: "1 Road, Springfield")
            let d = try w.addCustomer("D", email: "d@example.com", alternateEmails: ["d2@example.com"])
            _ = try w.addCustomer("E", email: "e@example.com", status: .closed)
            let am = try w.importMessages(count: 3, customer: a.id)
            let bm = try w.importMessages(count: 2, customer: b.id)
            ids["a"] = a.id
            ids["b"] = b.id
            ids["c"] = c.id
            ids["d"] = d.id

            func recordAndApprove(_ input: DisclosureInput, approveAt: String) throws -> Disclosure {
                let dd = try root.recordDisclosure(input)
                try at(approveAt)
                return try ada.approveDisclosure(dd.id)
            }
            func submit(_ name: String, _ contact: String, _ received: String, scopes: [OptOutScope] = OptOutScope.allCases) throws {
                try at(received)
                ids[name] = try root.submitOptOut(OptOutSubmission(contact: contact, scopes: scopes, receivedAt: ServiceTime.date(received))).id
            }
            func report(_ name: String, _ comm: Communication, _ trigger: ReportTrigger, _ filed: String) throws {
                try at(filed)
                ids[name] = try root.fileReport(communication: comm.id, trigger: trigger, reason: "reported", reporter: "abuse@example.net").id
            }

            try at("2025-11-03T09:00:00Z")
            ids["e3"] = try #require(try root.exportMailing(.partnerOffers, partner: "Acme").disclosure).id
            try at("2025-12-01T09:00:00Z")
            let x25 = try recordAndApprove(DisclosureInput(kind: .account, ground: .harmPrevention, requester: "CERT", requesterType: .governmentAgency,
                                                           requestType: .other, customerIds: [b.id], dataCategories: [.contact]),
                                           approveAt: "2025-12-02T09:00:00Z")
            try at("2025-12-03T09:00:00Z")
            ids["x25"] = try root.releaseDisclosure(x25.id).id
            try submit("o8", "D2@Example.com", "2025-12-15T09:00:00Z", scopes: [.partnerOffers])
            try report("r5", am[0], .abuseReport, "2025-12-20T09:00:00Z")
            try at("2026-01-02T09:00:00Z")
            _ = try root.dismiss(report: try #require(ids["r5"]), note: "no violation")

            try at("2026-01-05T08:00:00Z")
            ids["e1"] = try #require(try root.exportMailing(.partnerOffers, partner: "Acme").disclosure).id
            try submit("o1", "a@example.com", "2026-01-05T09:00:00Z")
            try submit("o2", "nobody2@example.com", "2026-01-05T10:00:00Z")
            try submit("o3", "nobody3@example.com", "2026-01-05T11:00:00Z")
            try submit("o4", "nobody4@example.com", "2026-01-05T12:00:00Z")
            try submit("o5", "nobody5@example.com", "2026-01-05T13:00:00Z")
            try at("2026-01-06T09:00:00Z")
            _ = try root.applyOptOut(try #require(ids["o1"]))
            try at("2026-01-06T13:00:00Z")
            _ = try root.rejectOptOut(try #require(ids["o5"]), reason: "spam")
            try at("2026-01-07T10:00:00Z")
            _ = try root.applyOptOut(try #require(ids["o2"]))
            try at("2026-01-08T09:00:00Z")
            _ = try root.applyOptOut(try #require(ids["o8"]))
            try at("2026-01-20T11:00:00Z")
            _ = try root.applyOptOut(try #require(ids["o3"]))
            try at("2026-01-21T12:00:00Z")
            _ = try root.applyOptOut(try #require(ids["o4"]))

            try at("2026-02-02T09:00:00Z")
            let c1 = try root.recordDisclosure(DisclosureInput(kind: .content, ground: .legalProcess, requester: "County Court", requesterType: .court,
                                                               requestType: .subpoena, reference: "CV-1", communicationIds: [am[1].id]))
            ids["c1"] = c1.id
            try report("r1", am[2], .abuseReport, "2026-02-02T10:00:00Z")
            try at("2026-02-02T12:00:00Z")
            _ = try ada.viewContent(am[2].id, case: try #require(ids["r1"]))
            try at("2026-02-02T14:00:00Z")
            _ = try root.block(report: try #require(ids["r1"]), ground: .touViolation, clause: "4.2", note: "bulk mail")
            try at("2026-02-03T09:00:00Z")
            _ = try ada.approveDisclosure(c1.id)
            try at("2026-02-04T10:00:00Z")
            _ = try root.delete(report: try #require(ids["r1"]), ground: .harmCustomers, note: "phishing after all", confirmed: true)
            try at("2026-02-04T11:00:00Z")
            _ = try root.viewContent(am[1].id, case: c1.id)
            try at("2026-02-05T09:00:00Z")
            _ = try root.releaseDisclosure(c1.id)
            try at("2026-02-10T09:00:00Z")
            _ = try root.notifyDisclosure(c1.id, method: .email)
            try at("2026-02-16T09:00:00Z")
            ids["e2"] = try #require(try root.exportMailing(.partnerOffers, partner: "Nimbus").disclosure).id

            try at("2026-03-02T09:00:00Z")
            let c2 = try recordAndApprove(DisclosureInput(kind: .content, ground: .provideService, requester: "Mail provider", requesterType: .partner,
                                                          requestType: .other, communicationIds: [bm[0].id]),
                                          approveAt: "2026-03-02T09:00:00Z")
            ids["c2"] = c2.id
            try report("r2", bm[1], .touComplaint, "2026-03-02T09:00:00Z")
            try at("2026-03-03T09:00:00Z")
            _ = try root.releaseDisclosure(c2.id)
            _ = try root.dismiss(report: try #require(ids["r2"]), note: "fine")
            try report("r3", am[0], .automatedFlag, "2026-03-09T09:00:00Z")
            try at("2026-03-09T19:00:00Z")
            _ = try root.block(report: try #require(ids["r3"]), ground: .harmCompany, clause: nil, note: "malware")
            try at("2026-03-10T09:00:00Z")
            _ = try root.unblock(report: try #require(ids["r3"]), reason: "false alarm")

            try at("2026-04-01T09:00:00Z")
            let a1 = try recordAndApprove(DisclosureInput(kind: .account, ground: .requiredByLaw, requester: "District Court", requesterType: .court,
                                                          requestType: .courtOrder, reference: "3:26-cv-1", customerIds: [a.id, c.id],
                                                          dataCategories: [.contact]),
                                          approveAt: "2026-04-02T09:00:00Z")
            ids["a1"] = a1.id
            try at("2026-04-08T09:00:00Z")
            _ = try root.releaseDisclosure(a1.id)
            _ = try root.delayNotice(a1.id, until: "2026-12-31", order: "ORD-1")
            try at("2026-04-15T09:00:00Z")
            try TransparencyReportTests.forgeTrafficDisclosure(w, party: "Ad Network X", at: "2026-04-15T09:00:00Z")

            try at("2026-05-04T09:00:00Z")
            let a2 = try root.recordDisclosure(DisclosureInput(kind: .account, ground: .harmPrevention, requester: "CERT-EU", requesterType: .governmentAgency,
                                                               requestType: .emergency, customerIds: [d.id], dataCategories: [.contact]))
            ids["a2"] = a2.id
            try at("2026-05-06T09:00:00Z")
            _ = try ada.refuseDisclosure(a2.id, reason: "no emergency")
            try at("2026-05-11T09:00:00Z")
            let c3 = try root.recordDisclosure(DisclosureInput(kind: .content, ground: .protectInterests, requester: "Our counsel", requesterType: .internal,
                                                               requestType: .other, communicationIds: [am[0].id]))
            ids["c3"] = c3.id
            try at("2026-05-12T09:00:00Z")
            _ = try root.withdrawDisclosure(c3.id, reason: "settled")
            try at("2026-05-18T09:00:00Z")
            ids["p1"] = try root.recordDisclosure(DisclosureInput(kind: .account, ground: .requiredByLaw, requester: "FBI", requesterType: .lawEnforcement,
                                                                  requestType: .preservation, reference: "PR-1", customerIds: [b.id],
                                                                  dataCategories: [.contact])).id
            try submit("o7", "nobody7@example.com", "2026-06-01T09:00:00Z")
            try at("2026-06-02T09:00:00Z")
            _ = try root.needInfoOptOut(try #require(ids["o7"]), note: "which address?")
            try at("2026-06-22T09:00:00Z")
            let c4 = try recordAndApprove(DisclosureInput(kind: .content, ground: .legalProcess, requester: "Police", requesterType: .lawEnforcement,
                                                          requestType: .warrant, reference: "SW-1", communicationIds: [bm[1].id]),
                                          approveAt: "2026-06-23T09:00:00Z")
            ids["c4"] = c4.id
            try submit("o6", "nobody6@example.com", "2026-06-29T09:00:00Z")
            try report("r4", bm[1], .legal, "2026-06-30T12:00:00Z")
            try at("2026-07-01T12:00:00Z")
            _ = try root.block(report: try #require(ids["r4"]), ground: .harmThirdParties, clause: nil, note: "court says so")
            try at("2026-07-02T09:00:00Z")
            _ = try root.releaseDisclosure(c4.id)
            try at("2026-08-03T09:00:00Z")
            ids["e4"] = try #require(try root.exportMailing(.partnerOffers, partner: "Nimbus").disclosure).id
            try at(now)
        }

        func id(_ name: String) throws -> String { try #require(ids[name], "no \(name) in the story") }

        /// The report computed by the service's pure function on the store as it stands.
        func compute(_ period: ReportPeriod) throws -> TransparencyReport {
            try w.root.refresh()
            return try TransparencyReport.compute(from: w.root.view(), period: period, now: ServiceTime.date(now))
        }
    }

    /// Writes a traffic-aggregate disclosure into the store, as `traffic report --for PARTY`
    /// records it (that command is not on this branch).
    static func forgeTrafficDisclosure(_ w: ServiceWorld, party: String, at stamp: String) throws {
        try w.root.refresh()
        let id = "D9" + String(format: "%05d", w.next())
        let d = Disclosure(id: id, version: 0, kind: .trafficAggregate, ground: .trafficProfile, state: .released, requester: party,
                           requesterType: .partner, requestType: .other, reference: nil, receivedAt: stamp, dueAt: nil, customerIds: [],
                           communicationIds: [], caseId: nil, dataCategories: [], note: nil, recordedBy: "root", recordedAt: stamp,
                           updatedBy: nil, updatedAt: nil, approvedBy: nil, approvedAt: nil, outcome: .all, releasedBy: "root",
                           releasedAt: stamp, manifest: [], reason: nil, decidedBy: nil, decidedAt: nil, noticeState: .notRequired,
                           noticeDelayUntil: nil, noticeOrderRef: nil, notifiedAt: nil, noticeMethod: nil, contactPoints: nil,
                           excludedByOptOuts: nil, accountsAffected: nil)
        var tx = StoreTransaction()
        try tx.insert(d, into: Collections.disclosures)
        _ = try w.root.commitBelowService(tx)
    }

    static func figures(_ list: [DisclosureFigures], _ name: String) throws -> DisclosureFigures {
        try #require(list.first { $0.name == name }, "no line \(name)")
    }

    @Test func firstHalfOf2026WorkedOutByHand() throws {
        let s = try Story()
        let r = try s.compute(try ReportPeriod.named("2026H1"))
        #expect(r.period.start == "2026-01-01T00:00:00Z" && r.period.end == "2026-07-01T00:00:00Z")
        #expect(r.asOf == "2026-07-01T00:00:00Z", "the period has ended: at its end")
        #expect(r.generatedAt == s.now)

        // Disclosures.
        let ds = r.disclosures
        #expect(ds.all == DisclosureFigures(name: "all", received: 6, disclosed: 3, refused: 1, withdrawn: 1, accountsAffected: 3,
                                            medianDaysToRespond: 2.5, responded: 4))
        #expect(try Self.figures(ds.byKind, "content") == DisclosureFigures(name: "content", received: 4, disclosed: 2, refused: 0, withdrawn: 1,
                                                                         accountsAffected: 2, medianDaysToRespond: 2, responded: 2))
        #expect(try Self.figures(ds.byKind, "account") == DisclosureFigures(name: "account", received: 2, disclosed: 1, refused: 1, withdrawn: 0,
                                                                         accountsAffected: 2, medianDaysToRespond: 4.5, responded: 2))
        #expect(ds.byKind.map(\.name) == ["content", "account"])
        #expect(!ds.byRequestType.map(\.name).contains("preservation"), "preservation requests are not disclosures")
        let subpoena = try Self.figures(ds.byRequestType, "subpoena")
        #expect((subpoena.received, subpoena.disclosed, subpoena.medianDaysToRespond) == (1, 1, 3))
        let court = try Self.figures(ds.byRequestType, "court-order")
        #expect((court.received, court.disclosed, court.accountsAffected, court.medianDaysToRespond) == (1, 1, 2, 7))
        let emergency = try Self.figures(ds.byRequestType, "emergency")
        #expect((emergency.received, emergency.refused, emergency.medianDaysToRespond) == (1, 1, 2))
        let other = try Self.figures(ds.byRequestType, "other")
        #expect((other.received, other.disclosed, other.withdrawn, other.medianDaysToRespond) == (2, 1, 1, 1))
        let warrant = try Self.figures(ds.byRequestType, "warrant")
        #expect((warrant.received, warrant.disclosed, warrant.medianDaysToRespond) == (1, 0, nil), "c4 was released in 2026H2")
        #expect(try Self.figures(ds.byRequestType, "interception-order") == DisclosureFigures(name: "interception-order"))
        let legal = try Self.figures(ds.byGround, "legal-process")
        #expect((legal.received, legal.disclosed, legal.medianDaysToRespond) == (2, 1, 3))
        #expect(try Self.figures(ds.byGround, "provide-service").medianDaysToRespond == 1)
        #expect(try Self.figures(ds.byGround, "protect-interests").withdrawn == 1)
        #expect(try Self.figures(ds.byGround, "harm-prevention").refused == 1)
        let required = try Self.figures(ds.byGround, "required-by-law")
        #expect((required.received, required.disclosed) == (1, 1), "the preservation request on this ground is not counted")
        #expect(try Self.figures(ds.byGround, "law-enforcement-inadvertent") == DisclosureFigures(name: "law-enforcement-inadvertent"))
        #expect(ds.byGround.count == 6)
        #expect((ds.noticesSent, ds.noticesDelayedByOrder, ds.noticesExigent, ds.noticesNotYetGiven, ds.preservationRequests) == (1, 1, 0, 1, 1))

        // Partner shares.
        #expect(r.partnerShares.all == PartnerFigures(partner: "all", exports: 2, contactPoints: 12, excludedByOptOuts: 2, accounts: 8))
        #expect(r.partnerShares.byPartner == [PartnerFigures(partner: "Acme", exports: 1, contactPoints: 7, excludedByOptOuts: 0, accounts: 4),
                                              PartnerFigures(partner: "Nimbus", exports: 1, contactPoints: 5, excludedByOptOuts: 2, accounts: 4)])
        // Traffic profiles.
        #expect(r.traffic == TrafficSection(disclosures: 1, byParty: [NamedCount(name: "Ad Network X", count: 1)]))

        // Moderation.
        let m = r.moderation
        #expect(m.reportsFiled == 4)
        #expect(m.byTrigger == ReportTrigger.allCases.map { NamedCount(name: $0.rawValue, count: 1) })
        #expect(m.decisions == DecisionFigures(name: "all", blocked: 2, deleted: 1, dismissed: 2, reinstated: 1))
        #expect(m.byGround == [DecisionFigures(name: "harm-company", blocked: 1, reinstated: 1),
                               DecisionFigures(name: "harm-customers", deleted: 1),
                               DecisionFigures(name: "harm-third-parties"),
                               DecisionFigures(name: "tou-violation", blocked: 1),
                               DecisionFigures(name: "none", dismissed: 2)])
        #expect(m.touByClause == [DecisionFigures(name: "4.2", blocked: 1)], "the block keeps its own ground, read from its audit event")
        #expect(m.medianHoursToDecision == 17 && m.firstDecisions == 4)
        #expect(m.contentViews == 2)

        // Opt-outs.
        let o = r.optOuts
        #expect((o.received, o.applied, o.needsInfo, o.pending, o.rejected, o.considered) == (7, 4, 1, 1, 1, 6))
        #expect(o.medianHoursToApply == 204)
        #expect((o.appliedWithin48Hours, o.shareWithin48Hours) == (2, 33.3))
        #expect((o.appliedWithin10BusinessDays, o.shareWithin10BusinessDays) == (3, 50), "o3 is on time only because 2026-01-19 is a holiday")
        #expect(o.overdueAtPeriodEnd == 1)
        #expect(o.worstCase == OptOutWorstCase(id: try s.id("o7"), state: .needsInfo, days: 70, withinTenBusinessDays: false))

        // Statements.
        func statement(_ key: String) throws -> ReportStatement { try #require(r.statements.first { $0.key == key }, "no statement \(key)") }
        let content = try statement("content_second_approver")
        #expect(content.holds && content.text == "No content was disclosed without a second approver (2 content disclosures released).")
        #expect(try statement("account_second_approver").holds)
        #expect(try statement("valid_grounds").holds)
        let views = try statement("content_views_in_case")
        #expect(views.holds && views.text.contains("viewed 2 times, each through an open case"), "\(views.text)")
        #expect(try statement("moderation_grounds").holds)
        let late = try statement("optouts_within_10_business_days")
        let lateIDs = [try s.id("o4"), try s.id("o7"), try s.id("o6")].sorted()
        #expect(!late.holds && late.ids == lateIDs, "\(late)")
        #expect(late.text.contains(late.ids.joined(separator: ", ")))
        let told = try statement("customers_told")
        let c2 = try s.id("c2")
        #expect(!told.holds && told.ids == [c2], "\(told)")

        // What it was computed from.
        let v = s.w.root.view()
        #expect(r.storeSeq == v.seq)
        #expect(r.auditHead == (try AuditChain.head(v)))
        let inPeriod = try v.all(Collections.audit).filter { $0.at >= "2026-01-01" && $0.at < "2026-07-01" }.map(\.seq)
        #expect(r.auditSeqs == SeqRange(first: try #require(inPeriod.min()), last: try #require(inPeriod.max())))
    }

    @Test func otherPeriodsCountOnlyTheirOwn() throws {
        let s = try Story()
        // 2025H2: x25, the first Acme export, o8 and r5.
        let h2 = try s.compute(try ReportPeriod.named("2025H2"))
        #expect(h2.disclosures.all == DisclosureFigures(name: "all", received: 1, disclosed: 1, accountsAffected: 1, medianDaysToRespond: 2, responded: 1))
        #expect(h2.partnerShares.all == PartnerFigures(partner: "all", exports: 1, contactPoints: 7, excludedByOptOuts: 0, accounts: 4))
        #expect(h2.traffic.disclosures == 0)
        #expect(h2.moderation.reportsFiled == 1 && h2.moderation.decisions == DecisionFigures(name: "all"))
        #expect(h2.moderation.medianHoursToDecision == nil, "r5 was first decided in 2026")
        // o8 waited 24 days (576 h) and missed its deadline of 2025-12-30; it was still open at 2026-01-01.
        let o = h2.optOuts
        #expect((o.received, o.applied, o.considered, o.medianHoursToApply) == (1, 1, 1, 576))
        #expect((o.appliedWithin48Hours, o.shareWithin48Hours, o.appliedWithin10BusinessDays, o.shareWithin10BusinessDays) == (0, 0, 0, 0))
        #expect(o.overdueAtPeriodEnd == 1)
        #expect(o.worstCase == OptOutWorstCase(id: try s.id("o8"), state: .applied, days: 24, withinTenBusinessDays: false))
        #expect(h2.asOf == "2026-01-01T00:00:00Z")

        // The whole of 2026, not ended at "now": c4 (10 days) and the August export count too.
        let year = try s.compute(try ReportPeriod.named("2026"))
        #expect(year.asOf == s.now, "a period that has not ended is measured at the time of generation")
        #expect(year.disclosures.all == DisclosureFigures(name: "all", received: 6, disclosed: 4, refused: 1, withdrawn: 1, accountsAffected: 3,
                                                        medianDaysToRespond: 3, responded: 5))
        #expect(year.partnerShares.all == PartnerFigures(partner: "all", exports: 3, contactPoints: 17, excludedByOptOuts: 4, accounts: 12))
        #expect(year.moderation.decisions == DecisionFigures(name: "all", blocked: 3, deleted: 1, dismissed: 2, reinstated: 1))
        // r4 (filed 06-30 12:00, blocked 07-01 12:00): 24 h; median(312, 4, 24, 10, 24) = 24.
        #expect(year.moderation.medianHoursToDecision == 24 && year.moderation.firstDecisions == 5)
        // At "now" o6 (deadline 07-14) and o7 are open and overdue.
        #expect(year.optOuts.overdueAtPeriodEnd == 2)

        // A range of days: February 2026.
        let feb = try s.compute(try ReportPeriod.between(from: "2026-02-01", to: "2026-02-28"))
        #expect(feb.period.label == "2026-02-01..2026-02-28" && feb.period.end == "2026-03-01T00:00:00Z")
        #expect(feb.disclosures.all == DisclosureFigures(name: "all", received: 1, disclosed: 1, accountsAffected: 1, medianDaysToRespond: 3, responded: 1))
        #expect(feb.disclosures.noticesSent == 1 && feb.disclosures.noticesNotYetGiven == 0)
        #expect(feb.partnerShares.all == PartnerFigures(partner: "all", exports: 1, contactPoints: 5, excludedByOptOuts: 2, accounts: 4))
        #expect(feb.moderation.decisions == DecisionFigures(name: "all", blocked: 1, deleted: 1))
        #expect(feb.moderation.medianHoursToDecision == 4)
        #expect(feb.moderation.contentViews == 2)
        #expect(feb.optOuts.received == 0 && feb.optOuts.worstCase == nil && feb.optOuts.shareWithin48Hours == nil)
        #expect(feb.optOuts.overdueAtPeriodEnd == 0, "o4 was late but closed in January")
    }

    @Test func formatsCarryTheSameFigures() throws {
        let s = try Story()
        let r = try s.compute(try ReportPeriod.named("2026H1"))

        // CSV: RFC 4180, one table a spreadsheet reads.
        let csv = String(decoding: r.rendered(.csv), as: UTF8.self)
        #expect(csv.hasPrefix("section,metric,breakdown,value\r\n"))
        #expect(csv.hasSuffix("\r\n") && !csv.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for line in ["report,period,,2026H1", "report,audit_head_seq,,\(r.auditHead.seq)", "report,audit_head_hash,,\(r.auditHead.hash)",
                     "report,store_seq,,\(r.storeSeq)",
                     "disclosures,received,all,6", "disclosures,median_days_to_respond,all,2.5", "disclosures,accounts_affected,kind=account,2",
                     "disclosures,median_days_to_respond,request_type=warrant,", "disclosures,preservation_requests,all,1",
                     "partner_shares,excluded_by_optouts,all,2", "partner_shares,contact_points,partner=Nimbus,5",
                     "traffic,disclosures,party=Ad Network X,1",
                     "moderation,blocked,ground=tou-violation clause=4.2,1", "moderation,median_hours_to_decision,all,17",
                     "optouts,median_hours_to_apply,all,204", "optouts,share_within_48_hours_percent,all,33.3",
                     "optouts,applied_within_10_business_days,all,3", "optouts,overdue_at_period_end,all,1",
                     "optouts,worst_case_days,id=\(try s.id("o7")) state=needs-info,70",
                     "statements,content_second_approver,holds,No content was disclosed without a second approver (2 content disclosures released).",
                     "statements,customers_told,does-not-hold,The customers of these disclosures in the period have not been told yet: \(try s.id("c2"))."] {
            #expect(csv.contains("\r\n" + line + "\r\n"), "missing CSV line: \(line)")
        }
        // Every record has four fields (commas inside a statement are quoted).
        let late = try #require(r.statements.first { $0.key == "optouts_within_10_business_days" })
        #expect(csv.contains("statements,optouts_within_10_business_days,does-not-hold,\"\(late.text)\"\r\n"))

        // JSON: the same figures, snake_case keys.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.rendered(.json))) as? [String: Any])
        #expect((json["audit_head"] as? [String: Any])?["hash"] as? String == r.auditHead.hash)
        let optouts = try #require(json["optouts"] as? [String: Any])
        #expect(optouts["median_hours_to_apply"] as? Double == 204)
        #expect(optouts["share_within_10_business_days_percent"] as? Double == 50)
        let all = try #require((json["disclosures"] as? [String: Any])?["all"] as? [String: Any])
        #expect(all["median_days_to_respond"] as? Double == 2.5 && all["received"] as? Int == 6)
        let warrant = try #require(((json["disclosures"] as? [String: Any])?["by_request_type"] as? [[String: Any]])?.first { $0["name"] as? String == "warrant" })
        #expect(warrant["median_days_to_respond"] is NSNull, "a median of nothing is null")

        // Text: aligned, with the head it saw.
        let text = String(decoding: r.rendered(.text), as: UTF8.self)
        #expect(text.contains("audit chain whose head is\n  \(r.auditHead.description)\n"), "\(text)")
        #expect(text.contains("from the store at seq \(r.storeSeq)"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines { #expect(TerminalText.width(line) <= TransparencyReport.textWidth, "too wide: \(line)") }
        let header = try #require(lines.firstIndex { $0.contains("ACCOUNTS") && $0.contains("MEDIAN DAYS") })
        let allLine = lines[header + 1]
        #expect(allLine.hasPrefix("  all ") && allLine.hasSuffix(" 2.5") && lines[header].count == allLine.count,
                "numbers right-aligned under their titles:\n\(lines[header])\n\(allLine)")
        let received = try #require(lines.firstIndex { $0.contains("RECEIVED") && $0.contains("WITHDRAWN") })
        #expect(lines[received + 1].hasSuffix("6          3        1          1"), "\(lines[received + 1])")
        #expect(lines.contains("  by ground") && lines.contains { $0.hasPrefix("    law-enforcement-inadvertent ") })
        #expect(text.contains("applied within 10 business days  3 of 6 (50%)"))
        let label = "applied within 10 business days"
        func optRow(_ name: String) -> String { "  " + name.padding(toLength: label.count, withPad: " ", startingAt: 0) + "  " }
        #expect(text.contains(optRow("worst case") + "\(try s.id("o7")): 70 days, needs-info\n" + optRow("  within 10 business days") + "no\n"), "\(text)")
    }

    @Test func generatingIsAuditedWithThePeriodAndTheHashOfTheOutput() throws {
        let s = try Story()
        let aud = try s.w.open("aud")
        let head = try AuditChain.head(s.w.root.view())
        let out = try aud.transparencyReport(try ReportPeriod.named("2026H1"), format: .csv)
        #expect(out.report.auditHead == head)
        #expect(out.auditSeq == head.seq + 1)
        let event = try #require(s.w.lastAudit)
        #expect(event.seq == out.auditSeq && event.prevHash == head.hash, "the event follows the head the report names")
        #expect(event.action == "transparency.report" && event.target == "2026H1" && event.actor == "aud" && event.role == "auditor")
        let sha = SHA256.hash(data: out.bytes).map { String(format: "%02x", $0) }.joined()
        #expect(out.sha256 == sha)
        #expect(event.detail.contains("sha256 \(sha)") && event.detail.contains("2026-01-01 to 2026-06-30") && event.detail.contains("csv"), "\(event.detail)")
        #expect(event.detail.contains("audit head \(head.description)"))
        // The figures are the pure function's (the store has moved on only by the report's own event).
        let again = try s.compute(try ReportPeriod.named("2026H1"))
        #expect(out.report.disclosures == again.disclosures && out.report.optOuts == again.optOuts
                && out.report.moderation == again.moderation && out.report.partnerShares == again.partnerShares
                && out.report.statements == again.statements && out.report.auditSeqs == again.auditSeqs)
        #expect(out.bytes == out.report.rendered(.csv))
        // Roles: support and moderators may not; nothing is written for them.
        let seq = s.w.seq
        for role in [Role.support, .moderator] {
            #expect(serviceExitCode { try s.w.open(role).transparencyReport(try ReportPeriod.named("2026H1"), format: .text) } == 77)
        }
        #expect(s.w.seq == seq)
        // A read-only store cannot record it, so it gives no report.
        let ro = try PrivacyOps.open(at: s.w.storePath, actor: ServiceWorld.actor("aud"), readOnly: true, clock: s.w.clock.function)
        #expect(serviceExitCode { try ro.transparencyReport(try ReportPeriod.named("2026H1"), format: .text) } == 75)
    }

    @Test func statementsSayTheOppositeWithTheIDs() throws {
        let w = try ServiceWorld(clock: "2026-03-02T09:00:00Z")
        let comm = try w.importMessages(count: 1)[0]
        // A content disclosure released with nobody's approval, written past the service.
        try w.root.refresh()
        let d = Disclosure(id: "D000777", version: 0, kind: .content, ground: .legalProcess, state: .released, requester: "Court",
                           requesterType: .court, requestType: .subpoena, reference: nil, receivedAt: "2026-03-01T09:00:00Z", dueAt: nil,
                           customerIds: [comm.customerId], communicationIds: [comm.id], caseId: nil, dataCategories: [.content], note: nil,
                           recordedBy: "root", recordedAt: "2026-03-01T09:00:00Z", updatedBy: nil, updatedAt: nil, approvedBy: nil,
                           approvedAt: nil, outcome: .all, releasedBy: "root", releasedAt: "2026-03-02T09:00:00Z", manifest: [], reason: nil,
                           decidedBy: nil, decidedAt: nil, noticeState: .notified, noticeDelayUntil: nil, noticeOrderRef: nil,
                           notifiedAt: "2026-03-02T09:00:00Z", noticeMethod: .email, contactPoints: nil, excludedByOptOuts: nil, accountsAffected: nil)
        var tx = StoreTransaction()
        try tx.insert(d, into: Collections.disclosures)
        _ = try w.root.commitBelowService(tx)
        let r = try TransparencyReport.compute(from: w.root.view(), period: try ReportPeriod.named("2026H1"), now: ServiceTime.date("2026-03-03T09:00:00Z"))
        let approver = try #require(r.statements.first { $0.key == "content_second_approver" })
        #expect(!approver.holds && approver.ids == ["D000777"])
        #expect(approver.text == "Content was disclosed without a second admin's approval: D000777.")
        let grounds = try #require(r.statements.first { $0.key == "valid_grounds" })
        #expect(!grounds.holds && grounds.ids == ["D000777"], "legal-process without its reference")
        #expect(!r.rendered(.text).isEmpty && String(decoding: r.rendered(.text), as: UTF8.self).contains("- Content was disclosed without a second admin's approval: D000777."))
    }

    @Test func aLongListOfIDsIsCutInTheSentenceOnly() {
        let ids = (1...25).map { String(format: "O%06d", $0) }
        let st = TransparencyReport.statement("k", ids: ids, holds: "fine", not: { "late: \($0)." })
        #expect(!st.holds && st.ids == ids)
        #expect(st.text == "late: " + ids.prefix(20).joined(separator: ", ") + " and 5 more.")
        #expect(TransparencyReport.statement("k", ids: [], holds: "fine", not: { $0 }) == ReportStatement(key: "k", holds: true, text: "fine", ids: []))
    }

    @Test func periodsAreReadStrictly() throws {
        #expect(try ReportPeriod.named("2026h2") == ReportPeriod(label: "2026H2", firstDay: "2026-07-01", lastDay: "2026-12-31",
                                                                 start: "2026-07-01T00:00:00Z", end: "2027-01-01T00:00:00Z"))
        #expect(try ReportPeriod.named("2024").lastDay == "2024-12-31")
        for bad in ["2026H3", "26H1", "2026-H1", "H1", "", "20261"] {
            #expect(serviceExitCode { try ReportPeriod.named(bad) } == 64, "\(bad)")
        }
        #expect(try ReportPeriod.between(from: "2024-02-01", to: "2024-02-29").end == "2024-03-01T00:00:00Z")
        #expect(serviceExitCode { try ReportPeriod.between(from: "2026-02-01", to: "2026-02-29") } == 64, "2026 is not a leap year")
        #expect(serviceExitCode { try ReportPeriod.between(from: "2026-03-01", to: "2026-02-01") } == 64)
        #expect(serviceExitCode { try ReportPeriod.between(from: "2026-3-1", to: "2026-04-01") } == 64)
        #expect(try ReportPeriod.between(from: "2026-03-01", to: "2026-03-01").end == "2026-03-02T00:00:00Z", "one day")
    }

    @Test func mediansOfWholeNumbers() {
        #expect(Median.of([]) == nil)
        #expect(Median.of([7]) == 7)
        #expect(Median.of([3, 1, 2]) == 2)
        #expect(Median.of([4, 1, 3, 2]) == 2.5)
        #expect(ReportNumber.scaled(Median.of([3600, 7200]), per: 3600) == 1.5)
        #expect(ReportNumber.percent(1, of: 3) == 33.3 && ReportNumber.percent(2, of: 3) == 66.7 && ReportNumber.percent(1, of: 0) == nil)
        #expect(ReportNumber.text(2) == "2" && ReportNumber.text(2.5) == "2.5" && ReportNumber.text(13.333) == "13.33" && ReportNumber.text(nil) == "")
    }
}
