/// The transparency report of DESIGN.md §2b: what was disclosed, shared, moderated and opted out
/// of in a period, computed from the store alone (``TransparencyReport/compute(from:period:now:)``),
/// naming the store's seq and the audit chain's head it was computed from so that anyone can
/// re-check it. Counts are exact; medians and shares are rounded once, the same in every format.
public struct TransparencyReport: Sendable, Equatable, Encodable {
    public var period: ReportPeriod
    public var generatedAt: String
    /// When "at the period's end" is measured: the period's end, or the time of generation
    /// when the period has not ended yet.
    public var asOf: String
    /// The store's last commit the report was computed from (it covers commits 1 to this).
    public var storeSeq: UInt64
    /// The audit chain's head the report was computed from, as `audit head` prints it.
    public var auditHead: AuditAnchor
    /// The first and last audit event in the period (nil when there is none).
    public var auditSeqs: SeqRange?
    public var disclosures: DisclosureSection
    public var partnerShares: PartnerShareSection
    public var traffic: TrafficSection
    public var moderation: ModerationSection
    public var optOuts: OptOutSection
    /// Sentences derived from the data: each says what holds, or the opposite with the ids.
    public var statements: [ReportStatement]

    enum CodingKeys: String, CodingKey {
        case period, disclosures, traffic, moderation, statements
        case generatedAt = "generated_at"
        case asOf = "as_of"
        case storeSeq = "store_seq"
        case auditHead = "audit_head"
        case auditSeqs = "audit_seqs_in_period"
        case partnerShares = "partner_shares"
        case optOuts = "optouts"
    }
}

/// A range of seqs, both ends included.
public struct SeqRange: Sendable, Equatable, Encodable {
    public var first: Int
    public var last: Int
}

/// Content and account disclosures: one line of figures.
public struct DisclosureFigures: Sendable, Equatable, Encodable {
    /// What the line counts: `all`, a kind, a request type or a ground.
    public var name: String
    /// Requests received in the period.
    public var received = 0
    /// Released in the period.
    public var disclosed = 0
    /// Refused in the period.
    public var refused = 0
    /// Withdrawn by their requester in the period.
    public var withdrawn = 0
    /// Distinct customers whose information was released in the period.
    public var accountsAffected = 0
    /// Median days from receipt to the answer (release or refusal) of the requests answered
    /// in the period; nil when none was.
    public var medianDaysToRespond: Double?
    /// How many answers the median is over.
    public var responded = 0

    enum CodingKeys: String, CodingKey {
        case name, received, disclosed, refused, withdrawn, responded
        case accountsAffected = "accounts_affected"
        case medianDaysToRespond = "median_days_to_respond"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(received, forKey: .received)
        try c.encode(disclosed, forKey: .disclosed)
        try c.encode(refused, forKey: .refused)
        try c.encode(withdrawn, forKey: .withdrawn)
        try c.encode(accountsAffected, forKey: .accountsAffected)
        try c.encode(medianDaysToRespond, forKey: .medianDaysToRespond)
        try c.encode(responded, forKey: .responded)
    }
}

public struct DisclosureSection: Sendable, Equatable, Encodable {
    public var all: DisclosureFigures
    /// `content` and `account` (partner shares and traffic profiles have their own sections).
    public var byKind: [DisclosureFigures]
    /// Every request type but `preservation` (tracked, never counted as a disclosure).
    public var byRequestType: [DisclosureFigures]
    /// Every content and account ground.
    public var byGround: [DisclosureFigures]
    /// Customers told in the period.
    public var noticesSent = 0
    /// Of the disclosures released in the period: notice delayed by a court order, exigent
    /// (an emergency), or not given yet, as the store stands.
    public var noticesDelayedByOrder = 0
    public var noticesExigent = 0
    public var noticesNotYetGiven = 0
    /// Preservation requests received in the period: tracked, not disclosures.
    public var preservationRequests = 0

    enum CodingKeys: String, CodingKey {
        case all
        case byKind = "by_kind"
        case byRequestType = "by_request_type"
        case byGround = "by_ground"
        case noticesSent = "notices_sent"
        case noticesDelayedByOrder = "notices_delayed_by_order"
        case noticesExigent = "notices_exigent"
        case noticesNotYetGiven = "notices_not_yet_given"
        case preservationRequests = "preservation_requests"
    }
}

/// What one partner received in the period.
public struct PartnerFigures: Sendable, Equatable, Encodable {
    public var partner: String
    public var exports = 0
    public var contactPoints = 0
    public var excludedByOptOuts = 0
    public var accounts = 0

    enum CodingKeys: String, CodingKey {
        case partner, exports, accounts
        case contactPoints = "contact_points"
        case excludedByOptOuts = "excluded_by_optouts"
    }
}

public struct PartnerShareSection: Sendable, Equatable, Encodable {
    /// The sums over every partner.
    public var all: PartnerFigures
    public var byPartner: [PartnerFigures]

    enum CodingKeys: String, CodingKey {
        case all
        case byPartner = "by_partner"
    }
}

public struct TrafficSection: Sendable, Equatable, Encodable {
    /// Traffic-aggregate disclosures in the period.
    public var disclosures = 0
    /// By the party each was prepared for.
    public var byParty: [NamedCount] = []

