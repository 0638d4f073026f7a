import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// DESIGN.md §2b's rules for recording a disclosure, one row each: every ground with what it
/// needs (accepted) and without it (refused, with the §5 exit code, nothing written).
@Suite struct ServiceDisclosureRulesTests {
    /// What the rows are built on: a customer with a message and a report about it, and a
    /// message of another customer.
    struct Fixture {
        let customer: Customer
        let comm: Communication
        let report: Report
        let otherComm: Communication
    }

    static func makeFixture(_ w: ServiceWorld) throws -> Fixture {
        let c = try w.addCustomer("Ann Rules", email: "ann.rules@example.com")
        let (comm, report) = try w.openCase(customer: c.id)
        let other = try w.importMessages(count: 1)[0]
        return Fixture(customer: c, comm: comm, report: report, otherComm: other)
    }

    /// One row: a name, how to build the input from the fixture, the exit code expected and a
    /// piece of the message.
    struct Row: CustomStringConvertible, Sendable {
        let name: String
        let build: @Sendable (Fixture) -> DisclosureInput
        let exit: Int32
        let says: String
        var description: String { name }
    }

    static let card = "4111 1111 1111 1111"

    static func content(_ g: DisclosureGround?, _ fx: Fixture, requester: RequesterType = .internal,
                        request: DisclosureRequestType = .other, reference: String? = nil, comms: [String]? = nil,
                        caseId: String? = nil) -> DisclosureInput {
        DisclosureInput(kind: .content, ground: g, requester: "Requester Name", requesterType: requester, requestType: request,
                        reference: reference, communicationIds: comms ?? [fx.comm.id], caseId: caseId)
    }

    static func account(_ g: DisclosureGround?, _ fx: Fixture, customers: [String]? = nil,
                        categories: [DataCategory] = [.contact, .accountStatus]) -> DisclosureInput {
        DisclosureInput(kind: .account, ground: g, requester: "Requester Name", requesterType: .governmentAgency,
                        requestType: .other, customerIds: customers ?? [fx.customer.id], dataCategories: categories)
    }

