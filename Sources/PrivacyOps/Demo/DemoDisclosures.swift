import Foundation

/// The demo's clock: real time minus an offset that only ever shrinks, so the demo's history
/// reads as weeks of work while audit times never go backwards.
final class DemoClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval

    init(daysAgo: Double) { offset = daysAgo * 86_400 }

    /// Moves the clock to `days` days before now (never back in time).
    func set(daysAgo days: Double) {
        lock.lock()
        offset = min(offset, days * 86_400)
        lock.unlock()
    }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return Date().addingTimeInterval(-offset)
    }

    var function: @Sendable () -> Date { { [self] in self.now } }
}

extension DemoGenerator {
    /// The second admin the demo's approvals need.
    static let demoSecondAdmin = "dora"

    /// Weeks of the disclosures register: requests in every state and hand-recorded kind
    /// (released and notified, released with a notice delay that has since run out, released
    /// with notice due, approved and overdue, waiting for a second approver, refused, withdrawn,
    /// a preservation request) and partner shares from two partner exports (when
    /// `partnerExports`: a store of millions would hold two copies of its export in memory). Moves `clock` from
    /// 47 days ago to 1 day ago. Returns how many disclosures it recorded and the second admin
    /// it granted.
    func makeDisclosures(at path: String, admin: ActorIdentity, clock: DemoClock, customers: [Customer],
                         comms: [String], reports: [String], partnerExports: Bool) throws -> (count: Int, secondAdmin: String?) {
        guard comms.count >= 12, customers.count >= 10 else { return (0, nil) }
        progress("disclosures")
        let first = try PrivacyOps.open(at: path, actor: admin, clock: clock.function)
        var second = Self.demoSecondAdmin
        if second == admin.name { second = "dora2" }
        _ = try first.grant(user: second, role: .admin)
        let other = try PrivacyOps.open(at: path, actor: ActorIdentity(name: second, isRoot: false), clock: clock.function)
        func day(_ daysAgo: Double) -> String {
            DisclosureRules.stamp(Date().addingTimeInterval(-daysAgo * 86_400))
        }
        func at<T>(_ daysAgo: Double, _ body: () throws -> T) throws -> T {
            clock.set(daysAgo: daysAgo)
            try first.refresh()
            try other.refresh()
            return try body()
        }
        var made = 0
        func record(_ ops: PrivacyOps, _ input: DisclosureInput) throws -> Disclosure {
            made += 1
            return try ops.recordDisclosure(input)
        }

        // A civil subpoena for a message, answered in full; the customer told by e-mail.
        let d1 = try at(45) {
            try record(first, DisclosureInput(kind: .content, ground: .legalProcess, requester: "Superior Court of Alameda County",
                                              requesterType: .court, requestType: .subpoena, reference: "RG26-118842",
                                              receivedAt: day(47), communicationIds: [comms[2]], dataCategories: [.contact],
                                              note: "Subpoena duces tecum served on the registered agent."))
        }
        _ = try at(44) { try other.approveDisclosure(d1.id) }
        _ = try at(43) { try first.releaseDisclosure(d1.id) }
        _ = try at(40) { try first.notifyDisclosure(d1.id, method: .email) }

        // A search warrant with a non-disclosure order whose delay has since run out.
        let d2 = try at(35) {
            try record(other, DisclosureInput(kind: .content, ground: .legalProcess, requester: "Springfield Police Department",
                                              requesterType: .lawEnforcement, requestType: .warrant, reference: "SW-2026-0413",
                                              communicationIds: [comms[7], comms[8]]))
        }
        _ = try at(34.9) { try first.approveDisclosure(d2.id) }
        _ = try at(34) { try first.releaseDisclosure(d2.id) }
        _ = try at(34) { try first.delayNotice(d2.id, until: day(3), order: "SW-2026-0413-NDO") }

        // A civil litigant's request for account data without a court order: refused.
        let d3 = try at(30) {
            try record(first, DisclosureInput(kind: .account, ground: .requiredByLaw, requester: "Harlow & Pike LLP (for a civil litigant)",
                                              requesterType: .civilLitigant, requestType: .subpoena, reference: "CIV-26-5521",
                                              customerIds: [customers[3].id], dataCategories: [.contact, .services]))
        }
        _ = try at(27) { try other.refuseDisclosure(d3.id, reason: "civil subpoena without a court order: the policy requires legal process binding on us") }

        // The first partner export of the period.
        if partnerExports {
            _ = try at(28) { try first.exportMailing(.partnerOffers, partner: "Acme Hosting Ltd") }
            made += 1
        }

        // A court order for account data: approved, due 12 days ago and not yet released.
        let d4 = try at(20) {
            try record(first, DisclosureInput(kind: .account, ground: .requiredByLaw, requester: "US District Court, N.D. Cal.",
                                              requesterType: .court, requestType: .courtOrder, reference: "3:26-cv-01234",
                                              receivedAt: day(21), dueAt: day(12), customerIds: [customers[5].id, customers[6].id],
                                              dataCategories: [.contact, .accountStatus, .services]))
        }
        _ = try at(13) { try other.approveDisclosure(d4.id) }

        // A preservation request: tracked, never counted as a disclosure.
        let d5 = try at(18) {
            try record(other, DisclosureInput(kind: .account, ground: .requiredByLaw, requester: "Federal Bureau of Investigation",
                                              requesterType: .lawEnforcement, requestType: .preservation, reference: "PR-2026-77",
                                              customerIds: [customers[8].id], dataCategories: [.contact, .customerLog]))
        }
        _ = try at(17.5) { try first.approveDisclosure(d5.id) }
        _ = try at(17) { try first.releaseDisclosure(d5.id) }

        // Our own lawyers asked for a message, then settled: withdrawn.
        let d6 = try at(15) {
            try record(first, DisclosureInput(kind: .content, ground: .protectInterests, requester: "Loopgalaxy.com legal counsel",
                                              requesterType: .internal, requestType: .other, communicationIds: [comms[11]]))
        }
        _ = try at(14) { try first.withdrawDisclosure(d6.id, reason: "the dispute was settled") }

        // A bounce loop the mail provider's abuse desk needed one message for: released,
        // notice still to be given.
        let d7 = try at(10) {
            try record(other, DisclosureInput(kind: .content, ground: .provideService, requester: "Upstream mail provider abuse desk",
                                              requesterType: .partner, requestType: .other, communicationIds: [comms[4]]))
        }
        _ = try at(9.5) { try first.approveDisclosure(d7.id) }
        _ = try at(9) { try first.releaseDisclosure(d7.id, outcome: .narrowed) }

        // The second partner export.
        if partnerExports {
            _ = try at(5) { try first.exportMailing(.partnerOffers, partner: "Nimbus Mail Partners") }
            made += 1
        }

        // Content a moderator saw in a case, reported to the police: waits for a second approver.
        if let report = reports.first, let r = try first.view().get(Collections.reports, id: report) {
            _ = try at(4) {
                try record(first, DisclosureInput(kind: .content, ground: .lawEnforcementInadvertent, requester: "Springfield Police Department",
                                                  requesterType: .lawEnforcement, requestType: .other, communicationIds: [r.communicationId],
                                                  caseId: report, note: "Seen while reviewing the report; appears to arrange a fraud."))
            }
        }

        // An emergency request from a CERT: waits for a second approver; notice exigent.
        _ = try at(1) {
            try record(other, DisclosureInput(kind: .account, ground: .harmPrevention, requester: "CERT-EU",
                                              requesterType: .governmentAgency, requestType: .emergency,
                                              customerIds: [customers[9].id], dataCategories: [.contact]))
        }
        clock.set(daysAgo: 0)
        return (made, second)
    }
}