    enum CodingKeys: String, CodingKey {
        case disclosures
        case byParty = "by_party"
    }
}

/// A name and a count.
public struct NamedCount: Sendable, Equatable, Encodable {
    public var name: String
    public var count: Int
}

/// Moderation decisions of one ground (or clause).
public struct DecisionFigures: Sendable, Equatable, Encodable {
    /// A ground, `none` (dismissals), or a Terms of Use clause.
    public var name: String
    public var blocked = 0
    public var deleted = 0
    public var dismissed = 0
    public var reinstated = 0
}

public struct ModerationSection: Sendable, Equatable, Encodable {
    /// Reports filed in the period, by trigger (and in all).
    public var reportsFiled = 0
    public var byTrigger: [NamedCount]
    /// Decisions taken in the period: in all, by ground (dismissals under `none`), and the
    /// `tou-violation` decisions by clause.
    public var decisions: DecisionFigures
    public var byGround: [DecisionFigures]
    public var touByClause: [DecisionFigures]
    /// Median hours from a report to its first decision (block, delete or dismiss), over the
    /// reports first decided in the period.
    public var medianHoursToDecision: Double?
    public var firstDecisions = 0
    /// Communication content viewed (through a case) in the period.
    public var contentViews = 0

    enum CodingKeys: String, CodingKey {
        case decisions
        case reportsFiled = "reports_filed"
        case byTrigger = "by_trigger"
        case byGround = "by_ground"
        case touByClause = "tou_violation_by_clause"
        case medianHoursToDecision = "median_hours_to_decision"
        case firstDecisions = "first_decisions"
        case contentViews = "content_views"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reportsFiled, forKey: .reportsFiled)
        try c.encode(byTrigger, forKey: .byTrigger)
        try c.encode(decisions, forKey: .decisions)
        try c.encode(byGround, forKey: .byGround)
        try c.encode(touByClause, forKey: .touByClause)
        try c.encode(medianHoursToDecision, forKey: .medianHoursToDecision)
        try c.encode(firstDecisions, forKey: .firstDecisions)
        try c.encode(contentViews, forKey: .contentViews)
    }
}

/// The opt-out request that waited longest.
public struct OptOutWorstCase: Sendable, Equatable, Encodable {
    public var id: String
    public var state: OptOutState
    /// Days from receipt to application, or to the report's generation while still open.
    public var days: Double
    /// Whether it was applied within (or is still within) 10 business days.
    public var withinTenBusinessDays: Bool

    enum CodingKeys: String, CodingKey {
        case id, state, days
        case withinTenBusinessDays = "within_10_business_days"
    }
}

/// Opt-out requests received in the period, as the store stands.
public struct OptOutSection: Sendable, Equatable, Encodable {
    public var received = 0
    public var applied = 0
    public var needsInfo = 0
    public var pending = 0
    public var rejected = 0
    /// Median hours from receipt to application, over those applied.
    public var medianHoursToApply: Double?
    /// Applied within 48 hours (the target) and within 10 business days (the law), each of
    /// `considered` (received, less rejected), and the share in percent.
    public var considered = 0
    public var appliedWithin48Hours = 0
    public var shareWithin48Hours: Double?
    public var appliedWithin10BusinessDays = 0
    public var shareWithin10BusinessDays: Double?
    /// Requests (received in any period) open and past due at ``TransparencyReport/asOf``.
    public var overdueAtPeriodEnd = 0
    public var worstCase: OptOutWorstCase?

    enum CodingKeys: String, CodingKey {
        case received, applied, pending, rejected, considered
        case needsInfo = "needs_info"
        case medianHoursToApply = "median_hours_to_apply"
        case appliedWithin48Hours = "applied_within_48_hours"
        case shareWithin48Hours = "share_within_48_hours_percent"
        case appliedWithin10BusinessDays = "applied_within_10_business_days"
        case shareWithin10BusinessDays = "share_within_10_business_days_percent"
        case overdueAtPeriodEnd = "overdue_at_period_end"
        case worstCase = "worst_case"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(received, forKey: .received)
        try c.encode(applied, forKey: .applied)
        try c.encode(needsInfo, forKey: .needsInfo)
        try c.encode(pending, forKey: .pending)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(medianHoursToApply, forKey: .medianHoursToApply)
        try c.encode(considered, forKey: .considered)
        try c.encode(appliedWithin48Hours, forKey: .appliedWithin48Hours)
        try c.encode(shareWithin48Hours, forKey: .shareWithin48Hours)
        try c.encode(appliedWithin10BusinessDays, forKey: .appliedWithin10BusinessDays)
        try c.encode(shareWithin10BusinessDays, forKey: .shareWithin10BusinessDays)
        try c.encode(overdueAtPeriodEnd, forKey: .overdueAtPeriodEnd)
        try c.encode(worstCase, forKey: .worstCase)
    }
}

/// A sentence derived from the data: what holds, or, when it does not, the opposite naming
/// the records.
public struct ReportStatement: Sendable, Equatable, Encodable {
    /// A stable name: `content_second_approver`, ...
    public var key: String
    public var holds: Bool
    public var text: String
    /// The records that break it (empty when it holds).
    public var ids: [String]
}