    static let rows: [Row] = [
        // Content: the two grounds that need nothing more.
        Row(name: "provide-service", build: { content(.provideService, $0) }, exit: 0, says: ""),
        Row(name: "protect-interests", build: { content(.protectInterests, $0) }, exit: 0, says: ""),
        // legal-process: a reference and a legal request type, each of the four.
        Row(name: "legal-process subpoena with reference", build: { content(.legalProcess, $0, requester: .court, request: .subpoena, reference: "CV-2026-118") }, exit: 0, says: ""),
        Row(name: "legal-process court-order with reference", build: { content(.legalProcess, $0, requester: .court, request: .courtOrder, reference: "ORD-5") }, exit: 0, says: ""),
        Row(name: "legal-process warrant with reference", build: { content(.legalProcess, $0, requester: .lawEnforcement, request: .warrant, reference: "W-77") }, exit: 0, says: ""),
        Row(name: "legal-process interception-order with reference", build: { content(.legalProcess, $0, requester: .lawEnforcement, request: .interceptionOrder, reference: "IO-1") }, exit: 0, says: ""),
        Row(name: "legal-process without reference", build: { content(.legalProcess, $0, requester: .court, request: .subpoena) }, exit: 65, says: "reference"),
        Row(name: "legal-process with a blank reference", build: { content(.legalProcess, $0, requester: .court, request: .subpoena, reference: "   ") }, exit: 65, says: "reference"),
        Row(name: "legal-process with request type other", build: { content(.legalProcess, $0, requester: .court, request: .other, reference: "CV-1") }, exit: 65, says: "legal request type"),
        Row(name: "legal-process with request type emergency", build: { content(.legalProcess, $0, requester: .lawEnforcement, request: .emergency, reference: "E-1") }, exit: 65, says: "legal request type"),
        // law-enforcement-inadvertent: a law-enforcement requester and the case where it was seen.
        Row(name: "law-enforcement-inadvertent complete", build: { fx in content(.lawEnforcementInadvertent, fx, requester: .lawEnforcement, caseId: fx.report.id) }, exit: 0, says: ""),
        Row(name: "law-enforcement-inadvertent to a court", build: { fx in content(.lawEnforcementInadvertent, fx, requester: .court, caseId: fx.report.id) }, exit: 65, says: "law-enforcement"),
        Row(name: "law-enforcement-inadvertent without a case", build: { content(.lawEnforcementInadvertent, $0, requester: .lawEnforcement) }, exit: 65, says: "--case"),
        Row(name: "law-enforcement-inadvertent with an unknown case", build: { content(.lawEnforcementInadvertent, $0, requester: .lawEnforcement, caseId: "R999999") }, exit: 66, says: "R999999"),
        Row(name: "law-enforcement-inadvertent with a case about another message", build: { fx in content(.lawEnforcementInadvertent, fx, requester: .lawEnforcement, comms: [fx.otherComm.id], caseId: fx.report.id) }, exit: 65, says: "covers only"),
        Row(name: "law-enforcement-inadvertent naming more than the case saw", build: { fx in content(.lawEnforcementInadvertent, fx, requester: .lawEnforcement, comms: [fx.comm.id, fx.otherComm.id], caseId: fx.report.id) }, exit: 65, says: "covers only"),
        // Account grounds.
        Row(name: "harm-prevention", build: { account(.harmPrevention, $0) }, exit: 0, says: ""),
        Row(name: "required-by-law", build: { account(.requiredByLaw, $0) }, exit: 0, says: ""),
        // A missing or wrong ground.
        Row(name: "content without a ground", build: { content(nil, $0) }, exit: 65, says: "exactly one ground"),
        Row(name: "account without a ground", build: { account(nil, $0) }, exit: 65, says: "exactly one ground"),
        Row(name: "content on an account ground", build: { content(.harmPrevention, $0) }, exit: 65, says: "not content"),
        Row(name: "account on a content ground", build: { account(.provideService, $0) }, exit: 65, says: "not account"),
        Row(name: "account on the partner ground", build: { account(.partnerProgram, $0) }, exit: 65, says: "not account"),
        Row(name: "partner-share by hand", build: { fx in DisclosureInput(kind: .partnerShare, ground: .partnerProgram, requester: "Acme", requesterType: .partner, requestType: .partnerAgreement, customerIds: [fx.customer.id]) }, exit: 65, says: "recorded automatically"),
        Row(name: "traffic-aggregate by hand", build: { _ in DisclosureInput(kind: .trafficAggregate, ground: .trafficProfile, requester: "Acme", requesterType: .partner, requestType: .other) }, exit: 65, says: "recorded automatically"),
        // What is disclosed.
        Row(name: "content naming no communication", build: { content(.provideService, $0, comms: []) }, exit: 65, says: "--comm"),
        Row(name: "account naming no customer", build: { account(.harmPrevention, $0, customers: []) }, exit: 65, says: "--customer"),
        Row(name: "account with no category", build: { account(.harmPrevention, $0, categories: []) }, exit: 65, says: "--category"),
        Row(name: "account disclosing content", build: { account(.requiredByLaw, $0, categories: [.contact, .content]) }, exit: 65, says: "content disclosure"),
        Row(name: "an unknown communication", build: { content(.provideService, $0, comms: ["M9999999"]) }, exit: 66, says: "M9999999"),
        Row(name: "an unknown customer", build: { account(.harmPrevention, $0, customers: ["C9999999"]) }, exit: 66, says: "C9999999"),
        Row(name: "a malformed id", build: { account(.harmPrevention, $0, customers: ["C1; rm -rf"]) }, exit: 65, says: "not a customer id"),
        // Card numbers in any text field.
        Row(name: "card number in requester", build: { var i = content(.provideService, $0); i.requester = "Officer \(card)"; return i }, exit: 65, says: "card number"),
        Row(name: "card number in reference", build: { content(.legalProcess, $0, requester: .court, request: .subpoena, reference: "ref \(card)") }, exit: 65, says: "card number"),
        Row(name: "card number in note", build: { var i = account(.harmPrevention, $0); i.note = "paid with \(card)"; return i }, exit: 65, says: "card number"),
        Row(name: "card number in case", build: { content(.lawEnforcementInadvertent, $0, requester: .lawEnforcement, caseId: "4111111111111111") }, exit: 65, says: "card number"),
        Row(name: "card number as a customer id", build: { account(.harmPrevention, $0, customers: ["4111111111111111"]) }, exit: 65, says: "card number"),
        Row(name: "card number in a date", build: { var i = account(.harmPrevention, $0); i.dueAt = card; return i }, exit: 65, says: "card number"),
        // Dates.
        Row(name: "received in the future", build: { var i = account(.harmPrevention, $0); i.receivedAt = "2026-03-09"; return i }, exit: 65, says: "future"),
        Row(name: "due before received", build: { var i = account(.harmPrevention, $0); i.receivedAt = "2026-02-20"; i.dueAt = "2026-02-10"; return i }, exit: 65, says: "before"),
        Row(name: "a date that is not one", build: { var i = account(.harmPrevention, $0); i.dueAt = "2026-02-30"; return i }, exit: 65, says: "not a date"),
        Row(name: "received and due given", build: { var i = account(.harmPrevention, $0); i.receivedAt = "2026-02-20"; i.dueAt = "2026-03-20T12:00:00Z"; return i }, exit: 0, says: ""),
    ]

