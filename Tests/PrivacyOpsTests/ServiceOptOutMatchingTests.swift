import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// Opt-outs name one exact contact point; suppression applies to that point only, per scope;
/// requests are due in 10 business days and move through their states only as allowed.
@Suite struct ServiceOptOutMatchingTests {
    /// Customers the matching cases refer to, by letter.
    struct People {
        let a: Customer  // two e-mail addresses, a phone, an address
        let b: Customer  // shares a household phone and address with c
        let c: Customer
    }

    static func people(_ w: ServiceWorld) throws -> People {
        let a = try w.addCustomer("Alice Smith", email: "Alice.Smith@Example.COM", alternateEmails: ["alice.work@example.org"],
                                  phone: "+1 (555) 123-4567", address: "12 Main St,  Springfield")
        let b = try w.addCustomer("Bob Jones", email: "bob@example.net", phone: "1-555-987-6543", address: "7 Oak Lane, Shelbyville")
        let c = try w.addCustomer("Carol Jones", email: "carol@example.net", phone: "+1 555 987 6543", address: "7 OAK LANE,\nShelbyville")
        return People(a: a, b: b, c: c)
    }

    /// (contact as typed, letters of the customers it must match)
    static let matchingCases: [(String, String)] = [
        // e-mail: letter case is not significant, the rest is exact
        ("alice.smith@example.com", "a"),
        ("ALICE.SMITH@EXAMPLE.COM", "a"),
        ("  Alice.Smith@example.com ", "a"),
        ("alice.work@example.org", "a"),
        // phone: only the digits count
        ("+1 (555) 123-4567", "a"),
        ("1-555-123-4567", "a"),
        ("1.555.123.4567", "a"),
        ("001 555 123 4567", "a"),
        // address: letter case and spacing are not significant
        ("12 main st, springfield", "a"),
        ("12  MAIN  ST,\tSpringfield", "a"),
        // a contact point two customers share: both matched
        ("+1 (555) 987-6543", "bc"),
        ("7 oak lane, shelbyville", "bc"),
        // no customer holds it
        ("nobody@example.com", ""),
        // look-alikes: never matched
        ("alice.smith+news@example.com", ""),  // plus-addressing is another address
        ("alicesmith@example.com", ""),  // dots are significant
        ("alice.smith@example.co", ""),
        ("1-555-123-4568", ""),  // one digit off
        ("555-123-4567", ""),  // no guessing of the country code
        ("13 Main St, Springfield", ""),  // one digit off
        ("12 Main St Springfield", ""),  // punctuation is kept
        ("12 Main Street, Springfield", ""),
    ]

    @Test func exactMatchingTable() throws {
        let w = try ServiceWorld()
        let p = try Self.people(w)
        let ids = ["a": p.a.id, "b": p.b.id, "c": p.c.id]
        let sam = try w.open(.support)
        for (contact, letters) in Self.matchingCases {
            let expected = letters.map { ids[String($0)]! }.sorted()
            let r = try sam.submitOptOut(OptOutSubmission(contact: contact, scopes: [.newsletter]))
            #expect(r.matches.sorted() == expected, "'\(contact)' matched \(r.matches)")
            #expect(r.state == .pending)
            #expect(r.contact == contact.trimmingCharacters(in: .whitespacesAndNewlines))
            let detail = try sam.optOut(r.id)
            #expect(detail.matchingCustomers.map(\.id).sorted() == expected, "'\(contact)' (show)")
        }
        // Every request was recorded, matched or not.
        #expect(try sam.listOptOuts().count == Self.matchingCases.count)
    }

    static func recipients(_ admin: PrivacyOps, _ list: MailingList) throws -> Set<String> {
        Set(try admin.exportMailing(list).recipients.map { "\($0.customerId) \($0.channel.rawValue):\($0.contact)" })
    }

