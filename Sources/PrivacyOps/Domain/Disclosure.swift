
// The disclosures register of DESIGN.md §2b: every disclosure of customer information, with its
// kind, its one ground, who asked, who approved, what was released and whether the customer
// was told. The rules live in ``DisclosureRules``; the operations in `Service/Disclosures.swift`.

/// What is disclosed. Each kind has its own grounds (``DisclosureGround``).
public enum DisclosureKind: String, Codable, Sendable, CaseIterable {
    /// The contents of customers' mail and other communications.
    case content
    /// Customers' personal and account information.
    case account
    /// Customer information shared with selected partners (recorded by every partner export).
    case partnerShare = "partner-share"
    /// The site's aggregate traffic profile (recorded by `traffic report --for PARTY`).
    case trafficAggregate = "traffic-aggregate"

    /// The grounds the policy gives for this kind, in the policy's order.
    public var grounds: [DisclosureGround] { DisclosureGround.allCases.filter { $0.kind == self } }

    /// Whether a disclosure of this kind needs a second admin's approval before release.
    public var needsApproval: Bool { self == .content || self == .account }

    /// Whether staff record this kind by hand (the others are recorded by the export or report
    /// that makes them).
    public var isRecordedByHand: Bool { needsApproval }

    public var label: String {
        switch self {
        case .content: return "contents of communications"
        case .account: return "personal and account information"
        case .partnerShare: return "customer information to partners"
        case .trafficAggregate: return "aggregate traffic profile"
        }
    }
}

/// The grounds the privacy policy names, each belonging to one kind.
public enum DisclosureGround: String, Codable, Sendable, CaseIterable {
    case provideService = "provide-service"
    case protectInterests = "protect-interests"
    case legalProcess = "legal-process"
    case lawEnforcementInadvertent = "law-enforcement-inadvertent"
    case harmPrevention = "harm-prevention"
    case requiredByLaw = "required-by-law"
    case partnerProgram = "partner-program"
    case trafficProfile = "traffic-profile"

    /// The kind of disclosure this ground allows.
    public var kind: DisclosureKind {
        switch self {
        case .provideService, .protectInterests, .legalProcess, .lawEnforcementInadvertent: return .content
        case .harmPrevention, .requiredByLaw: return .account
        case .partnerProgram: return .partnerShare
        case .trafficProfile: return .trafficAggregate
        }
    }

    /// What the ground asks for beyond the common fields, said as a person would.
    public var needs: String? {
        switch self {
        case .legalProcess: return "a reference (docket, warrant number) and a legal request type (subpoena, court-order, warrant, interception-order)"
        case .lawEnforcementInadvertent: return "a law-enforcement requester and the report (case) in which the content was seen"
        default: return nil
        }
    }

    public var label: String {
        switch self {
        case .provideService: return "necessary to provide the service"
        case .protectInterests: return "to protect the rights or property of Loopgalaxy.com"
        case .legalProcess: return "required by legal process"
        case .lawEnforcementInadvertent: return "inadvertently obtained, about a crime, to law enforcement"
        case .harmPrevention: return "to identify, contact or act against someone causing harm"
        case .requiredByLaw: return "required by law (good-faith belief)"
        case .partnerProgram: return "shared with selected partners"
        case .trafficProfile: return "aggregate traffic profile"
        }
    }
}

/// Where a disclosure is in its life: `recorded → approved → released`, or `refused` /
/// `withdrawn`. Partner shares and traffic profiles are recorded `released`.
public enum DisclosureState: String, Codable, Sendable, CaseIterable {
    case recorded, approved, released, refused, withdrawn

    /// Still waiting for a decision or a release.
    public var isOpen: Bool { self == .recorded || self == .approved }
}

/// Who asked.
public enum RequesterType: String, Codable, Sendable, CaseIterable {
    case lawEnforcement = "law-enforcement"
    case court
    case governmentAgency = "government-agency"
    case civilLitigant = "civil-litigant"
    case partner, customer, `internal`
}

/// What kind of request it was.
public enum DisclosureRequestType: String, Codable, Sendable, CaseIterable {
    case subpoena
    case courtOrder = "court-order"
    case warrant
    case interceptionOrder = "interception-order"
    case emergency, preservation
    case partnerAgreement = "partner-agreement"
    case other

    /// The request types that are legal process (what `legal-process` needs).
    public static let legal: [DisclosureRequestType] = [.subpoena, .courtOrder, .warrant, .interceptionOrder]

    public var isLegalProcess: Bool { Self.legal.contains(self) }