    @Test(arguments: rows)
    func recordRule(_ row: Row) throws {
        let w = try ServiceWorld()
        let fx = try Self.makeFixture(w)
        let seq = w.seq
        let audits = w.auditCount
        let input = row.build(fx)
        var made: Disclosure?
        let e = serviceError { made = try w.root.recordDisclosure(input) }
        #expect((e?.exitCode ?? 0) == row.exit, "\(row.name): \(String(describing: e))")
        if row.exit == 0 {
            let d = try #require(made)
            #expect(d.state == .recorded && d.version == 1 && d.recordedBy == "root")
            #expect(d.id.hasPrefix("D") && d.id.count == 7)
            // One commit: the record and its audit event, whose case is the disclosure.
            #expect(w.seq == seq + 1)
            #expect(w.auditCount == audits + 1)
            let event = try #require(w.lastAudit)
            #expect(event.action == "disclosures.record" && event.caseId == d.id)
            let stored = try #require(try w.root.view().get(Collections.disclosures, id: d.id))
            #expect(stored == d)
        } else {
            #expect(e?.message.contains(row.says) == true, "\(row.name): \(e?.message ?? "no error")")
            #expect(e?.message.contains("\n") == false)
            #expect(w.seq == seq, "\(row.name): a refused record wrote something")
            if row.says == "card number" { #expect(e?.message.contains("4111 1111") == false, "the message repeats the number") }
        }
    }

    /// Every content and account ground appears in the table both accepted and, where it needs
    /// something, refused without it.
    @Test func tableCoversEveryGround() throws {
        let w = try ServiceWorld()
        let fx = try Self.makeFixture(w)
        for g in DisclosureKind.content.grounds + DisclosureKind.account.grounds {
            #expect(Self.rows.contains { $0.exit == 0 && $0.build(fx).ground == g }, "\(g.rawValue) is never accepted")
            if g.needs != nil {
                #expect(Self.rows.contains { $0.exit != 0 && $0.build(fx).ground == g }, "\(g.rawValue) is never refused")
            }
        }
    }

    @Test func kindsAndGroundsMatchThePolicy() {
        #expect(DisclosureKind.content.grounds == [.provideService, .protectInterests, .legalProcess, .lawEnforcementInadvertent])
        #expect(DisclosureKind.account.grounds == [.harmPrevention, .requiredByLaw])
        #expect(DisclosureKind.partnerShare.grounds == [.partnerProgram])
        #expect(DisclosureKind.trafficAggregate.grounds == [.trafficProfile])
        #expect(DisclosureKind.allCases.filter(\.needsApproval) == [.content, .account])
    }

    @Test func recordFillsTheRegisterFields() throws {
        let w = try ServiceWorld()
        let fx = try Self.makeFixture(w)
        // Received on Friday 2026-02-27: ten business days later is Friday 2026-03-13.
        var input = Self.content(.legalProcess, fx, requester: .court, request: .subpoena, reference: "CV-9")
        input.receivedAt = "2026-02-27T10:00:00Z"
        input.dataCategories = [.contact]
        let d = try w.root.recordDisclosure(input)
        #expect(d.receivedAt == "2026-02-27T10:00:00Z")
        #expect(d.dueAt == "2026-03-13T10:00:00Z")
        // The message's customer is named; content is always among the categories.
        #expect(d.customerIds == [fx.customer.id])
        #expect(d.dataCategories == [.contact, .content])
        #expect(d.noticeState == .due)
        #expect(d.approvedBy == nil && d.manifest.isEmpty && d.outcome == nil)
        // A due day alone runs to its end.
        var dated = Self.account(.harmPrevention, fx)
        dated.dueAt = "2026-03-05"
        #expect(try w.root.recordDisclosure(dated).dueAt == "2026-03-05T23:59:59Z")
    }

    @Test func preservationIsTrackedButNotCountedAndNeedsNoNotice() throws {
        let w = try ServiceWorld()
        let fx = try Self.makeFixture(w)
        var input = Self.account(.requiredByLaw, fx)
        input.requestType = .preservation
        input.requesterType = .lawEnforcement
        let d = try w.root.recordDisclosure(input)
        #expect(!d.isCountedAsDisclosure)
        #expect(d.noticeState == .notRequired)
        #expect(try w.root.listDisclosures().map(\.id) == [d.id], "tracked in the register")
        var emergency = Self.account(.harmPrevention, fx)
        emergency.requestType = .emergency
        let e = try w.root.recordDisclosure(emergency)
        #expect(e.isCountedAsDisclosure && e.noticeState == .exigent)
    }
}
