
public enum CommunicationState: String, Codable, Sendable, CaseIterable {
    case visible, blocked, deleted
}

/// A customer's stored message, indexed in place in the customer's Maildir.
public struct Communication: Codable, Sendable, StoreRecord, Equatable {
    public var id: String
    public var version: Int
    public var customerId: String
    /// The Maildir that holds the message (absolute path).
    public var maildir: String
    /// `cur` or `new`, and the file name within it, while the message is in the Maildir.
    public var subdir: String
    public var filename: String
    public var uniqueName: String
    public var from: String
    public var to: String
    public var subject: String
    public var date: String?
    public var size: Int64
    public var sha256: String
    public var state: CommunicationState
    public var importedAt: String
    /// The message file's device and inode when it was indexed (or put back by unblock): a file
    /// at the message's name that is another file is refused. Nil in records made before they
    /// were kept; those are checked by size and SHA-256 alone.
    public var device: UInt64?
    public var inode: UInt64?
    /// The file's owner, group and permission bits in the Maildir (at indexing, again at
    /// block), which unblock gives back to the file it puts back.
    public var fileUID: UInt32?
    public var fileGID: UInt32?
    public var fileMode: UInt32?

    enum CodingKeys: String, CodingKey {
        case id, version, maildir, subdir, filename, from, to, subject, date, size, sha256, state, device, inode
        case customerId = "customer_id"
        case uniqueName = "unique_name"
        case importedAt = "imported_at"
        case fileUID = "file_uid"
        case fileGID = "file_gid"
        case fileMode = "file_mode"
    }

    /// Where the message lives in the Maildir.
    public var maildirPath: String { "\(maildir)/\(subdir)/\(filename)" }
}

public enum ReportTrigger: String, Codable, Sendable, CaseIterable {
    case abuseReport = "abuse-report"
    case touComplaint = "tou-complaint"
    case automatedFlag = "automated-flag"
    case legal
}

public enum ReportState: String, Codable, Sendable, CaseIterable {
    case open, blocked, reinstated, dismissed, deleted

    /// A report is an open case (content may be viewed through it) while open or blocked.
    public var isOpenCase: Bool { self == .open || self == .blocked }
}

/// The grounds the policy gives for blocking or deleting a communication.
public enum ModerationGround: String, Codable, Sendable, CaseIterable {
    case harmCompany = "harm-company"
    case harmCustomers = "harm-customers"
    case harmThirdParties = "harm-third-parties"
    case touViolation = "tou-violation"

    public var label: String {
        switch self {
        case .harmCompany: return "may harm Loopgalaxy.com"
        case .harmCustomers: return "may harm customers"
        case .harmThirdParties: return "may harm third parties"
        case .touViolation: return "violates the Terms of Use (name the clause)"
        }
    }
}

/// One step in a case's history.
public struct CaseEvent: Codable, Sendable, Equatable {
    public var at: String
    public var by: String
    public var action: String
    public var note: String?
}

/// Whether a second person stands behind a report, so that its filer may read the reported
/// content through it too ("only through a case" involves two people).
public enum ReportConfirmation: String, Codable, Sendable, CaseIterable {
    /// Filed by a member of staff on their own word: anyone but the filer may view content
    /// through it; the filer only after another moderator or admin confirms it.
    case awaiting
    /// Another moderator or admin confirmed it (`confirmed_by`, `confirmed_at`).
    case confirmed
    /// Filed for a reporter who is not a member of staff: the reporter is the second person.
    case outsideReporter = "outside-reporter"
}

/// A report about a stored communication: the case through which it may be reviewed.
public struct Report: Codable, Sendable, StoreRecord, Equatable {
    public var id: String
    public var version: Int
    public var communicationId: String
    public var customerId: String
    public var trigger: ReportTrigger
    public var reason: String
    public var reporter: String?
    public var state: ReportState
    public var ground: ModerationGround?
    public var clause: String?
    public var decidedBy: String?
    public var decidedAt: String?
    public var filedBy: String
    public var filedAt: String
    /// Whether someone besides the filer stands behind the report (see ``ReportConfirmation``).
    public var confirmation: ReportConfirmation
    /// The moderator or admin who confirmed it, and when.
    public var confirmedBy: String?
    public var confirmedAt: String?
    public var history: [CaseEvent]

    enum CodingKeys: String, CodingKey {
        case id, version, trigger, reason, reporter, state, ground, clause, history, confirmation
        case communicationId = "communication_id"
        case customerId = "customer_id"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case filedBy = "filed_by"
        case filedAt = "filed_at"
        case confirmedBy = "confirmed_by"
        case confirmedAt = "confirmed_at"
    }
}

extension Report {
    /// Decodes a stored report. A report written before confirmation existed has no
    /// `confirmation` key: it counts as awaiting (its filer may not view through it until
    /// someone else confirms it), the stricter reading.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        version = try c.decode(Int.self, forKey: .version)
        communicationId = try c.decode(String.self, forKey: .communicationId)
        customerId = try c.decode(String.self, forKey: .customerId)
        trigger = try c.decode(ReportTrigger.self, forKey: .trigger)
        reason = try c.decode(String.self, forKey: .reason)
        reporter = try c.decodeIfPresent(String.self, forKey: .reporter)
        state = try c.decode(ReportState.self, forKey: .state)
        ground = try c.decodeIfPresent(ModerationGround.self, forKey: .ground)
        clause = try c.decodeIfPresent(String.self, forKey: .clause)
        decidedBy = try c.decodeIfPresent(String.self, forKey: .decidedBy)
        decidedAt = try c.decodeIfPresent(String.self, forKey: .decidedAt)
        filedBy = try c.decode(String.self, forKey: .filedBy)
        filedAt = try c.decode(String.self, forKey: .filedAt)
        confirmation = try c.decodeIfPresent(ReportConfirmation.self, forKey: .confirmation) ?? .awaiting
        confirmedBy = try c.decodeIfPresent(String.self, forKey: .confirmedBy)
        confirmedAt = try c.decodeIfPresent(String.self, forKey: .confirmedAt)
        history = try c.decode([CaseEvent].self, forKey: .history)
    }
}