    /// A preservation request keeps data from being deleted; it discloses nothing, so it is
    /// tracked in the register but never counted as a disclosure.
    public var isDisclosure: Bool { self != .preservation }
}

/// What information a disclosure covers.
public enum DataCategory: String, Codable, Sendable, CaseIterable, Comparable {
    case contact
    case accountStatus = "account-status"
    case services
    case customerLog = "customer-log"
    case content

    public static func < (a: Self, b: Self) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}

/// How much of what was asked was released.
public enum DisclosureOutcome: String, Codable, Sendable, CaseIterable {
    case all, partial, narrowed, refused
}

/// Where the customer's notice stands.
public enum NoticeState: String, Codable, Sendable, CaseIterable {
    /// The customer is to be told (once the disclosure is released).
    case due
    case notified
    /// A court order forbids telling the customer until `notice_delay_until`.
    case delayedByOrder = "delayed-by-order"
    /// An emergency request: notice waits until the emergency is over.
    case exigent
    /// Nothing to tell (a preservation request, a partner share, a traffic profile).
    case notRequired = "not-required"
}

/// How a customer was told.
public enum NoticeMethod: String, Codable, Sendable, CaseIterable {
    case email, post, phone, other
}

/// One item released: its id, SHA-256 and size, never a copy of it.
public struct ManifestItem: Codable, Sendable, Equatable {
    public var id: String
    public var sha256: String
    public var size: Int64

    public init(id: String, sha256: String, size: Int64) {
        self.id = id
        self.sha256 = sha256
        self.size = size
    }
}

/// A record of the disclosures register. Its history is the audit trail: every event whose
/// `case` is this record's id.
public struct Disclosure: Codable, Sendable, StoreRecord, Equatable {
    public var id: String
    public var version: Int
    public var kind: DisclosureKind
    public var ground: DisclosureGround
    public var state: DisclosureState
    public var requester: String
    public var requesterType: RequesterType
    public var requestType: DisclosureRequestType
    /// Docket, warrant or agreement number.
    public var reference: String?
    public var receivedAt: String
    public var dueAt: String?
    public var customerIds: [String]
    public var communicationIds: [String]
    /// The report in which the content was seen (for `law-enforcement-inadvertent`).
    public var caseId: String?
    public var dataCategories: [DataCategory]
    public var note: String?
    public var recordedBy: String
    public var recordedAt: String
    /// Who last edited the record (an edit clears the approval); nil when never edited.
    public var updatedBy: String?
    public var updatedAt: String?
    public var approvedBy: String?
    public var approvedAt: String?
    public var outcome: DisclosureOutcome?
    public var releasedBy: String?
    public var releasedAt: String?
    public var manifest: [ManifestItem]
    /// Why it was refused or withdrawn.
    public var reason: String?
    public var decidedBy: String?
    public var decidedAt: String?
    public var noticeState: NoticeState
    public var noticeDelayUntil: String?
    public var noticeOrderRef: String?
    public var notifiedAt: String?
    public var noticeMethod: NoticeMethod?
    /// Partner shares: contact points exported, contact points left out by opt-outs, and the
    /// customers whose contact points went out.
    public var contactPoints: Int?
    public var excludedByOptOuts: Int?
    public var accountsAffected: Int?

    enum CodingKeys: String, CodingKey {
        case id, version, kind, ground, state, requester, reference, note, outcome, manifest, reason
        case requesterType = "requester_type"
        case requestType = "request_type"
        case receivedAt = "received_at"
        case dueAt = "due_at"
        case customerIds = "customer_ids"
        case communicationIds = "communication_ids"
        case caseId = "case_id"
        case dataCategories = "data_categories"
        case recordedBy = "recorded_by"
        case recordedAt = "recorded_at"
        case updatedBy = "updated_by"
        case updatedAt = "updated_at"
        case approvedBy = "approved_by"
        case approvedAt = "approved_at"
        case releasedBy = "released_by"
        case releasedAt = "released_at"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case noticeState = "notice_state"
        case noticeDelayUntil = "notice_delay_until"
        case noticeOrderRef = "notice_order_ref"
        case notifiedAt = "notified_at"
        case noticeMethod = "notice_method"
        case contactPoints = "contact_points"
        case excludedByOptOuts = "excluded_by_optouts"
        case accountsAffected = "accounts_affected"
    }

    /// Whether the register counts this as a disclosure (a preservation request is not one).
    public var isCountedAsDisclosure: Bool { requestType.isDisclosure }

    /// Whether this record is a case through which the content of its communications may be
    /// viewed: a content disclosure that was approved (or released).
    public var isOpenContentCase: Bool { kind == .content && (state == .approved || state == .released) }
}
