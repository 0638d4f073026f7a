import Foundation
import Testing

@testable import PrivacyOps

/// `audit list --actor --action --target --since --until`: the filtering is the service's, under
/// the audit-list role check.
@Suite struct ServiceAuditQueryTests {
    /// A store with events by two users over three days.
    static func world() throws -> (ServiceWorld, customer: Customer, optOut: OptOutRequest) {
        let w = try ServiceWorld(clock: "2026-03-02T09:00:00Z")
        let sam = try w.open(.support)
        let ada = try w.open(.admin)
        let c = try sam.addCustomer(CustomerInput(name: "Filter Me", email: "filter@example.com"))
        w.clock.set("2026-03-03T10:00:00Z")
        _ = try sam.updateCustomer(c.id, CustomerChanges(status: .suspended))
        let o = try ada.submitOptOut(OptOutSubmission(contact: "filter@example.com", scopes: [.newsletter]))
        w.clock.set("2026-03-04T23:30:00Z")
        _ = try ada.addNote(customer: c.id, text: "late note")
        _ = try sam.applyOptOut(o.id)
        return (w, c, o)
    }

    @Test func eachCriterionAndTheirCombination() throws {
        let (w, c, o) = try Self.world()
        let aud = try w.open(.auditor)
        func list(_ f: AuditFilter) throws -> [String] { try aud.listAudit(filter: f).map { "\($0.actor) \($0.action) \($0.target)" } }

        #expect(try list(AuditFilter(actor: "sam")) == ["sam optouts.apply \(o.id)", "sam customers.status \(c.id)", "sam customers.add \(c.id)"])
        #expect(try list(AuditFilter(action: "customers.status")) == ["sam customers.status \(c.id)"])
        // A family of actions, and never a mere prefix of a word.
        #expect(try list(AuditFilter(action: "customers")).count == 3)
        #expect(try list(AuditFilter(action: "custom")).isEmpty)
        // A record's history: its target, its case, or a record it changed; case aside.
        #expect(try list(AuditFilter(target: c.id.lowercased())) == ["ada customers.note \(c.id)", "sam customers.status \(c.id)", "sam customers.add \(c.id)"])
        #expect(try list(AuditFilter(target: o.id)) == ["sam optouts.apply \(o.id)", "ada optouts.submit \(o.id)"])
        // Days: since from the day's start, until through the day's end.
        #expect(try list(AuditFilter(since: "2026-03-03", until: "2026-03-03")) == ["ada optouts.submit \(o.id)", "sam customers.status \(c.id)"])
        #expect(try list(AuditFilter(since: "2026-03-04")).count == 2)
        #expect(try list(AuditFilter(until: "2026-03-02T09:00:00Z")).count == w.auditCount - 4)
        // Combined: all must hold.
        #expect(try list(AuditFilter(actor: "sam", target: c.id, since: "2026-03-03")) == ["sam customers.status \(c.id)"])
        #expect(try list(AuditFilter(actor: "ada", action: "optouts.apply")).isEmpty)
        // A limit counts matches.
        #expect(try aud.listAudit(filter: AuditFilter(actor: "sam"), limit: 1).count == 1)
    }

    @Test func badDatesAreInvalidData() throws {
        let (w, _, _) = try Self.world()
        let aud = try w.open(.auditor)
        for bad in [AuditFilter(since: "yesterday"), AuditFilter(until: "2026-02-30"), AuditFilter(since: "2026-03-04", until: "2026-03-03")] {
            let e = serviceError { try aud.listAudit(filter: bad) }
            #expect(e?.exitCode == 65, "\(bad): \(String(describing: e))")
        }
        #expect(serviceError { try aud.listAudit(filter: AuditFilter(since: "yesterday")) }?.message.contains("2026-03-10") == true)
    }

    @Test func onlyRolesThatMayListTheAuditMayFilterIt() throws {
        let (w, c, _) = try Self.world()
        for role in [Role.support, .moderator] {
            #expect(serviceExitCode { try w.open(role).listAudit(filter: AuditFilter(target: c.id)) } == 77)
        }
        #expect(serviceExitCode { try w.open(.admin).listAudit(filter: AuditFilter(target: c.id)) } == 0)
    }
}
