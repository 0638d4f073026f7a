import FlatStore
import Foundation

/// One recipient of a mailing: a contact point of a customer.
public struct MailingRecipient: Sendable, Equatable, Encodable {
    public var customerId: String
    public var name: String
    public var channel: ContactChannel
    public var contact: String

    enum CodingKeys: String, CodingKey {
        case name, channel, contact
        case customerId = "customer_id"
    }
}

/// The result of a mailing export.
public struct MailingExport: Sendable {
    public var list: MailingList
    public var recipients: [MailingRecipient]
    /// Contact points left out because they opted out of this list.
    public var suppressed: Int
}

extension PrivacyOps {
    /// Everyone a list may go to: each contact point of each customer, less the contact points
    /// suppressed for the list's scope. Service bulletins ignore marketing opt-outs; closed
    /// accounts get nothing, suspended ones only bulletins. The export itself is audited.
    public func exportMailing(_ list: MailingList) throws -> MailingExport {
        try change(.mailingExport, target: list.rawValue) { ctx in
            let sups = try suppressions(in: ctx.view)
            var recipients: [MailingRecipient] = []
            var suppressed = 0
            for c in try ctx.view.all(Collections.customers) {
                if c.status == .closed { continue }
                if c.status == .suspended, list != .serviceBulletins { continue }
                for p in c.contactPoints {
                    if let scope = list.scope, let s = sups[p], s.scopes.contains(scope) {
                        suppressed += 1
                        continue
                    }
                    recipients.append(MailingRecipient(customerId: c.id, name: c.name, channel: p.channel, contact: c.written(p)))
                }
            }
            let export = MailingExport(list: list, recipients: recipients, suppressed: suppressed)
            return ("exported \(recipients.count) recipient(s); \(suppressed) suppressed contact point(s) left out", export)
        }
    }
}
