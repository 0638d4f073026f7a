/// How one promise of the privacy policy stands on the live store.
public enum PolicyStatus: String, Sendable, Encodable, CaseIterable, Comparable {
    case pass = "PASS"
    /// Not broken yet, but about to be or not provable (an opt-out due within a day, a notice
    /// delay that has run out, a traffic report whose K was not recorded).
    case warn = "WARN"
    case fail = "FAIL"

    var rank: Int { self == .pass ? 0 : self == .warn ? 1 : 2 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// What kind of record a finding names, so a front end can open it.
public enum PolicyRecordKind: String, Sendable, Encodable {
    case optOut = "opt-out"
    case report
    case disclosure
    case communication
    case auditEvent = "audit-event"
    case user
    /// A file of the store (`journal.jsonl:12`).
    case file
    /// A mailing list.
    case list
}

/// One record that breaks (or nearly breaks) a promise, and how.
public struct PolicyFinding: Sendable, Equatable, Encodable {
    public var id: String
    public var kind: PolicyRecordKind
    public var problem: String

    public init(id: String, kind: PolicyRecordKind, problem: String) {
        self.id = id
        self.kind = kind
        self.problem = problem
    }
}

/// One row of the policy check: one promise, checked on the live store.
public struct PolicyRow: Sendable, Equatable, Encodable {
    /// A stable name for scripts: `card-numbers`, `optouts-overdue`, ...
    public var id: String
    /// The promise, in words.
    public var promise: String
    public var status: PolicyStatus
    /// How many records break it (FAIL) or nearly do (WARN); 0 when it holds.
    public var count: Int
    /// How many records (or events, or files) were looked at.
    public var checked: Int
    /// The first findings (at most ``PolicyCheckResult/firstLimit``), worst first.
    public var first: [PolicyFinding]
    /// What was checked and what was found, in one line.
    public var detail: String

    enum CodingKeys: String, CodingKey {
        case id, promise, status, count, checked, first, detail
        case firstIds = "first_ids"
    }

    public var firstIds: [String] { first.map(\.id) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(promise, forKey: .promise)
        try c.encode(status, forKey: .status)
        try c.encode(count, forKey: .count)
        try c.encode(checked, forKey: .checked)
        try c.encode(firstIds, forKey: .firstIds)
        try c.encode(first, forKey: .first)
        try c.encode(detail, forKey: .detail)
    }
}

/// The policy check: every promise's row, and the store and audit chain it was run on.
public struct PolicyCheckResult: Sendable, Equatable, Encodable {
    /// How many findings a row names.
    public static let firstLimit = 5

    public var rows: [PolicyRow]
    public var checkedAt: String
    /// The store's last commit when the check ran.
    public var storeSeq: UInt64
    /// The audit chain's head the check saw, as `audit head` prints it.
    public var auditHead: AuditAnchor

    enum CodingKeys: String, CodingKey {
        case rows, status, pass, warn, fail
        case checkedAt = "checked_at"
        case storeSeq = "store_seq"
        case auditHead = "audit_head"
    }

    public init(rows: [PolicyRow], checkedAt: String, storeSeq: UInt64, auditHead: AuditAnchor) {
        self.rows = rows
        self.checkedAt = checkedAt
        self.storeSeq = storeSeq
        self.auditHead = auditHead
    }

    /// The worst status of any row.
    public var status: PolicyStatus { rows.map(\.status).max() ?? .pass }

    public func count(_ s: PolicyStatus) -> Int { rows.filter { $0.status == s }.count }

    /// Whether the check fails: any FAIL, or with `strict` any WARN too.
    public func fails(strict: Bool) -> Bool { status == .fail || (strict && status == .warn) }

    /// "PASS", "2 FAIL", "1 WARN", "2 FAIL, 1 WARN".
    public var summary: String {
        let f = count(.fail), w = count(.warn)
        if f == 0, w == 0 { return "PASS" }
        return [f > 0 ? "\(f) FAIL" : nil, w > 0 ? "\(w) WARN" : nil].compactMap { $0 }.joined(separator: ", ")
    }

    public func row(_ id: String) -> PolicyRow? { rows.first { $0.id == id } }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(count(.pass), forKey: .pass)
        try c.encode(count(.warn), forKey: .warn)
        try c.encode(count(.fail), forKey: .fail)
        try c.encode(checkedAt, forKey: .checkedAt)
        try c.encode(storeSeq, forKey: .storeSeq)
        try c.encode(auditHead, forKey: .auditHead)
        try c.encode(rows, forKey: .rows)
    }
}
