import FlatStore

public enum CommunicationState: String, Codable, Sendable, CaseIterable {
    case visible, blocked, deleted
}

/// A customer's stored message, indexed in place in the customer's Maildir.
public struct Communication: StoredRecord, Equatable {
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

/// A report about a stored communication: the case through which it may be reviewed.
public struct Report: StoredRecord, Equatable {
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
    public var history: [CaseEvent]

    enum CodingKeys: String, CodingKey {
        case id, version, trigger, reason, reporter, state, ground, clause, history
        case communicationId = "communication_id"
        case customerId = "customer_id"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case filedBy = "filed_by"
        case filedAt = "filed_at"
    }
}