    @Test func unmatchedRequestIsKeptAndStillSuppressesThePoint() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let r = try sam.submitOptOut(OptOutSubmission(contact: "Future.Customer@Example.com"))
        #expect(r.matches.isEmpty)
        let applied = try sam.applyOptOut(r.id)
        #expect(applied.state == .applied)
        #expect(applied.matches.isEmpty)
        // The customer signs up later with that exact address (written differently) and a phone.
        let c = try w.addCustomer("Future Customer", email: "future.customer@example.com", phone: "+1 555 010 7777")
        for list in [MailingList.newsletter, .productNotices, .partnerOffers] {
            let got = try Self.recipients(w.root, list)
            #expect(got == ["\(c.id) phone:+1 555 010 7777"], "\(list.rawValue): \(got)")
        }
        #expect(try Self.recipients(w.root, .serviceBulletins).count == 2)
        // The request now shows its match.
        try sam.refresh()
        #expect(try sam.optOut(r.id).matchingCustomers.map(\.id) == [c.id])
    }

    @Test func oneOfTwoAddressesOptsOut() throws {
        let w = try ServiceWorld()
        let p = try Self.people(w)
        let sam = try w.open(.support)
        let r = try sam.submitOptOut(OptOutSubmission(contact: "ALICE.WORK@example.org", scopes: OptOutScope.allCases))
        #expect(r.matches == [p.a.id])
        _ = try sam.applyOptOut(r.id)
        for list in [MailingList.newsletter, .productNotices, .partnerOffers] {
            let got = try Self.recipients(w.root, list)
            #expect(got.contains("\(p.a.id) email:Alice.Smith@Example.COM"), "\(list.rawValue)")
            #expect(!got.contains("\(p.a.id) email:alice.work@example.org"), "\(list.rawValue)")
            #expect(got.contains("\(p.a.id) phone:+1 (555) 123-4567"), "\(list.rawValue)")
        }
        // The customer's detail shows which point is suppressed for what.
        let detail = try sam.customerDetail(p.a.id)
        let suppressed = Dictionary(uniqueKeysWithValues: detail.contactPoints.map { ($0.written, $0.suppressed) })
        #expect(suppressed["alice.work@example.org"] == OptOutScope.allCases.sorted())
        #expect(suppressed["Alice.Smith@Example.COM"] == [])
    }

    @Test func suppressionIsPerScopeAndBulletinsIgnoreIt() throws {
        let w = try ServiceWorld()
        let p = try Self.people(w)
        let sam = try w.open(.support)
        // Alice's phone: newsletter only. Bob and Carol's shared address: everything.
        _ = try sam.applyOptOut(try sam.submitOptOut(OptOutSubmission(contact: "1 555 123 4567", scopes: [.newsletter])).id)
        _ = try sam.applyOptOut(try sam.submitOptOut(OptOutSubmission(contact: "7 Oak Lane, SHELBYVILLE", scopes: OptOutScope.parseList(["all"])!)).id)
        let alicePhone = "\(p.a.id) phone:+1 (555) 123-4567"
        let bobAddress = "\(p.b.id) address:7 Oak Lane, Shelbyville"
        let carolAddress = "\(p.c.id) address:7 OAK LANE,\nShelbyville"
        let newsletter = try w.root.exportMailing(.newsletter)
        #expect(newsletter.suppressed == 3)
        let news = Set(newsletter.recipients.map { "\($0.customerId) \($0.channel.rawValue):\($0.contact)" })
        #expect(!news.contains(alicePhone) && !news.contains(bobAddress) && !news.contains(carolAddress))
        #expect(news.contains("\(p.b.id) phone:1-555-987-6543"))
        for list in [MailingList.productNotices, .partnerOffers] {
            let got = try Self.recipients(w.root, list)
            #expect(got.contains(alicePhone), "\(list.rawValue) keeps the newsletter-only opt-out's point")
            #expect(!got.contains(bobAddress) && !got.contains(carolAddress), "\(list.rawValue)")
        }
        let bulletins = try w.root.exportMailing(.serviceBulletins)
        #expect(bulletins.suppressed == 0)
        let all = Set(bulletins.recipients.map { "\($0.customerId) \($0.channel.rawValue):\($0.contact)" })
        #expect(all.contains(alicePhone) && all.contains(bobAddress) && all.contains(carolAddress))
        // 4 points for Alice, 3 each for Bob and Carol.
        #expect(bulletins.recipients.count == 10)
    }

    @Test func closedGetNothingSuspendedOnlyBulletins() throws {
        let w = try ServiceWorld()
        let active = try w.addCustomer("Active", email: "active@example.com")
        let suspended = try w.addCustomer("Suspended", email: "suspended@example.com", status: .suspended)
        let closed = try w.addCustomer("Closed", email: "closed@example.com", status: .closed)
        for list in MailingList.allCases {
            let ids = Set(try w.root.exportMailing(list).recipients.map(\.customerId))
            #expect(ids.contains(active.id), "\(list.rawValue)")
            #expect(!ids.contains(closed.id), "\(list.rawValue)")
            #expect(ids.contains(suspended.id) == (list == .serviceBulletins), "\(list.rawValue)")
        }
    }

    @Test func dueInTenBusinessDaysSortedAndOverdue() throws {
        // Monday 2 March 2026, 09:00 UTC.
        let w = try ServiceWorld(clock: "2026-03-02T09:00:00Z")
        let sam = try w.open(.support)
        let now = try sam.submitOptOut(OptOutSubmission(contact: "now@example.com"))
        #expect(now.receivedAt == "2026-03-02T09:00:00Z")
        #expect(now.dueAt == "2026-03-16T09:00:00Z")
        // Received on a Friday before Thanksgiving: the weekend and the holiday do not count.
        let thanksgiving = try sam.submitOptOut(OptOutSubmission(contact: "late@example.com", receivedAt: ServiceTime.date("2026-11-20T15:30:00Z")))
        #expect(thanksgiving.dueAt == "2026-12-07T15:30:00Z")
        // Received on a Saturday: counting starts on Monday.
        let saturday = try sam.submitOptOut(OptOutSubmission(contact: "sat@example.com", receivedAt: ServiceTime.date("2026-02-28T12:00:00Z")))
        #expect(saturday.dueAt == "2026-03-13T12:00:00Z")
        // Older than all of them, submitted last.
        let old = try sam.submitOptOut(OptOutSubmission(contact: "old@example.com", receivedAt: ServiceTime.date("2026-02-02T08:00:00Z")))
        #expect(old.dueAt == "2026-02-17T08:00:00Z")  // Presidents' Day, 16 Feb, does not count
        // Oldest due date first, whatever the submission order (and id order).
        #expect(try sam.listOptOuts().map(\.id) == [old.id, saturday.id, now.id, thanksgiving.id])
        #expect(try sam.listOptOuts(state: .pending).map(\.id) == [old.id, saturday.id, now.id, thanksgiving.id])
        // On 2 March, only the old one is overdue.
        #expect(try sam.listOptOuts().filter { sam.isOverdue($0) }.map(\.id) == [old.id])
        #expect(try sam.optOut(old.id).overdue)
        #expect(try !sam.optOut(now.id).overdue)
        // The deadline itself is not overdue; a second later it is.
        w.clock.set("2026-03-16T09:00:00Z")
        #expect(try !sam.optOut(now.id).overdue)
        w.clock.set("2026-03-16T09:00:01Z")
        #expect(try sam.optOut(now.id).overdue)
        // A decided request is never overdue.
        _ = try sam.applyOptOut(old.id)
        _ = try sam.rejectOptOut(now.id, reason: OptOutRejectReason.duplicate.rawValue)
        #expect(try !sam.optOut(old.id).overdue)
        #expect(try !sam.optOut(now.id).overdue)
        #expect(try sam.listOptOuts(state: .pending).map(\.id) == [saturday.id, thanksgiving.id])
        // Needs-info stays open, so it can be overdue.
        _ = try sam.needInfoOptOut(saturday.id, note: "which address?")
        #expect(try sam.optOut(saturday.id).overdue)
    }

    enum Step: String, CaseIterable { case apply, needInfo, reject }

    static func run(_ step: Step, _ sam: PrivacyOps, _ id: String, expectVersion: Int? = nil) throws -> OptOutRequest {
        switch step {
        case .apply: return try sam.applyOptOut(id, expectVersion: expectVersion)
        case .needInfo: return try sam.needInfoOptOut(id, note: "which one?", expectVersion: expectVersion)
        case .reject: return try sam.rejectOptOut(id, reason: "not ours", expectVersion: expectVersion)
        }
    }

    /// Brings a new request into `state`.
    static func request(in state: OptOutState, _ w: ServiceWorld, _ sam: PrivacyOps) throws -> OptOutRequest {
        let r = try sam.submitOptOut(OptOutSubmission(contact: "state\(w.next())@example.com"))
        switch state {
        case .pending: return r
        case .needsInfo: return try sam.needInfoOptOut(r.id, note: "?")
        case .applied: return try sam.applyOptOut(r.id)
        case .rejected: return try sam.rejectOptOut(r.id, reason: "no")
        }
    }

    @Test func stateMachine() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let allowed: [Step: Set<OptOutState>] = [
            .apply: [.pending, .needsInfo],
            .needInfo: [.pending],
            .reject: [.pending, .needsInfo],
        ]
        let result: [Step: OptOutState] = [.apply: .applied, .needInfo: .needsInfo, .reject: .rejected]
        for step in Step.allCases {
            for state in OptOutState.allCases {
                let r = try Self.request(in: state, w, sam)
                let seq = w.seq
                let error = serviceError { try Self.run(step, sam, r.id) }
                if allowed[step]!.contains(state) {
                    #expect(error == nil, "\(step) from \(state.rawValue): \(String(describing: error))")
                    let after = try sam.optOut(r.id).request
                    #expect(after.state == result[step])
                    #expect(after.version == r.version + 1)
                    #expect(after.decidedBy == "sam")
                    #expect(after.decidedAt == ServiceTime.stamp(w.clock.now))
                } else {
                    #expect(error?.exitCode == 65, "\(step) from \(state.rawValue) should be refused: \(String(describing: error))")
                    #expect(w.seq == seq)
                    #expect(try sam.optOut(r.id).request == r)
                }
            }
        }
        // Unknown request.
        #expect(serviceExitCode { try sam.applyOptOut("O999999") } == 66)
    }

    @Test(arguments: Step.allCases)
    func expectVersionConflictWritesNothing(_ step: Step) throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let ada = try w.open(.admin)
        let r = try sam.submitOptOut(OptOutSubmission(contact: "race@example.com"))
        #expect(r.version == 1)
        // Someone else moved it on (pending → needs-info is version 2) meanwhile.
        _ = try ada.needInfoOptOut(r.id, note: "which address?")
        let seq = w.seq
        let error = serviceError { try Self.run(step, sam, r.id, expectVersion: 1) }
        guard case .conflict = error else {
            Issue.record("\(step): expected a conflict, got \(String(describing: error))")
            return
        }
        #expect(error?.exitCode == 75)
        #expect(w.seq == seq)
        try sam.refresh()
        #expect(try sam.optOut(r.id).request.state == .needsInfo)
        #expect(w.count(Collections.suppressions) == 0)
        // With the version it now has, the step goes through (or is refused for its state).
        if step != .needInfo { _ = try Self.run(step, sam, r.id, expectVersion: 2) }
    }

    @Test func customerUpdateExpectVersionConflict() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let c = try w.addCustomer("Race", email: "race@example.com")
        _ = try w.root.updateCustomer(c.id, CustomerChanges(phone: "+1 555 010 9999"))
        let seq = w.seq
        #expect(serviceExitCode { try sam.updateCustomer(c.id, CustomerChanges(name: "Lost"), expectVersion: c.version) } == 75)
        #expect(w.seq == seq)
        #expect(try sam.updateCustomer(c.id, CustomerChanges(name: "Won"), expectVersion: c.version + 1).version == c.version + 2)
    }
}
