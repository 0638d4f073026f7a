import Crypto
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
    /// The export's exact bytes as a partner receives them (RFC 4180 CSV) and their SHA-256.
    public var csv: [UInt8] = []
    public var sha256 = ""
    /// The partner-share disclosure a `partner-offers` export records (in the same commit).
    public var disclosure: Disclosure?
}

extension PrivacyOps {
    /// Everyone a list may go to: each contact point of each customer, less the contact points
    /// suppressed for the list's scope. Service bulletins ignore marketing opt-outs; closed
    /// accounts get nothing, suspended ones only bulletins. The export itself is audited.
    ///
    /// A `partner-offers` export also records a `partner-share` disclosure to `partner` (default
    /// "partners") with its counts and the SHA-256 of ``MailingExport/csv``, in the same commit.
    public func exportMailing(_ list: MailingList, partner: String? = nil) throws -> MailingExport {
        let partner = try Validate.optionalText("partner", partner, max: 200)
        if partner != nil, list != .partnerOffers {
            throw OpsError.usage("--partner names who receives a partner-offers export: leave it out for \(list.rawValue)")
        }
        return try change(.mailingExport, target: list.rawValue) { ctx in
            let sups = try suppressions(in: ctx.view)
            var recipients: [MailingRecipient] = []
            var suppressed = 0
            for c in try ctx.view.all(Collections.customers) {
                // Accounts the list skips whatever their opt-outs (closed; suspended, except bulletins).
                guard MailingRules.includes(list, status: c.status, suppressed: []) else { continue }
                for p in c.contactPoints {
                    guard MailingRules.includes(list, status: c.status, suppressed: sups[p]?.scopes ?? []) else {
                        suppressed += 1
                        continue
                    }
                    recipients.append(MailingRecipient(customerId: c.id, name: c.name, channel: p.channel, contact: c.written(p)))
                }
            }
            var export = MailingExport(list: list, recipients: recipients, suppressed: suppressed)
            export.csv = MailingExport.csv(recipients)
            export.sha256 = MessageMover.hex(SHA256.hash(data: export.csv))
            var detail = "exported \(recipients.count) recipient(s); \(suppressed) suppressed contact point(s) left out"
            if list == .partnerOffers {
                let d = try recordPartnerShare(partner: partner ?? "partners", export: export, ctx: &ctx)
                export.disclosure = d
                detail += "; partner share \(d.id) to \(d.requester), sha256 \(export.sha256)"
            }
            return (detail, export)
        }
    }
}
